package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
)

// aeTestdata holds the After Effects keyframe data test files (FORMATS.md §4.14).
var aeTestdata = filepath.Join("..", "formats", "aekeyframes", "testdata")

// TestRunAEKeyframesToJSON: AE keyframe data is detected by content
// under any name, and converts without a size when the file has one; the
// size in the file wins over the user's.
func TestRunAEKeyframesToJSON(t *testing.T) {
	in := filepath.Join(aeTestdata, "ae_composite_bom_crlf.txt")
	for _, c := range []struct {
		name string
		w, h int
	}{{"clipboard.txt", 0, 0}, {"clipboard", 0, 0}, {"position.js", 720, 576}} {
		out := t.TempDir()
		res, err := Run(context.Background(), Request{Input: in, Name: c.name, Width: c.w, Height: c.h, OutDir: out, Exporters: []string{"json"}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Importer != "AEKeyframes" || res.Width != 1920 || res.Height != 1080 || res.Trackers != 3 || res.Keyframes != 4 {
			t.Fatalf("%s: %+v", c.name, res.Summary)
		}
		s, got := readJSON(t, filepath.Join(out, baseName(c.name)+"_tracks.json"))
		if s.Width != 1920 || s.Height != 1080 {
			t.Errorf("%s: JSON size %dx%d", c.name, s.Width, s.Height)
		}
		var names []string
		for _, tr := range got {
			names = append(names, tr.Name)
		}
		if strings.Join(names, " ") != "Position Tracker_1_Track_Point_1 top_left" {
			t.Fatalf("%s: trackers %v", c.name, names)
		}
		// As the importer computes them, in float64 (FORMATS.md §4.14.8).
		h, y, conf := 1080.0, 526.008, 96.1274
		k := got[1].Keyframes[1]
		if k.Frame != 1 || k.X != 937.273 || k.Y != h-y || k.Residual != 1-conf/100 {
			t.Errorf("%s: Tracker_1_Track_Point_1 frame 1 is %+v", c.name, k)
		}
		if k := got[2].Keyframes[0]; k.X != -53.172 || k.Y != h+31.8445 {
			t.Errorf("%s: top_left is %+v", c.name, k)
		}
	}
}

// TestRunAEKeyframesSizeRule: data without a usable size converts with
// the user's, and without one fails with DimensionsRequired saying why;
// data with nothing to track fails with its own message. Nothing is
// written either way.
func TestRunAEKeyframesSizeRule(t *testing.T) {
	corner := filepath.Join(aeTestdata, "max_cornerpin.txt")
	out := t.TempDir()
	res, err := Run(context.Background(), Request{Input: corner, Width: 720, Height: 576, OutDir: out, Exporters: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 720 || res.Height != 576 || res.Trackers != 4 {
		t.Fatalf("%+v", res.Summary)
	}
	_, got := readJSON(t, filepath.Join(out, "max_cornerpin_tracks.json"))
	if k := got[0].Keyframes[0]; got[0].Name != "top_left" || k.X != -53.172 || k.Y != 576+31.8445 {
		t.Fatalf("%s %+v", got[0].Name, k)
	}

	for _, c := range []struct {
		file, importer, code, msg string
	}{
		{"max_cornerpin.txt", "", format.CodeDimensionsRequired,
			"Width and height must be provided for this importer (the keyframe data gives Source Width 0.0 and Source Height 0.0, not a frame size)"},
		{"max_cornerpin.txt", "aekeyframes", format.CodeDimensionsRequired, "Width and height must be provided for this importer ("},
		{"ofxaekp_rotation.txt", "", format.CodeNoTrackersRecovered, "AEKeyframes: no 2D track in this keyframe data: "},
		{"aetools_expression.txt", "AEKeyframes", format.CodeNoTrackersRecovered, "found: Transform Position (0 keyframes)"},
	} {
		out := t.TempDir()
		_, err := Run(context.Background(), Request{Input: filepath.Join(aeTestdata, c.file), Importer: c.importer, OutDir: out})
		if userCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v (%s), want %s %q", c.file, err, userCode(err), c.code, c.msg)
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Errorf("%s: %d files written", c.file, len(left))
		}
	}
}
