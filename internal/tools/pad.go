package tools

import (
	"fmt"
	"math"

	"tracksgo/internal/track"
)

// Pad grows or shrinks the comp by fractions of its size (FORMATS.md §7.4).
var Pad = define("Pad", "Pad or crop (fraction)", "Pad or crop the image by a fraction of it's original size", []Param{
	{Name: "left_pad", Label: "Left pad (fraction of width)", Type: "float", Default: "0", Help: "Fraction of the width to add on the left (negative crops)"},
	{Name: "right_pad", Label: "Right pad (fraction of width)", Type: "float", Default: "0", Help: "Fraction of the width to add on the right (negative crops)"},
	{Name: "top_pad", Label: "Top pad (fraction of height)", Type: "float", Default: "0", Help: "Fraction of the height to add at the top (negative crops)"},
	{Name: "bottom_pad", Label: "Bottom pad (fraction of height)", Type: "float", Default: "0", Help: "Fraction of the height to add at the bottom (negative crops)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	p := &pad{Passthrough: track.Passthrough{Next: next}}
	p.left, _ = a.float("left_pad")
	p.right, _ = a.float("right_pad")
	p.top, _ = a.float("top_pad")
	p.bottom, _ = a.float("bottom_pad")
	return p, nil
})

type pad struct {
	track.Passthrough
	left, right, top, bottom float64
	dx, dy                   float64 // subtracted from every point
}

func (p *pad) StartExport(w, h int) error {
	nw, nh, ok := p.resize(w, h)
	if !ok {
		return fmt.Errorf("pad: padding a %dx%d comp by left %g, right %g, top %g, bottom %g leaves no usable comp",
			w, h, p.left, p.right, p.top, p.bottom)
	}
	return p.Next.StartExport(nw, nh)
}

// resize sets up the point offsets and returns the new size; not ok when
// that size is empty or out of range.
func (p *pad) resize(w, h int) (nw, nh int, ok bool) {
	fw, fh := float64(w), float64(h)
	// The reference subtracts the left and bottom amounts, so a positive
	// left pad moves points left. Kept as is (FORMATS.md §7.4).
	p.dx, p.dy = fw*p.left, fh*p.bottom
	nw, okw := sizeInt(math.Ceil(fw * (1 + p.left + p.right)))
	nh, okh := sizeInt(math.Ceil(fh * (1 + p.bottom + p.top)))
	ok = okw && okh && (w <= 0 || nw > 0) && (h <= 0 || nh > 0)
	return nw, nh, ok
}

func (p *pad) ExportPoint(k track.Keyframe) error {
	k.X -= p.dx
	k.Y -= p.dy
	return p.Next.ExportPoint(k)
}
