package ruby

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes Ruby code that rebuilds the trackers with the original
// program. Like the reference it rebuilds each tracker first, so the name
// is sanitised and points on the same frame collapse to the last one.
type exporter struct {
	w   io.Writer
	cur *track.Tracker
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(w, h int) error {
	fmt.Fprintf(e.w, "require 'rubygems'\nrequire 'tracksperanto'\nwidth = %d\nheight = %d\ntrackers = []\n", w, h)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.cur = track.New(name)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	e.cur.Set(k)
	return nil
}

func (e *exporter) EndTracker() error {
	t := e.cur
	e.cur = nil
	fmt.Fprintf(e.w, " \ntrackers << Tracksperanto::Tracker.new(:name => %s) do |t|\n", format.RQuote(t.Name))
	for _, k := range t.Keyframes {
		fmt.Fprintf(e.w, "  t.keyframe!(:frame => %d, :abs_x => %.5f, :abs_y => %.5f, :residual => %.5f)\n", k.Frame, k.X, k.Y, k.Residual)
	}
	io.WriteString(e.w, "end\n")
	return nil
}

func (e *exporter) EndExport() error {
	io.WriteString(e.w, " \n")
	return nil
}
