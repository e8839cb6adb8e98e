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
	w    io.Writer
	cur  track.Tracker // reused for every tracker
	open bool
	buf  []byte // the tracker's point lines, reused
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(w, h int) error {
	fmt.Fprintf(e.w, "require 'rubygems'\nrequire 'tracksperanto'\nwidth = %d\nheight = %d\ntrackers = []\n", w, h)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.cur.Rename(name)
	e.cur.Keyframes = e.cur.Keyframes[:0]
	e.open = true
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	e.cur.Set(k)
	return nil
}

// ExportWhole writes a settled tracker (its name sanitized, its frames
// strictly increasing: what rebuilding it would give) from its own
// keyframes, without the copy that StartTracker and ExportPoint make.
func (e *exporter) ExportWhole(t *track.Tracker) error {
	own := e.cur.Keyframes
	e.cur = track.Tracker{Name: t.Name, Keyframes: t.Keyframes}
	e.open = true
	err := e.EndTracker()
	e.cur.Keyframes = own[:0] // never Set into t's keyframes
	return err
}

// chunk bounds the buffered point lines of a long tracker.
const chunk = 32 << 10

// EndTracker writes the tracker's points, built by appends into a reused
// buffer and written in chunks: this is the per-keyframe path.
func (e *exporter) EndTracker() error {
	if !e.open {
		return nil
	}
	e.open = false
	t := &e.cur
	fmt.Fprintf(e.w, " \ntrackers << Tracksperanto::Tracker.new(:name => %s) do |t|\n", format.RQuote(t.Name))
	b := e.buf[:0]
	for _, k := range t.Keyframes {
		b = append(b, "  t.keyframe!(:frame => "...)
		b = format.AppendInt(b, k.Frame)
		b = append(b, ", :abs_x => "...)
		b = format.AppendFixed(b, k.X, 5)
		b = append(b, ", :abs_y => "...)
		b = format.AppendFixed(b, k.Y, 5)
		b = append(b, ", :residual => "...)
		b = format.AppendFixed(b, k.Residual, 5)
		b = append(b, ")\n"...)
		if len(b) >= chunk {
			e.w.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "end\n"...)
	e.buf = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndExport() error {
	io.WriteString(e.w, " \n")
	return nil
}
