package equalizer

import "testing"

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name   string
		head   string
		v3, v4 int
	}{
		{"v3", "// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames\n02\n03\n\t23\t71.7\t481.7\n", 2, 0},
		{"v3 cut in the header", "// 3DE Multiple Tracking Curves Export 2048 x 7", 2, 0},
		{"v3 after blank lines", "\r\n\r\n// 3DE Multiple Tracking Curves Export 1 x 1 * 1 frames\r\n", 2, 0},
		{"v4", "8\n01\n0\n61\n40 407.384758225105315 232.449011732690479\n41 407.3 232.4\n42 4", 0, 1},
		{"v4 empty first tracker", "2\na\n0\n0\nb\n3\n3\n1 2 3\n2 2 3\n3 2 3\n", 0, 1},
		{"v4 as many keyframes as trackers", "2\na\n0\n0\nb\n3\n1\n1 2 3\n", 0, 0},
		{"v4 one keyframe", "8\n01\n0\n61\n40 407.384758225105315 232.449011732690479\n41 4", 0, 0},
		{"v4 lines after the last tracker", "1\na\n0\n2\n1 2 3\n2 2 3\nmilk\n", 0, 0},
		{"v4 blank name", "1\n\n0\n2\n1 2 3\n2 2 3\n", 0, 0},
		{"v4 cut before a keyframe", "8\n01\n0\n61\n40 407.38475822510", 0, 0},
		{"v4 bad colour", "1\na\nred\n1\n1 2 3\n", 0, 0},
		{"v4 bad keyframe", "1\na\n0\n2\n1 2 3\n2 x 3\n", 0, 0},
		{"v4 zero trackers", "0\n", 0, 0},
		{"lone number", "42\n", 0, 0},
		{"pftrack", "\n\n\"Tracker1\"\n341\n41 984.611 30.220 0.000\n", 0, 0},
	} {
		if got := sniffImport3([]byte(c.head)); got != c.v3 {
			t.Errorf("%s: v3 sniff %d, want %d", c.name, got, c.v3)
		}
		if got := sniffImport4([]byte(c.head)); got != c.v4 {
			t.Errorf("%s: v4 sniff %d, want %d", c.name, got, c.v4)
		}
	}
}
