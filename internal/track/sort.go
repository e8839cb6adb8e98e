package track

import (
	"cmp"
	"slices"
)

// SortKeyframes puts keyframes collected in file order into ascending frame
// order with set semantics: the last keyframe given for a frame wins.
// Tracker.Set does the same one keyframe at a time but costs O(n) for each
// keyframe that arrives out of order, so a file listing its frames
// backwards would make an importer quadratic; this sorts once.
func SortKeyframes(ks []Keyframe) []Keyframe {
	ordered := true
	for i := 1; i < len(ks) && ordered; i++ {
		ordered = ks[i].Frame > ks[i-1].Frame
	}
	if ordered {
		return ks
	}
	slices.SortStableFunc(ks, func(a, b Keyframe) int { return cmp.Compare(a.Frame, b.Frame) })
	out := ks[:0]
	for _, k := range ks {
		if n := len(out); n > 0 && out[n-1].Frame == k.Frame {
			out[n-1] = k
			continue
		}
		out = append(out, k)
	}
	return out
}
