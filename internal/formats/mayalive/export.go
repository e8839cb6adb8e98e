package mayalive

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes a MayaLive track export (FORMATS.md §5.12), streaming,
// in aspect units: X spans ±aspect, Y spans ±1, origin at the centre.
type exporter struct {
	w            io.Writer
	o            format.Options
	aspect       float64
	xUnit, yUnit float64
	trackers     int
	line         []byte // reused for every point line; starts with the tracker's prefix
	prefix       int    // length of that prefix
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w, o: o} }

func (e *exporter) StartExport(w, h int) error {
	e.aspect = e.o.Aspect
	if e.aspect == 0 {
		e.aspect = float64(w) / float64(h)
	}
	e.xUnit = float64(w) / (e.aspect * 2)
	e.yUnit = float64(h) / 2.0
	e.trackers = 0
	fmt.Fprintf(e.w, "#  Size  %d  %d  %.2f\n", w, h, e.aspect)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	// Every point line of the tracker starts with its index.
	e.line = format.AppendInt(e.line[:0], e.trackers)
	e.line = append(e.line, ' ')
	e.prefix = len(e.line)
	e.trackers++
	// A name sent by a tool that does not rebuild trackers (Prefix) may
	// hold a line break (FORMATS.md §11.8).
	fmt.Fprintf(e.w, "#  Name %s\n", format.LineName(name))
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	x := k.X/e.xUnit - e.aspect
	y := k.Y/e.yUnit - 1
	b := format.AppendInt(e.line[:e.prefix], k.Frame)
	b = append(b, ' ')
	b = format.AppendFixed(b, x, 10)
	b = append(b, ' ')
	b = format.AppendFixed(b, y, 10)
	b = append(b, ' ')
	b = format.AppendFixed(b, k.Residual/10, 10)
	b = append(b, '\n')
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error { return nil }
func (e *exporter) EndExport() error  { return nil }
