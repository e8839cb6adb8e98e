package mayalive

import "testing"

func TestSniff(t *testing.T) {
	for head, want := range map[string]int{
		"#  Size  1280  540\n#  Name  trackedPoint1\n0 0 -0.93 0.90 -1\n0 1 -0.93 0.88 0.00077\n":                       2,
		"#  Size  1920  1080  1.78\n\n#  Name  a\n0 0 0 0 -1\n0 1 1e-3 0 0\n#  Name  b\n#  Name  c\n1 5 0 0\n1 6 0 0\n": 2,
		"#  Size  1280  540\n#  Name  trackedPoint1\n":                                                                  0, // no keyframe
		"#  Size  1920  1080  1.78\n":                                          0,
		"#  Size  1920  1080":                                                  0,
		"#  Size  10  20\n\nA note that starts like a header.\n":               0,
		"#  Size  1280  540\n0 0 0 0 -1\n":                                     0, // keyframe before a name
		"#  Size  1280  540\n#  Name  a\n#  Name  b\n0 0 0 0 -1\n0 1 0 0 -1\n": 0,
		"#  Size  1280  540\n#  Name  a\n0 0 0 0 -1\n0 1.5 0 0 -1\n":           0,
		"#  Size  1920\n":                                                      0,
		"#  Sizes  1920  1080\n":                                               0,
		"#  Name  a\n0 0 0 0 -1\n":                                             0,
		"# boujou 2d tracks export: text\n":                                    0,
	} {
		if got := sniffImporter([]byte(head)); got != want {
			t.Errorf("sniff(%q) = %d, want %d", head, got, want)
		}
	}
}
