package boujou

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes a boujou feature track export (FORMATS.md §5.21). It
// streams: one line per point. Frames are written 0-based and Y as
// H − y + 1, which the importer does not invert (FORMATS.md §10.1).
type exporter struct {
	w      io.Writer
	o      format.Options
	height float64
	line   []byte // reused for every point line; starts with the tracker's prefix
	prefix int    // length of that prefix
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w, o: o} }

func (e *exporter) StartExport(w, h int) error {
	e.height = float64(h)
	fmt.Fprintf(e.w, "# boujou 2d tracks export: text\n"+
		"# boujou version: 4.1.0 28444 \n"+
		"# Creation date : %s\n"+
		"# \n"+
		"# track_id      view      x      y\n", e.o.Time().Local().Format(format.DateLayout))
	return nil
}

func (e *exporter) StartTracker(name string) error {
	// Every point line of the tracker starts with its name, in one field:
	// a name sent by a tool that does not rebuild trackers (Prefix) may
	// hold white space, which would split the line's fields or end it
	// (FORMATS.md §11.8).
	e.line = append(append(e.line[:0], format.FieldName(name)...), "  "...)
	e.prefix = len(e.line)
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	b := format.AppendInt(e.line[:e.prefix], k.Frame)
	b = append(b, "  "...)
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, "  "...)
	b = format.AppendFixed(b, (e.height-k.Y)+1, 3)
	b = append(b, '\n')
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error { return nil }
func (e *exporter) EndExport() error  { return nil }
