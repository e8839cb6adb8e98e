package mayalive

import "testing"

func TestSniff(t *testing.T) {
	for head, want := range map[string]int{
		"#  Size  1280  540\n#  Name  trackedPoint1\n": 2,
		"#  Size  1920  1080  1.78\n":                  2,
		"#  Size  1920  1080":                          2, // the only line, without LF
		"#  Size  1920\n":                              0,
		"#  Sizes  1920  1080\n":                       0,
		"#  Name  a\n0 0 0 0 -1\n":                     0,
		"# boujou 2d tracks export: text\n":            0,
	} {
		if got := sniffImporter([]byte(head)); got != want {
			t.Errorf("sniff(%q) = %d, want %d", head, got, want)
		}
	}
}
