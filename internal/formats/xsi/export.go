package xsi

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter streams one keyed null per tracker over a grid whose width is
// 10 scene units, centred on the origin. It remembers the names to group
// them into a model at the end.
type exporter struct {
	w         io.Writer
	f         float64  // scene units per pixel
	tw, th    float64  // grid size in scene units
	names     []string // the trackers' names as Python literals
	line      []byte   // reused for every point's lines; starts with translatePrefix
	keyPrefix string   // the tracker's SaveKeyOnKeyable call up to the frame
}

const translatePrefix = "Application.Translate(\"\", "

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	// Every point's lines start the same way: the start stays in the buffer.
	return &exporter{w: w, line: []byte(translatePrefix)}
}

func (e *exporter) StartExport(w, h int) error {
	// Operation order as specified keeps the output bit-identical.
	e.f = (1.0 / float64(w)) * 10.0
	e.tw = float64(w) * e.f
	e.th = float64(h) * e.f
	io.WriteString(e.w, "Application.CreatePrim(\"Grid\", \"MeshSurface\", \"\", \"\")\n"+
		"Application.SetValue(\"grid.Name\", \"ImagePlane\", \"\")\n")
	fmt.Fprintf(e.w, "Application.SetValue(\"ImagePlane.grid.ulength\", %.5f, \"\")\n", e.tw)
	fmt.Fprintf(e.w, "Application.SetValue(\"ImagePlane.grid.vlength\", %.5f, \"\")\n", e.th)
	io.WriteString(e.w, "Application.Rotate(\"\", 90, 0, 0, \"siRelative\", \"siLocal\", \"siObj\", \"siXYZ\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", 0, \"\")\n")
	return nil
}

// StartTracker writes the name as a Python string literal wherever it
// goes, and escaped in the comment too, so that no name can end the
// comment or the literal and become code (FORMATS.md §11.8).
func (e *exporter) StartTracker(name string) error {
	q := format.QuotePython(name)
	e.names = append(e.names, q)
	e.keyPrefix = "Application.SaveKeyOnKeyable(" + q + ", "
	fmt.Fprintf(e.w, "# Data for tracker %s\n", format.Unquoted(q))
	io.WriteString(e.w, "Application.GetPrim(\"Null\", \"\", \"\", \"\")\n")
	fmt.Fprintf(e.w, "Application.SetValue(\"null.Name\", %s, \"\")\n", q)
	fmt.Fprintf(e.w, "Application.SelectObj(%s, \"\", True)\n", q)
	return nil
}

// ExportPoint builds the point's lines in a reused buffer and writes them
// at once: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	// The conversions round each product on its own, as the spec's
	// (x * f) − (TW / 2) does: no fused multiply-add on any platform.
	x := float64(k.X*e.f) - (e.tw / 2)
	y := float64(k.Y*e.f) - (e.th / 2)
	b := e.line[:len(translatePrefix)]
	b = format.AppendFixed(b, x, 5)
	b = append(b, ", "...)
	b = format.AppendFixed(b, y, 5)
	b = append(b, ", 0, \"siAbsolute\", \"siView\", \"siObj\", \"siXYZ\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", 0, \"\")\n"...)
	b = append(b, e.keyPrefix...)
	b = format.AppendInt(b, k.Frame+1)
	b = append(b, ", \"\", \"\", \"\", False, \"\")\n"...)
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error { return nil }

func (e *exporter) EndExport() error {
	io.WriteString(e.w, "Application.DeselectAll()\nApplication.AddToSelection(\"ImagePlane\", \"\", \"\")\n")
	for _, q := range e.names {
		fmt.Fprintf(e.w, "Application.AddToSelection(%s, \"\", \"\")\n", q)
	}
	io.WriteString(e.w, "Application.CreateModel(\"\", \"\", \"\", \"\")\nApplication.SetValue(\"Model.Name\", \"Tracksperanto\", \"\")\n")
	return nil
}
