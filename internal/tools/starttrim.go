package tools

import "tracksgo/internal/track"

// StartTrim drops keyframes before frame 0 (frame 1 of 1-based formats)
// and the trackers left empty by that (FORMATS.md §7.8).
var StartTrim = define("StartTrim", "Trim before frame 1", "Remove all the keyframes that are on frames below 1", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return &startTrim{track.Passthrough{Next: newLengthCutoff(next, 1)}}, nil
	})

type startTrim struct{ track.Passthrough }

func (s *startTrim) ExportPoint(k track.Keyframe) error {
	if k.Frame < 0 {
		return nil
	}
	return s.Next.ExportPoint(k)
}
