package tools

import (
	"fmt"

	"tracksgo/internal/track"
)

// Crop is Pad with pixel amounts (FORMATS.md §7.5).
var Crop = define("Crop", "Crop or extend (pixels)", "Crop or pad the image by a specified number of pixels", []Param{
	{Name: "top", Label: "Top (pixels)", Type: "int", Default: "0", Help: "Pixels to add at the top (negative crops)"},
	{Name: "left", Label: "Left (pixels)", Type: "int", Default: "0", Help: "Pixels to add on the left (negative crops)"},
	{Name: "right", Label: "Right (pixels)", Type: "int", Default: "0", Help: "Pixels to add on the right (negative crops)"},
	{Name: "bottom", Label: "Bottom (pixels)", Type: "int", Default: "0", Help: "Pixels to add at the bottom (negative crops)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	c := &crop{pad: pad{Passthrough: track.Passthrough{Next: next}}}
	c.top, _ = a.int("top")
	c.left, _ = a.int("left")
	c.right, _ = a.int("right")
	c.bottom, _ = a.int("bottom")
	return c, nil
})

type crop struct {
	pad
	top, left, right, bottom int
}

func (c *crop) StartExport(w, h int) error {
	if (w <= 0 && (c.left != 0 || c.right != 0)) || (h <= 0 && (c.top != 0 || c.bottom != 0)) {
		return fmt.Errorf("crop: cannot crop a comp of %dx%d pixels", w, h)
	}
	c.pad.left = fraction(c.left, w)
	c.pad.right = fraction(c.right, w)
	c.pad.top = fraction(c.top, h)
	c.pad.bottom = fraction(c.bottom, h)
	nw, nh, ok := c.resize(w, h)
	if !ok {
		return fmt.Errorf("crop: cropping a %dx%d comp by left %d, right %d, top %d, bottom %d pixels leaves no usable comp",
			w, h, c.left, c.right, c.top, c.bottom)
	}
	return c.Next.StartExport(nw, nh)
}

// fraction is px/size; 0 for no pixels, which keeps a 0 size from giving NaN.
func fraction(px, size int) float64 {
	if px == 0 {
		return 0
	}
	return float64(px) / float64(size)
}
