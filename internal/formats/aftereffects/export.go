package aftereffects

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// preamble defines the frame-to-time helper and opens the branch that runs
// only when a comp is active; the closing brace is written at the end.
const preamble = `// Run this script from the Script Editor
function convertFrameToSeconds(layerWithFootage, frameValue)
{
    var comp = layerWithFootage.containingComp;
    var rate = 1.0 / comp.frameDuration;
    // Frames in AE are 0-based by default
    return (frameValue) / rate;
}

var activeComp = app.project.activeItem;
if(!activeComp) {
    // Totally fail
    alert("You need to be focused on a comp for the tracker creation to work");
} else {
`

// exporter streams one null layer per tracker. AE's origin is top-left, so
// Y is flipped against the comp height.
type exporter struct {
	w      io.Writer
	height int
	layer  int    // index of the next tracker's layer
	line   []byte // reused for every point line; starts with the tracker's prefix
	prefix int    // length of that prefix
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(_, h int) error {
	e.height = h
	io.WriteString(e.w, preamble+"\n")
	return nil
}

func (e *exporter) StartTracker(name string) error {
	n := e.layer
	fmt.Fprintf(e.w, "\nvar layer%d = activeComp.layers.addNull();\n", n)
	// A JavaScript literal: the name is data, never code (FORMATS.md §11.8).
	fmt.Fprintf(e.w, "layer%d.name = %s;\n\n", n, format.QuoteJS(name))
	fmt.Fprintf(e.w, "var pos = layer%d.property(\"Transform\").property(\"Position\");\n", n)
	// The start of every point line is the same for the whole tracker.
	e.line = append(e.line[:0], "pos.setValueAtTime(convertFrameToSeconds(layer"...)
	e.line = format.AppendInt(e.line, n)
	e.line = append(e.line, ", "...)
	e.prefix = len(e.line)
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	b := format.AppendInt(e.line[:e.prefix], k.Frame)
	b = append(b, "), ["...)
	b = format.AppendFixed(b, k.X, 5)
	b = append(b, ',')
	b = format.AppendFixed(b, float64(e.height)-k.Y, 5)
	b = append(b, "]);\n"...)
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error {
	e.layer++
	return nil
}

func (e *exporter) EndExport() error {
	io.WriteString(e.w, "}\n")
	return nil
}
