package track

import (
	"testing"
)

func TestSortKeyframes(t *testing.T) {
	k := func(frame int, x float64) Keyframe { return Keyframe{Frame: frame, X: x} }
	for _, c := range []struct {
		name     string
		in, want []Keyframe
	}{
		{"empty", nil, nil},
		{"ordered", []Keyframe{k(1, 1), k(2, 2)}, []Keyframe{k(1, 1), k(2, 2)}},
		{"backwards", []Keyframe{k(3, 3), k(2, 2), k(-1, 1)}, []Keyframe{k(-1, 1), k(2, 2), k(3, 3)}},
		{"repeats", []Keyframe{k(2, 1), k(1, 1), k(2, 2), k(1, 3), k(2, 4), k(5, 5)}, []Keyframe{k(1, 3), k(2, 4), k(5, 5)}},
		{"repeat at the end", []Keyframe{k(1, 1), k(1, 2)}, []Keyframe{k(1, 2)}},
	} {
		got := SortKeyframes(append([]Keyframe(nil), c.in...))
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
