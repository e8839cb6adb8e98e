package tools

import "tracksgo/internal/track"

// Slipper moves every keyframe in time (FORMATS.md §7.6).
var Slipper = define("Slipper", "Slip in time", "Slip all the tracker keyframes in time", []Param{
	{Name: "slip", Label: "Slip (frames)", Type: "int", Default: "0", Help: "Frames to add to every keyframe (negative: earlier)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	s := &slipper{Passthrough: track.Passthrough{Next: next}}
	s.slip, _ = a.int("slip")
	return s, nil
})

type slipper struct {
	track.Passthrough
	slip int
}

func (s *slipper) ExportPoint(k track.Keyframe) error {
	k.Frame += s.slip
	return s.Next.ExportPoint(k)
}
