// Package preview draws what a conversion wrote: every tracker's path in
// comp space and a coverage chart of its frames, as one SVG that a page
// can inline (it works without JavaScript), and a table of the trackers.
//
// A Recorder is a track.Exporter: it sees the trackers as they stream to
// the outputs and keeps, with bounded memory, a thinned path of each one
// (to the pixel grid of the drawing), its frame range, keyframe count and
// the gaps between its keyframes. Render draws it under MaxBytes with at
// most MaxPoints path points in all, so that a browser draws it at once
// even for the largest files.
package preview

import (
	"errors"
	"math"

	"tracksgo/internal/track"
)

// Bounds of what is kept and drawn.
const (
	// MaxTrackers is the most trackers drawn and listed; later ones are
	// only counted.
	MaxTrackers = 1000
	// MaxPoints is the most path points drawn in all (start marks aside).
	MaxPoints = 16000
	// MaxGaps is the most gaps the coverage chart draws in all.
	MaxGaps = 4000
	// MaxBytes is the most bytes Render writes for up to MaxTrackers.
	MaxBytes = 300_000

	// maxStored is the most path points kept while recording: past it
	// the grid coarsens for every tracker.
	maxStored = 1 << 16
	// maxStoredGaps is the most gaps kept per tracker while recording:
	// past it the closest gaps merge.
	maxStoredGaps = 512
)

// point is one kept position of a path; move says that the tracker had a
// gap since the point kept before it, so the path does not join them.
type point struct {
	x, y float64
	move bool
}

// gap is a run of frames without keyframes, from..to inclusive.
type gap struct{ from, to int }

// recTracker is what is kept of one tracker.
type recTracker struct {
	name        string
	first, last int
	keys        int
	gapCount    int   // every gap, also those merged in gaps
	gaps        []gap // merged when there were too many
	gapMerge    int   // gaps this close (covered frames between) are merged
	pts         []point
	pending     bool  // a gap (or an undrawable point) since the last kept point
	seen        point // the last drawable point, kept or not
	seenKept    bool
	hasSeen     bool
	prevFrame   int
}

// Recorder records an export for Render and Table. It is used by one
// goroutine (one export chain); its zero value is not ready: use New.
type Recorder struct {
	width, height int
	trackers      []*recTracker
	cur           *recTracker
	skip          bool // the current tracker is past MaxTrackers
	cell          float64
	stored        int
	omitted       int // trackers past MaxTrackers
	omittedKeys   int
	ended         bool

	minX, minY, maxX, maxY float64 // bounds of every drawable point recorded
	hasBounds              bool
}

// New returns an empty Recorder.
func New() *Recorder { return &Recorder{} }

var errOrder = errors.New("preview: export calls out of order")

// StartExport implements track.Exporter.
func (r *Recorder) StartExport(w, h int) error {
	r.width, r.height = w, h
	// One drawing unit of the comp frame: finer detail is not drawn.
	if w > 0 && h > 0 {
		r.cell = float64(max(w, h)) / plotWidth
	}
	return nil
}

// StartTracker implements track.Exporter.
func (r *Recorder) StartTracker(name string) error {
	if r.cur != nil || r.skip {
		return errOrder
	}
	if len(r.trackers) >= MaxTrackers {
		r.skip = true
		return nil
	}
	r.cur = &recTracker{name: name}
	return nil
}

// ExportPoint implements track.Exporter.
func (r *Recorder) ExportPoint(k track.Keyframe) error {
	if r.skip {
		r.omittedKeys++
		return nil
	}
	c := r.cur
	if c == nil {
		return errOrder
	}
	if c.keys == 0 {
		c.first = k.Frame
	} else if k.Frame > c.prevFrame+1 {
		c.addGap(gap{c.prevFrame + 1, k.Frame - 1})
		c.pending = true
	}
	c.prevFrame, c.last = k.Frame, k.Frame
	c.keys++
	if math.IsNaN(k.X) || math.IsNaN(k.Y) || math.IsInf(k.X, 0) || math.IsInf(k.Y, 0) {
		c.pending = true
		return nil
	}
	r.grow(k.X, k.Y)
	p := point{x: k.X, y: k.Y}
	c.seen, c.hasSeen = p, true
	if n := len(c.pts); n == 0 || far(p, c.pts[n-1], r.cell) {
		r.keep(c, p)
		return nil
	}
	c.seenKept = false
	return nil
}

