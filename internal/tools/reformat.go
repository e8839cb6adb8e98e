package tools

import (
	"fmt"

	"tracksgo/internal/track"
)

// Reformat scales the comp to a given size (FORMATS.md §7.3).
var Reformat = define("Reformat", "Reformat", "Reformat the comp together with it's trackers to conform to a specific format", []Param{
	{Name: "width", Label: "New width (pixels)", Type: "int", Help: "New comp width in pixels (empty keeps the width)"},
	{Name: "height", Label: "New height (pixels)", Type: "int", Help: "New comp height in pixels (empty keeps the height)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	r := &reformat{next: next}
	r.width, r.wset = a.int("width")
	r.height, r.hset = a.int("height")
	if r.wset && r.width <= 0 {
		return nil, a.errorf("width", "must be greater than 0")
	}
	if r.hset && r.height <= 0 {
		return nil, a.errorf("height", "must be greater than 0")
	}
	return r, nil
})

// reformat becomes a Scaler once the incoming size is known: Next is that
// Scaler after StartExport.
type reformat struct {
	track.Passthrough
	next          track.Exporter
	width, height int
	wset, hset    bool
}

func (r *reformat) StartExport(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("reformat: cannot reformat a comp of %dx%d pixels", w, h)
	}
	tw, th := w, h
	if r.wset {
		tw = r.width
	}
	if r.hset {
		th = r.height
	}
	// Both factors count as given, so reformatting to the same size is a
	// pure pass-through.
	r.Next = newScaler(r.next, float64(tw)/float64(w), true, float64(th)/float64(h), true)
	return r.Next.StartExport(w, h)
}
