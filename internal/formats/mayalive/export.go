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
	index        int // of the open tracker
	trackers     int
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
	e.index = e.trackers
	e.trackers++
	fmt.Fprintf(e.w, "#  Name %s\n", name)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	x := k.X/e.xUnit - e.aspect
	y := k.Y/e.yUnit - 1
	fmt.Fprintf(e.w, "%d %d %.10f %.10f %.10f\n", e.index, k.Frame, x, y, k.Residual/10)
	return nil
}

func (e *exporter) EndTracker() error { return nil }
func (e *exporter) EndExport() error  { return nil }
