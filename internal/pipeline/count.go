package pipeline

import (
	"math"

	"tracksgo/internal/track"
)

// emptySummary is a Summary before its first keyframe: the frame range
// is inverted so that the first keyframe sets both ends.
func emptySummary() Summary {
	return Summary{FirstFrame: math.MaxInt, LastFrame: math.MinInt}
}

// addTracker counts a whole tracker (not empty, frames non-decreasing).
func (s *Summary) addTracker(t *track.Tracker) {
	s.Trackers++
	s.Keyframes += t.Len()
	s.FirstFrame = min(s.FirstFrame, t.Keyframes[0].Frame)
	s.LastFrame = max(s.LastFrame, t.Keyframes[t.Len()-1].Frame)
}

// counter forwards every call and sums up what passes. Under the tools and
// Lint of one chain it sees what that chain's exporter receives: the
// trackers after the tools, which every output holds (tools are
// deterministic, so every chain gets the same). Points are counted as
// they arrive, as the import side counts a tracker's keyframes.
type counter struct {
	track.Passthrough
	sum  Summary
	open bool // the current tracker has had a point
}

func newCounter(next track.Exporter) *counter {
	return &counter{Passthrough: track.Passthrough{Next: next}, sum: emptySummary()}
}

func (c *counter) StartExport(w, h int) error {
	c.sum.Width, c.sum.Height = w, h
	return c.Next.StartExport(w, h)
}

func (c *counter) StartTracker(name string) error {
	c.open = false
	return c.Next.StartTracker(name)
}

func (c *counter) ExportPoint(k track.Keyframe) error {
	if !c.open {
		// A tracker counts once it has a point: Lint rejects one that
		// has none, but the count need not rely on it.
		c.open = true
		c.sum.Trackers++
	}
	c.sum.Keyframes++
	c.sum.FirstFrame = min(c.sum.FirstFrame, k.Frame)
	c.sum.LastFrame = max(c.sum.LastFrame, k.Frame)
	return c.Next.ExportPoint(k)
}
