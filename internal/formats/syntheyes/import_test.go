package syntheyes

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importString(t *testing.T, imp *format.Importer, text string, w, h int) ([]*track.Tracker, error) {
	return formattest.ImportText(imp, text, &format.Session{Width: w, Height: h})
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func TestImportCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "syntheyes_2d_paths") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
	}
}

// TestImportFacts asserts FORMATS.md §8.1 and §8.2 for the 2-D path samples.
func TestImportFacts(t *testing.T) {
	load := func(rel string, w, h int) []*track.Tracker {
		t.Helper()
		_, got, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, rel), w, h)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		return got
	}
	type kf struct {
		frame int
		x, y  float64
	}
	checkKey := func(what string, k track.Keyframe, want kf, delta float64) {
		t.Helper()
		if k.Frame != want.frame || !near(k.X, want.x, delta) || !near(k.Y, want.y, delta) || k.Residual != 0 {
			t.Errorf("%s: %+v, want %+v residual 0", what, k, want)
		}
	}

	got := load("syntheyes_2d_paths/shake_tracker_nodes_to_syntheyes.txt", 2560, 1080)
	if len(got) != 50 || got[0].Name != "Tracker1" {
		t.Fatalf("shake_tracker_nodes_to_syntheyes: %d trackers, first %q; want 50, Tracker1", len(got), got[0].Name)
	}
	checkKey("shake_tracker_nodes_to_syntheyes [0]", got[0].Keyframes[0], kf{0, 715.221, 885.679}, 0.01)

	got = load("syntheyes_2d_paths/cola_plate.txt", 1920, 1080)
	if len(got) != 6 {
		t.Errorf("cola_plate: %d trackers, want 6", len(got))
	}
	if f := got[0]; f.Name != "Tracker1" || f.Len() != 100 {
		t.Errorf("cola_plate first %q %d kfs, want Tracker1 100", f.Name, f.Len())
	}
	checkKey("cola_plate first", got[0].Keyframes[0], kf{1, 895.015, 672.1354}, 1e-4)
	checkKey("cola_plate last", got[0].Keyframes[99], kf{100, 962.0975, 574.1665}, 1e-4)
	if l := got[len(got)-1]; l.Name != "Tracker6" || l.Len() != 56 {
		t.Errorf("cola_plate last %q %d kfs, want Tracker6 56", l.Name, l.Len())
	}

	got = load("syntheyes_2d_paths/one_tracker.txt", 1920, 1080)
	if len(got) != 1 || got[0].Len() != 49 {
		t.Errorf("one_tracker: %d trackers, want 1 with 49 kfs", len(got))
	}

	got = load("syntheyes_2d_paths/morePoints_sy2010.txt", 1920, 1080)
	if len(got) != 26 {
		t.Fatalf("morePoints_sy2010: %d trackers, want 26", len(got))
	}
	if f := got[0]; f.Name != "tracker1" || f.Len() != 30 {
		t.Errorf("morePoints first %q %d kfs, want tracker1 30", f.Name, f.Len())
	}
	checkKey("morePoints first", got[0].Keyframes[0], kf{0, 462.765, 757.9979}, 1e-4)
	checkKey("morePoints last", got[0].Keyframes[29], kf{29, 662.8352, 739.0113}, 1e-4)
	if l := got[25]; l.Name != "Tracker26" || l.Len() != 28 {
		t.Errorf("morePoints last %q %d kfs, want Tracker26 28", l.Name, l.Len())
	}
}

// TestUV checks the coordinate helpers against FORMATS.md §8.1.
func TestUV(t *testing.T) {
	for _, c := range []struct {
		u    float64
		size int
		x    float64
	}{{1, 720, 719.5}, {-1, 720, 0.5}, {-1, 16, 0.5}, {1, 16, 15.5}} {
		if got := fromUV(c.u, c.size); got != c.x {
			t.Errorf("fromUV(%v, %d) = %v, want %v", c.u, c.size, got, c.x)
		}
		if got := toUV(c.x, c.size); got != c.u {
			t.Errorf("toUV(%v, %d) = %v, want %v", c.x, c.size, got, c.u)
		}
	}
}

func TestImportRules(t *testing.T) {
	text := "a 0 -1 -1 15\r\n" +
		"\r\n" + // blank: skipped
		"a 2 1 1 7\r\n" +
		"b  5  0  0  30\r\n" +
		"a 0 0 0 7\r\n" // "a" again: a second tracker
	got, err := importString(t, Importer, text, 11, 21)
	if err != nil {
		t.Fatal(err)
	}
	want := []*track.Tracker{
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 0.5, Y: 20.5}, {Frame: 2, X: 10.5, Y: 0.5}}},
		{Name: "b", Keyframes: []track.Keyframe{{Frame: 5, X: 5.5, Y: 10.5}}},
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 5.5, Y: 10.5}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"too few fields", "a 0 0 0 15\na 1 0 0\n", 2, []string{"5 fields", "got 4", `"a 1 0 0"`}},
		{"too many fields", "a 0 0 0 15 9\n", 1, []string{"5 fields", "got 6"}},
		{"garbage", "hello world\n", 1, []string{"5 fields"}},
		{"repeated frame", "a 0 0 0 15\na 1 0 0 7\na 0 1 1 7\n", 3, []string{"repeated frame", `The tracker "a" already contains a keyframe at 0`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importString(t, Importer, c.text, 10, 10)
			formattest.WantParseError(t, err, "Syntheyes", c.line, c.words...)
		})
	}
	_, err := importString(t, Importer, "a 0 0 0 15\na 0 0 0 15\n", 10, 10)
	var dup *track.DuplicateFrameError
	if !errors.As(err, &dup) || dup.Frame != 0 {
		t.Errorf("repeated frame: %v does not wrap the DuplicateFrameError", err)
	}
}

func FuzzImport(f *testing.F) {
	formattest.Seed(f, "syntheyes_2d_paths")
	f.Add([]byte("a 0 -1 -1 15\na 1 1 1 7\nb 0 0 0 15\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}

// TestImportBackwards reads trackers listed last frame first: they must
// stay fast (a per-keyframe sorted insert would be quadratic) and come out
// in frame order; the strict add still catches a repeat out of order.
func TestImportBackwards(t *testing.T) {
	const n = 100000
	var paths, all strings.Builder
	all.WriteString("a\n")
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&paths, "a %d 0 0 7\n", i)
		fmt.Fprintf(&all, "%d %d 0\n", i, i)
	}
	for _, c := range []struct {
		imp  *format.Importer
		text string
	}{{Importer, paths.String()}, {AllPathsImporter, all.String()}} {
		got, err := importString(t, c.imp, c.text, 10, 10)
		if err != nil {
			t.Fatal(err)
		}
		ks := got[0].Keyframes
		if len(ks) != n || ks[0].Frame != 0 || ks[n-1].Frame != n-1 {
			t.Errorf("%s: %d keyframes, first %+v, last %+v", c.imp.ID, len(ks), ks[0], ks[len(ks)-1])
		}
	}
	paths.WriteString("b 1 0 0 7\na 9 0 0 7\na 1 0 0 7\n") // a new "a": 1 is no repeat
	if _, err := importString(t, Importer, paths.String(), 10, 10); err != nil {
		t.Errorf("repeat in a new tracker: %v", err)
	}
	paths.WriteString("a 5 0 0 7\na 9 0 0 7\n")
	_, err := importString(t, Importer, paths.String(), 10, 10)
	formattest.WantParseError(t, err, "Syntheyes", n+5, `The tracker "a" already contains a keyframe at 9`)
}
