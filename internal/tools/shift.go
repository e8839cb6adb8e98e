package tools

import "tracksgo/internal/track"

// Shift moves every point by a number of pixels (FORMATS.md §7.6).
var Shift = define("Shift", "Move", "Move all the trackers by a specified number of pixels", []Param{
	{Name: "x_shift", Label: "X shift (pixels)", Type: "float", Default: "0", Help: "Pixels to move right (negative: left)"},
	{Name: "y_shift", Label: "Y shift (pixels)", Type: "float", Default: "0", Help: "Pixels to move up (negative: down)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	s := &shift{Passthrough: track.Passthrough{Next: next}}
	s.x, _ = a.float("x_shift")
	s.y, _ = a.float("y_shift")
	return s, nil
})

type shift struct {
	track.Passthrough
	x, y float64
}

func (s *shift) ExportPoint(k track.Keyframe) error {
	k.X += s.x
	k.Y += s.y
	return s.Next.ExportPoint(k)
}
