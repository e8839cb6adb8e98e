package syntheyes

import (
	"testing"

	"tracksgo/internal/track"
)

func TestSortKeys(t *testing.T) {
	k := func(frame int, x float64) track.Keyframe { return track.Keyframe{Frame: frame, X: x} }
	for _, c := range []struct {
		name     string
		in, want []track.Keyframe
	}{
		{"empty", nil, nil},
		{"ordered", []track.Keyframe{k(1, 1), k(2, 2)}, []track.Keyframe{k(1, 1), k(2, 2)}},
		{"backwards", []track.Keyframe{k(3, 3), k(2, 2), k(-1, 1)}, []track.Keyframe{k(-1, 1), k(2, 2), k(3, 3)}},
		{"repeats", []track.Keyframe{k(2, 1), k(1, 1), k(2, 2), k(1, 3), k(2, 4), k(5, 5)}, []track.Keyframe{k(1, 3), k(2, 4), k(5, 5)}},
		{"repeat at the end", []track.Keyframe{k(1, 1), k(1, 2)}, []track.Keyframe{k(1, 2)}},
	} {
		got := sortKeys(append([]track.Keyframe(nil), c.in...))
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
