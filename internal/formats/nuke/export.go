package nuke

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes a Tracker3 node per tracker (FORMATS.md §5.13). The Root
// node needs the last frame, so everything is written at the end.
type exporter struct {
	w        io.Writer
	width    int
	height   int
	trackers []*track.Tracker
	cur      *track.Tracker
	maxFrame int    // largest frame seen, starting from 0
	buf      []byte // a tracker's node, reused
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(w, h int) error {
	e.width, e.height = w, h
	return nil
}

// StartTracker rebuilds the tracker, so its name is sanitised and a repeated
// frame keeps the last point (dedup).
func (e *exporter) StartTracker(name string) error {
	if e.cur != nil {
		e.trackers = append(e.trackers, e.cur)
	}
	e.cur = track.New(name)
	// Trackers tend to be as long as the one before: one allocation each.
	if n := len(e.trackers); n > 0 {
		e.cur.Keyframes = make([]track.Keyframe, 0, len(e.trackers[n-1].Keyframes))
	}
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	if e.cur == nil {
		return fmt.Errorf("%s: a point was sent outside a tracker", Exporter.ID)
	}
	e.cur.Set(k)
	e.maxFrame = max(e.maxFrame, k.Frame)
	return nil
}

// ExportWhole keeps a settled tracker itself: the copy that StartTracker
// and ExportPoint would make of it is the same.
func (e *exporter) ExportWhole(t *track.Tracker) error {
	if e.cur != nil {
		e.trackers = append(e.trackers, e.cur)
		e.cur = nil
	}
	e.trackers = append(e.trackers, t)
	if n := len(t.Keyframes); n > 0 {
		e.maxFrame = max(e.maxFrame, t.Keyframes[n-1].Frame)
	}
	return nil
}

func (e *exporter) EndTracker() error {
	if e.cur != nil {
		e.trackers = append(e.trackers, e.cur)
		e.cur = nil
	}
	return nil
}

func (e *exporter) EndExport() error {
	w, h := e.width, e.height
	fmt.Fprintf(e.w, "\nversion 5.1200\nRoot {\n inputs 0\n frame 1\n last_frame %d\n}\n", e.maxFrame+1)
	fmt.Fprintf(e.w, "Constant {\n inputs 0\n channels rgb\n format \"%d %d 0 0 %d %d 1\"\n name CompSize_%dx%d\n postage_stamp false\n xpos 0\n ypos -60\n}\n", w, h, w, h, w, h)
	for i, t := range e.trackers {
		b := append(e.buf[:0], "\nTracker3 {\n     track1 {"...)
		b = e.appendCurve(b, t, false)
		b = append(b, ' ')
		b = e.appendCurve(b, t, true)
		b = append(b, "}\n     name "...)
		// A node name, so that no name is read as Tcl (FORMATS.md §11.8).
		b = append(b, format.NodeName(t.Name)...)
		b = append(b, "\n     xpos 0\n     ypos "...)
		b = format.AppendInt(b, 30*(i+1))
		b = append(b, "\n}\n"...)
		e.buf = b
		e.w.Write(b) // the caller checks write errors at flush
	}
	return nil
}

// chunk bounds how much of a long curve is buffered.
const chunk = 32 << 10

// appendCurve writes `{curve i …}` of X (or, with useY, Y): an `x<n>`
// before every point that does not follow its predecessor, and once more
// on the point after such a jump, so that a reader's step is back to 1
// (§4.8.2). This is the per-keyframe path: plain appends, and long curves
// go out in chunks.
func (e *exporter) appendCurve(buf []byte, t *track.Tracker, useY bool) []byte {
	buf = append(buf, "{curve i "...)
	jumped := false
	prev := 0
	for i, k := range t.Keyframes {
		n := k.Frame + 1
		if i > 0 {
			buf = append(buf, ' ')
		}
		if i == 0 || n != prev+1 || jumped {
			buf = append(buf, 'x')
			buf = format.AppendInt(buf, n)
			buf = append(buf, ' ')
			jumped = i == 0 || n != prev+1
		}
		v := k.X
		if useY {
			v = k.Y
		}
		buf = format.AppendFixed(buf, v, 4)
		prev = n
		if len(buf) >= chunk {
			e.w.Write(buf)
			buf = buf[:0]
		}
	}
	return append(buf, '}')
}
