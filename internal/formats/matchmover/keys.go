package matchmover

import (
	"cmp"
	"slices"

	"tracksgo/internal/track"
)

// keyAt is a keyframe with the line it came from, so that a repeated frame
// can be reported where the file repeats it.
type keyAt struct {
	track.Keyframe
	line int
}

// strictKeys orders keys by frame and checks the strict-add rule of
// FORMATS.md §1.1. Sorting once (instead of inserting one by one) keeps
// files that list frames backwards linear-logarithmic rather than quadratic.
// When a frame repeats, it returns the repeating key that comes first in
// file order: the one a key-by-key strict add would have failed on.
func strictKeys(keys []keyAt) ([]track.Keyframe, *keyAt) {
	sorted := true
	for i := 1; i < len(keys); i++ {
		if keys[i].Frame <= keys[i-1].Frame {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortStableFunc(keys, func(a, b keyAt) int { return cmp.Compare(a.Frame, b.Frame) })
		var dup *keyAt
		for i := 1; i < len(keys); i++ {
			if keys[i].Frame == keys[i-1].Frame && (dup == nil || keys[i].line < dup.line) {
				dup = &keys[i]
			}
		}
		if dup != nil {
			return nil, dup
		}
	}
	out := make([]track.Keyframe, len(keys))
	for i, k := range keys {
		out[i] = k.Keyframe
	}
	return out, nil
}
