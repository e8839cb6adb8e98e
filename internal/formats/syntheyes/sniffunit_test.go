package syntheyes

import "testing"

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name     string
		head     string
		paths2d  int
		allPaths int
	}{
		{"2d", "Tracker1  0 -0.441406 -0.640741 30\nTracker1  1 -0.441406 -0.640741 30\nTrack", 1, 0},
		{"2d off the edge", "a 0 -1.3 1.2 15\na 1 -1.3 1.2 15\n", 1, 0},
		{"2d one keyframe per tracker", "a 0 0.1 0.2 15\nb 0 0.1 0.2 15\n", 0, 0},
		{"2d in pixels", "a 0 715.2 885.6 15\n", 0, 0},
		{"2d float status", "a 0 0.1 0.2 0.5\n", 0, 0},
		{"2d negative status", "a 0 0.1 0.2 -1\n", 0, 0},
		{"2d comment", "# a 0 0.1 0.2 7\n", 0, 0},
		{"mayalive data", "0 0 -0.93 0.90 -1\n", 0, 0},
		{"all paths", "Tracker2\r\n0 760.632 727.860\r\n1 754.284 723.877\r\nTracker3\r\n0 1 2\r\n", 0, 1},
		{"all paths signed", "Tracker2\n0 -760 1e3\n1 -7.5 +1E3\n", 0, 1},
		{"all paths empty tracker", "A\n0 1 2\n1 1 2\nB\nC\n0 1 2\n1 1 2\n", 0, 1},
		{"all paths one keyframe", "Tracker2\n0 -760 1e3\n", 0, 0},
		{"all paths first tracker empty", "A\nB\n0 1 2\n1 1 2\n2 1 2\n", 0, 0},
		{"all paths more names than keyframes", "A\n0 1 2\nB\nC\nD\n", 0, 0},
		{"shopping list", "Hello there\nmilk\neggs\n1 2 3\n", 0, 0},
		{"table with a TAB header", "frame\tx\ty\n1 2 3\n2 3 4\n", 0, 0},
		{"all paths name only", "Tracker2\n", 0, 0},
		{"all paths keyframe first", "0 1 2\nA\n", 0, 0},
		{"all paths fractional frame", "A\n0.5 1 2\n", 0, 0},
		{"all paths indented", "A\n\t23\t71.7\t481.7\n", 0, 0},
		{"all paths numeric name", "8\n0 1 2\n", 0, 0},
		{"all paths four numbers", "A\n0 1 2 3\n", 0, 0},
		{"3de v3", "// 3DE Multiple Tracking Curves Export\nA\n1 2 3\n", 0, 0},
	} {
		if got := sniffImporter([]byte(c.head)); got != c.paths2d {
			t.Errorf("%s: 2-D paths sniff %d, want %d", c.name, got, c.paths2d)
		}
		if got := sniffAllPathsImporter([]byte(c.head)); got != c.allPaths {
			t.Errorf("%s: all paths sniff %d, want %d", c.name, got, c.allPaths)
		}
	}
}
