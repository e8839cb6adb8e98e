package mayalocators

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter streams one keyed locator per tracker over an image plane whose
// width is 10 scene units with its bottom-left corner at the origin. It
// remembers the names to group everything at the end.
type exporter struct {
	w     io.Writer
	f     float64 // scene units per pixel
	name  string
	names []string
	line  []byte // reused for every point's lines
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(w, h int) error {
	e.f = (1.0 / float64(w)) * 10.0
	ph := float64(h) * e.f
	io.WriteString(e.w, "//Maya ASCII 2011 scene\n//Name: TracksperantoLocators.ma\n//Codeset: UTF-8\nrequires maya \"1.0\";\n")
	fmt.Fprintf(e.w, "polyPlane -name \"TracksperantoImagePlane\" -width %.5f -height %.5f;\n", 10.0, ph)
	io.WriteString(e.w, "rotate -r -os 90;\n")
	fmt.Fprintf(e.w, "move -r %.5f %.5f 0;\n", 5.0, ph/2.0)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.name = name
	e.names = append(e.names, name)
	fmt.Fprintf(e.w, "spaceLocator -name \"%s\" -p 0 0 0;\n", name)
	return nil
}

// ExportPoint builds the point's lines in a reused buffer and writes them
// at once: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	b := e.line[:0]
	b = e.appendKey(b, k.Frame+1, k.X*e.f, ".tx\";\n")
	b = e.appendKey(b, k.Frame+1, k.Y*e.f, ".ty\";\n")
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

// appendKey appends `setKeyframe -time <frame> -value <v> "<name><attr>`.
func (e *exporter) appendKey(b []byte, frame int, v float64, attr string) []byte {
	b = append(b, "setKeyframe -time "...)
	b = strconv.AppendInt(b, int64(frame), 10)
	b = append(b, " -value "...)
	b = format.AppendFixed(b, v, 5)
	b = append(b, " \""...)
	b = append(b, e.name...)
	return append(b, attr...)
}

func (e *exporter) EndTracker() error { return nil }

func (e *exporter) EndExport() error {
	names := append([]string{"TracksperantoImagePlane"}, e.names...)
	fmt.Fprintf(e.w, "select -r %s;\n", strings.Join(names, " "))
	io.WriteString(e.w, "group -name TracksperantoGroup; xform -os -piv 0 0 0;\n")
	return nil
}
