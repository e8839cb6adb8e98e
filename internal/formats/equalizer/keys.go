package equalizer

import (
	"cmp"
	"slices"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// sortKeys puts keyframes collected in file order into ascending frame
// order with set semantics: the last keyframe read for a frame wins.
// Tracker.Set does the same one keyframe at a time, but costs O(n) for each
// keyframe that arrives out of order; a file listing its frames backwards
// would make that quadratic.
func sortKeys(ks []track.Keyframe) []track.Keyframe {
	ordered := true
	for i := 1; i < len(ks) && ordered; i++ {
		ordered = ks[i].Frame > ks[i-1].Frame
	}
	if ordered {
		return ks
	}
	slices.SortStableFunc(ks, func(a, b track.Keyframe) int { return cmp.Compare(a.Frame, b.Frame) })
	out := ks[:0]
	for i, k := range ks {
		if i+1 < len(ks) && ks[i+1].Frame == k.Frame {
			continue // a later keyframe at this frame wins
		}
		out = append(out, k)
	}
	return out
}

// emit hands a tracker over with its keyframes in order.
func emit(s *format.Session, t *track.Tracker) error {
	t.Keyframes = sortKeys(t.Keyframes)
	return s.Emit(t)
}
