package flame

import (
	"io"
	"sort"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// Corner positions, as the sorter finds them.
const (
	topLeft = iota
	topRight
	bottomLeft
	bottomRight
)

// cornerSorter (FORMATS.md §5.8) keeps the first four trackers, works out
// which corner each one tracks from its first keyframe, and then exports
// them, in the order the wrapped exporter expects, as one complete export.
type cornerSorter struct {
	next  track.Exporter
	order [4]int // corner written at each position

	width, height int
	trackers      []*track.Tracker
	cur           *track.Tracker
}

func newExporterCornerpin(w io.Writer, o format.Options) track.Exporter {
	return &cornerSorter{
		next:  &stabilizer{w: w, o: o, prefix: []string{"top_left", "top_right", "bottom_left", "bottom_right"}},
		order: [4]int{topLeft, topRight, bottomLeft, bottomRight},
	}
}

func newExporter2014Cornerpin(w io.Writer, o format.Options) track.Exporter {
	return &cornerSorter{
		next:  &stabilizer{w: w, o: o, v2014: true, prefix: []string{"tracker0_0", "tracker0_1", "tracker1_0", "tracker1_1"}},
		order: [4]int{bottomLeft, topLeft, bottomRight, topRight},
	}
}

func (c *cornerSorter) StartExport(w, h int) error {
	c.width, c.height = w, h
	c.trackers = nil
	return nil
}

func (c *cornerSorter) StartTracker(name string) error {
	c.cur = nil
	if len(c.trackers) < 4 {
		c.cur = track.New(name)
	}
	return nil
}

func (c *cornerSorter) ExportPoint(k track.Keyframe) error {
	if c.cur != nil {
		c.cur.Set(k)
	}
	return nil
}

func (c *cornerSorter) EndTracker() error {
	if c.cur != nil {
		c.trackers = append(c.trackers, c.cur)
		c.cur = nil
	}
	return nil
}

// ExportWhole keeps a settled tracker, one of the first four, rather than
// a copy of it.
func (c *cornerSorter) ExportWhole(t *track.Tracker) error {
	if len(c.trackers) < 4 {
		c.trackers = append(c.trackers, t)
	}
	c.cur = nil
	return nil
}

func (c *cornerSorter) EndExport() error {
	out := c.trackers
	if corners, ok := sortCorners(c.trackers); ok {
		out = make([]*track.Tracker, 4)
		for i, corner := range c.order {
			out[i] = corners[corner]
		}
	}
	// The stabilizer may keep the trackers rather than copy them: those
	// kept here are settled (track.New sanitized the name and Set kept
	// the frames increasing, or they came whole). Lint's checks can fail
	// only without trackers or with an empty one: JustExport says so.
	whole, ok := c.next.(track.WholeExporter)
	for _, t := range out {
		ok = ok && !t.Empty() && track.Settled(t)
	}
	if !ok || len(out) == 0 {
		return track.JustExport(c.next, c.width, c.height, out)
	}
	if err := whole.StartExport(c.width, c.height); err != nil {
		return err
	}
	for _, t := range out {
		if err := whole.ExportWhole(t); err != nil {
			return err
		}
	}
	return whole.EndExport()
}

// sortCorners assigns four trackers to the corners by their first
// keyframes: the two lowest are the bottom pair, and the leftmost of each
// pair is its left corner. Anything but four non-empty trackers stays as is.
func sortCorners(ts []*track.Tracker) ([4]*track.Tracker, bool) {
	var c [4]*track.Tracker
	if len(ts) != 4 {
		return c, false
	}
	for _, t := range ts {
		if t.Empty() {
			return c, false
		}
	}
	byY := append([]*track.Tracker(nil), ts...)
	first := func(t *track.Tracker) track.Keyframe { return t.Keyframes[0] }
	sort.SliceStable(byY, func(i, j int) bool { return first(byY[i]).Y < first(byY[j]).Y })
	bottom, top := byY[:2], byY[2:]
	for _, pair := range [][]*track.Tracker{bottom, top} {
		sort.SliceStable(pair, func(i, j int) bool { return first(pair[i]).X < first(pair[j]).X })
	}
	c[bottomLeft], c[bottomRight] = bottom[0], bottom[1]
	c[topLeft], c[topRight] = top[0], top[1]
	return c, true
}
