package pftrack

import (
	"cmp"
	"slices"

	"tracksgo/internal/track"
)

// setKeys orders keys by frame; a repeated frame keeps the last one given
// (the "set" semantics of FORMATS.md §1.1). PFTrack v5 files list frames
// in any order: sorting once, rather than inserting one key at a time,
// keeps that from going quadratic.
func setKeys(keys []track.Keyframe) []track.Keyframe {
	sorted := true
	for i := 1; i < len(keys); i++ {
		if keys[i].Frame <= keys[i-1].Frame {
			sorted = false
			break
		}
	}
	if sorted {
		return keys
	}
	slices.SortStableFunc(keys, func(a, b track.Keyframe) int { return cmp.Compare(a.Frame, b.Frame) })
	out := keys[:0]
	for _, k := range keys {
		if n := len(out); n > 0 && out[n-1].Frame == k.Frame {
			out[n-1] = k
			continue
		}
		out = append(out, k)
	}
	return out
}
