package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/formats/jsontracks"
	"tracksgo/internal/track"
)

// TestMMSolverThroughTheProgram: .uv files convert by their extension and
// by content alone; the size comes from a v4/v5 file's camera, else from
// -w/-h, and without either the converter says that it needs them.
func TestMMSolverThroughTheProgram(t *testing.T) {
	testdata := filepath.Join("..", "internal", "formats", "mmsolver", "testdata")
	dir := t.TempDir()
	// The same files under names that do not say .uv.
	for from, to := range map[string]string{"loadmarker_corners_crlf.uv": "corners.txt", "test_v4.uv": "v4_track"} {
		data, err := os.ReadFile(filepath.Join(testdata, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	corners := []*track.Tracker{
		{Name: "TopLeft", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 1080}}},
		{Name: "TopRight", Keyframes: []track.Keyframe{{Frame: 0, X: 1920, Y: 1080}}},
		{Name: "BottomLeft", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 0}}},
		{Name: "BottomRight", Keyframes: []track.Keyframe{{Frame: 0, X: 1920, Y: 0}}},
	}
	for _, c := range []struct {
		path string
		args []string
		w, h int
		want []*track.Tracker // nil: check the size alone
	}{
		{filepath.Join(testdata, "loadmarker_corners.uv"), []string{"-w", "1920", "-h", "1080"}, 1920, 1080, corners},
		{filepath.Join(dir, "corners.txt"), []string{"-w", "1920", "-h", "1080"}, 1920, 1080, corners},
		{filepath.Join(dir, "corners.txt"), []string{"-f", "mmsolver", "-w", "1920", "-h", "1080"}, 1920, 1080, corners},
		{filepath.Join(testdata, "test_v4.uv"), nil, 1280, 1080, nil},
		{filepath.Join(dir, "v4_track"), []string{"-w", "640", "-h", "480"}, 1280, 1080, nil},
		{filepath.Join(testdata, "blender_v4_no_resolution.uv"), []string{"-w", "640", "-h", "480"}, 640, 480, nil},
	} {
		out := t.TempDir()
		args := append(append([]string{"--only", "json", "--out", out}, c.args...), c.path)
		res := converter(t, nil, args...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
		}
		if !strings.Contains(res.stdout+res.stderr, "MMSolver") {
			t.Errorf("%v: the summary does not name the importer:\n%s", args, res.stdout)
		}
		name := filepath.Base(c.path)
		if i := strings.LastIndexByte(name, '.'); i > 0 {
			name = name[:i]
		}
		s, got, err := formattest.ImportFile(t, jsontracks.Importer, filepath.Join(out, name+"_tracks.json"), 0, 0)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if s.Width != c.w || s.Height != c.h {
			t.Errorf("%v: size %dx%d, want %dx%d", args, s.Width, s.Height, c.w, c.h)
		}
		if c.want != nil {
			formattest.CompareTrackers(t, got, c.want)
		}
	}

	// No size in the file and none given: one line, exit 1, nothing written.
	out := t.TempDir()
	for file, why := range map[string]string{
		"loadmarker_corners.uv": "(a version 1 .uv file stores no resolution)",
		"stA.uv":                `(version 2 file without a usable camera "resolution")`,
	} {
		res := converter(t, nil, "--out", out, filepath.Join(testdata, file))
		want := "Width and height must be provided for this importer " + why
		if res.code != 1 || !strings.Contains(strings.SplitN(res.stderr, "\n", 2)[0], want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 with %q", file, res.code, res.stderr, want)
		}
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("%d files written by failed conversions", len(left))
	}
}

// TestMMSolverWrittenOnRequest: the .uv output is written with --only
// mmsolver, not by default, and a .uv written and read back at the same
// size is written again byte for byte.
func TestMMSolverWrittenOnRequest(t *testing.T) {
	in := refJSON(t, t.TempDir())
	out := t.TempDir()
	if res := converter(t, nil, "--out", out, in); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".uv") {
			t.Errorf("the default formats include %s", e.Name())
		}
	}
	if len(entries) != 21 {
		t.Errorf("%d files by default, want 21", len(entries))
	}

	first := t.TempDir()
	if res := converter(t, nil, "--only", "mmsolver", "--out", first, in); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	uv := filepath.Join(first, "tracks_mmsolver.uv")
	again := t.TempDir()
	if res := converter(t, nil, "--only", "MMSolver", "-w", "1920", "-h", "1080", "--out", again, uv); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	a, err := os.ReadFile(uv)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(again, "tracks_mmsolver_mmsolver.uv"))
	if err != nil {
		t.Fatal(err)
	}
	formattest.CompareText(t, "re-exported .uv", string(b), string(a))
}
