package nuke

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
)

// head reads what the detector sees: the first 8 KiB.
func head(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 8<<10)
	n, err := io.ReadFull(f, b)
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatal(err)
	}
	return b[:n]
}

// TestSniffCorpus: every Nuke sample is recognised (with a header where it
// has one) and no other corpus file is.
func TestSniffCorpus(t *testing.T) {
	root := filepath.Join(formattest.SharedDir(t), "corpus", "import")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		score := sniffImporter(head(t, path))
		switch {
		case strings.HasPrefix(rel, "nuke"+string(filepath.Separator)):
			want := 2
			if filepath.Base(rel) == "cornerpin.nk" { // a bare node, no header
				want = 1
			}
			if score != want {
				t.Errorf("%s: score %d, want %d", rel, score, want)
			}
		case score != 0:
			t.Errorf("%s: score %d, want 0", rel, score)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSniff(t *testing.T) {
	export := formattest.ExportString(t, Exporter, format.Options{}, 1920, 1080, formattest.RefTrackers())
	for _, c := range []struct {
		what, head string
		want       int
	}{
		{"our own export", export, 2},
		{"shebang then version", "#! /usr/local/Nuke6.3v4/Nuke6.3 -nx\nversion 6.3 v4\n", 2},
		{"version on a CRLF line", "\r\nversion 5.1200\r\n", 2},
		{"autosave header cut mid-line", "#! C:/Program Files/Nuke8.0v2/nuke-8.0.v2.dll -nx\nversion 8.0 v2\ndefine_window_layout_xml {<?xml vers", 2},
		{"Root block", "define_window_layout_xml {x}\nRoot {\n inputs 0\n}\n", 2},
		{"copy-paste header", "set cut_paste_input [stack 0]\r\nversion 8.0 v5\r\n", 2},
		{"copy-paste header alone", "set cut_paste_input [stack 0]\n", 2},
		{"node block", "Tracker3 {\n track1 {{curve x1 1} {curve x1 2}}\n name T\n}\n", 1},
		{"node in a group, knob line cut", " Tracker3 {\n  track1 {{curve x1 1 2 3", 1},
		{"empty node", "Dot {\n}\n", 1},
		{"node header cut", "Tracker3 {", 0},
		{"lower-case block", "planarTransformMatrix {\n x 1\n}\n", 0},
		{"version later", "foo\nversion 5.1\n", 0},
		{"version in prose", "version 2.0 is out\n", 0},
		{"Markdown heading, then version", "# Changelog\n\nversion 2.0\n- new\n", 0},
		{"only a version line, no LF", "version 7.0 v2", 2},
		{"node after prose", "Some text\nTracker3 {\n name T\n}\n", 0},
		{"CSS", "body {\n  margin: 0;\n}\n", 0},
		{"version without number", "version x\n", 0},
		{"Shake script", "SetTimeRange(\"1-100\");\nTracker1 = Tracker(0, \"1\", 1, 0);\n", 0},
		{"3DE", "2\nTracker1\n0\n3\n1 100.0 200.0\n", 0},
		{"empty", "", 0},
		{"binary", "\x00\xff{\n\x00", 0},
	} {
		if got := sniffImporter([]byte(c.head)); got != c.want {
			t.Errorf("%s: score %d, want %d", c.what, got, c.want)
		}
	}
}
