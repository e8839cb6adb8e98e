package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/formats/jsontracks"
)

// TestAEKeyframesThroughTheProgram: After Effects keyframe data converts
// with -f aekeyframes and with detection alone; the size comes from the
// file, or from -w/-h where the file has none, and without either the
// converter says that it needs them.
func TestAEKeyframesThroughTheProgram(t *testing.T) {
	testdata := filepath.Join("..", "internal", "formats", "aekeyframes", "testdata")
	for _, c := range []struct {
		file  string
		args  []string
		w, h  int
		names string
	}{
		{"mocha_movement.txt", []string{"-f", "aekeyframes"}, 1280, 720, "Position"},
		{"mocha_movement.txt", nil, 1280, 720, "Position"},
		{"ae_composite_bom_crlf.txt", []string{"-w", "640", "-h", "480"}, 1920, 1080, "Position Tracker_1_Track_Point_1 top_left"},
		{"max_cornerpin.txt", []string{"-f", "AEKeyframes", "-w", "720", "-h", "576"}, 720, 576, "top_left top_right bottom_left bottom_right"},
		{"max_cornerpin.txt", []string{"-w", "720", "-h", "576"}, 720, 576, "top_left top_right bottom_left bottom_right"},
	} {
		out := t.TempDir()
		args := append(append([]string{"--only", "json", "--out", out}, c.args...), filepath.Join(testdata, c.file))
		res := converter(t, nil, args...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
		}
		if !strings.Contains(res.stdout+res.stderr, "AEKeyframes") {
			t.Errorf("%v: the summary does not name the importer:\n%s", args, res.stdout)
		}
		s, got, err := formattest.ImportFile(t, jsontracks.Importer, filepath.Join(out, strings.TrimSuffix(c.file, ".txt")+"_tracks.json"), 0, 0)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		var names []string
		for _, tr := range got {
			names = append(names, tr.Name)
		}
		if s.Width != c.w || s.Height != c.h || strings.Join(names, " ") != c.names {
			t.Errorf("%v: %dx%d %v, want %dx%d %s", args, s.Width, s.Height, names, c.w, c.h, c.names)
		}
	}

	// No size in the file and none given: one line, exit 1, nothing written.
	out := t.TempDir()
	res := converter(t, nil, "--out", out, filepath.Join(testdata, "max_cornerpin.txt"))
	want := "Width and height must be provided for this importer (the keyframe data gives Source Width 0.0 and Source Height 0.0, not a frame size)"
	if res.code != 1 || !strings.Contains(strings.SplitN(res.stderr, "\n", 2)[0], want) {
		t.Errorf("exit %d, stderr %q; want exit 1 with %q", res.code, res.stderr, want)
	}
	// Nothing to track: the importer's own message, not "unknown format".
	res = converter(t, nil, "--out", out, filepath.Join(testdata, "ofxaekp_rotation.txt"))
	if res.code != 1 || !strings.Contains(res.stderr, "AEKeyframes: no 2D track in this keyframe data") || !strings.Contains(res.stderr, "found: Transform Rotation") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("%d files written by failed conversions", len(left))
	}
}
