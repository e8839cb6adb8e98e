package shakescript

import (
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want int
	}{
		{"// Shake v4.10.0606 - (c) Apple Computer, Inc. 1998-2006.  All Rights Reserved.\n\nSetFps(24);\n", 2},
		{"// REDACTED - (c) Apple\n// Apple, the Apple logo and Shake are trademarks\nSetQuality(1);\n", 2},
		{"//boujou export: Shake Script\n\nBoujou_Tracks = Tracker(0, \"5-391\",", 2},
		{"// Exported by REALVIZ MatchMover 3.0\n\n// REALVIZ export tag\nSetTimeRange(\"1-723\");\n", 2},
		{"#include <nreal.h>\n\nimage M(image In = 0)\n{\n  return In;\n}\n", 2},
		{"/* a block\n comment */ curve float x = Linear(0, 1@1);\nT = Tracker(x, \"a;b\" /* ) */, 2);\n", 1},
		// A comment naming Shake is no script on its own, and what follows
		// it must have Shake statements' shapes.
		{"// Shake v4.10.0606 - (c) Apple Computer, Inc. 1998-2006.  All Rights Reserved.\n", 0},
		{"// Shake the tree\npackage main\n\nfunc main() {\n\tx = f(1)\n}\n", 0},
		{"// Shake it\nconst x = require(\"y\");\nx = f(x);\n", 0},
		{"#include <stdio.h>\nint main(void) {\n  return 0;\n}\n", 0},
		{"import sys\nx = f(1)\n", 0},
		{"console.log(\"x\");\n", 0},
		{"# Shake notes\nSetFps(24);\n", 0},
		{"SetFps(24);\n", 2},
		{"Copy_tracker = Tracker (0, \"1-850\",", 1},
		{"image F(int a = 0)\n{\n    fx1 = OfxPluginFactory(F);return fx1;\n}\n", 1},
		{"", 0},
		{"// 3DE Multiple Tracking Curves Export 2048 x 778 * 275 frames\n", 0},
		{"TrackName track1\n   Frame             X             Y   Correlation\n", 0},
		{"a = 1\n", 0},
		{"Tracker1 {\n inputs 0\n}\n", 0},
		// A header further down than the top lines is only a shape.
		{strings.Repeat("\n", 40) + "SetTimeRange(\"1\");\nA = B(1);\n", 1},
	}
	for _, tc := range tests {
		if got := sniffImporter([]byte(tc.head)); got != tc.want {
			t.Errorf("sniff(%q) = %d, want %d", tc.head, got, tc.want)
		}
	}
}

// Every Shake script of the corpus scores, every other corpus file scores 0.
func TestSniffCorpus(t *testing.T) {
	for _, h := range formattest.CorpusHeads(t) {
		got := sniffImporter(h.Data)
		if h.Dir == "shake_script" {
			if got == 0 {
				t.Errorf("%s: scored 0", h.Rel)
			}
		} else if got != 0 {
			t.Errorf("%s: scored %d, want 0", h.Rel, got)
		}
	}
}