// keep appends p to c's path, coarsening every path when too many are kept.
func (r *Recorder) keep(c *recTracker, p point) {
	p.move = c.pending && len(c.pts) > 0
	c.pending = false
	c.pts = append(c.pts, p)
	c.seenKept = true
	if r.stored++; r.stored > maxStored {
		r.coarsen()
	}
}

// EndTracker implements track.Exporter.
func (r *Recorder) EndTracker() error {
	if r.skip {
		r.skip = false
		r.omitted++
		return nil
	}
	c := r.cur
	if c == nil {
		return errOrder
	}
	r.cur = nil
	if c.keys == 0 {
		return nil
	}
	// The path ends where the tracker does.
	if c.hasSeen && !c.seenKept {
		r.keep(c, c.seen)
	}
	r.trackers = append(r.trackers, c)
	return nil
}

// ExportWhole implements track.WholeExporter: the pipeline then hands the
// tracker over without copying it for this chain.
func (r *Recorder) ExportWhole(t *track.Tracker) error {
	return track.ExportTracker(r, t)
}

// EndExport implements track.Exporter.
func (r *Recorder) EndExport() error {
	if r.cur != nil || r.skip {
		return errOrder
	}
	r.ended = true
	return nil
}

// grow widens the bounds of the recorded points to (x, y).
func (r *Recorder) grow(x, y float64) {
	if !r.hasBounds {
		r.minX, r.maxX, r.minY, r.maxY, r.hasBounds = x, x, y, y, true
		return
	}
	r.minX, r.maxX = min(r.minX, x), max(r.maxX, x)
	r.minY, r.maxY = min(r.minY, y), max(r.maxY, y)
}

// coarsen doubles the grid until at most half of maxStored points are
// kept, so that it runs only a few times whatever the file.
func (r *Recorder) coarsen() {
	for r.stored > maxStored/2 {
		if r.cell <= 0 {
			r.cell = max(r.maxX-r.minX, r.maxY-r.minY, 1) / plotWidth
		} else {
			r.cell *= 2
		}
		r.stored = 0
		for _, t := range r.all() {
			t.pts = thin(t.pts, r.cell)
			r.stored += len(t.pts)
		}
	}
}

// all is every recorded tracker, the one in progress included.
func (r *Recorder) all() []*recTracker {
	if r.cur != nil {
		return append(r.trackers[:len(r.trackers):len(r.trackers)], r.cur)
	}
	return r.trackers
}

// far tells whether p is at least cell away from q (in either axis).
func far(p, q point, cell float64) bool {
	d := max(math.Abs(p.x-q.x), math.Abs(p.y-q.y))
	return d > 0 && d >= cell
}

// thin keeps, in place, the first and last points and every point at
// least cell away from the one kept before it; a dropped point's gap
// passes to the next kept one.
func thin(pts []point, cell float64) []point {
	if len(pts) < 3 {
		return pts
	}
	out := pts[:1]
	pending := false
	for i := 1; i < len(pts); i++ {
		p := pts[i]
		pending = pending || p.move
		if i == len(pts)-1 || far(p, out[len(out)-1], cell) {
			p.move = pending
			pending = false
			out = append(out, p)
		}
	}
	return out
}

// addGap records a gap, merging the closest ones while there are too many.
func (c *recTracker) addGap(g gap) {
	c.gapCount++
	if n := len(c.gaps); n > 0 && g.from-c.gaps[n-1].to-1 <= c.gapMerge {
		c.gaps[n-1].to = g.to
		return
	}
	c.gaps = append(c.gaps, g)
	for len(c.gaps) > maxStoredGaps {
		c.gapMerge = max(1, 2*c.gapMerge)
		c.gaps = mergeGaps(c.gaps, c.gapMerge)
	}
}

// mergeGaps joins, in place, gaps with at most merge covered frames
// between them: the chart then shows one wider gap rather than hide one.
func mergeGaps(gaps []gap, merge int) []gap {
	if len(gaps) == 0 {
		return gaps
	}
	out := gaps[:1]
	for _, g := range gaps[1:] {
		if last := &out[len(out)-1]; g.from-last.to-1 <= merge {
			last.to = g.to
			continue
		}
		out = append(out, g)
	}
	return out
}
