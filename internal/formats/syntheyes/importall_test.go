package syntheyes

import (
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestImportAllCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "syntheyes_all_tracker_paths") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, AllPathsImporter, rel) })
	}
}

// TestImportAllFacts asserts FORMATS.md §8.1 and §8.2 for the sample, as
// corrected by §11.1 (names without "_", y from the third field).
func TestImportAllFacts(t *testing.T) {
	_, got, err := formattest.ImportFile(t, AllPathsImporter, formattest.ImportPath(t, "syntheyes_all_tracker_paths/shot06_2dTracks.txt"), 2560, 1080)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 139 {
		t.Fatalf("%d trackers, want 139", len(got))
	}
	if got[0].Name != "Tracker2" || got[1].Name != "Tracker3" || got[138].Name != "Tracker161" {
		t.Errorf("names %q, %q … %q, want Tracker2, Tracker3 … Tracker161", got[0].Name, got[1].Name, got[138].Name)
	}
	first := got[0]
	if first.Len() != 44 {
		t.Errorf("first tracker has %d keyframes, want 44", first.Len())
	}
	if k, ok := first.At(0); !ok || !near(k.X, 760.632, 0.001) || !near(k.Y, 727.86, 0.001) {
		t.Errorf("keyframe at frame 0: %+v %v, want x 760.632 y 727.86", k, ok)
	}
	if k := first.Keyframes[first.Len()-1]; k.Frame != 43 || !near(k.X, 654.892, 0.001) || !near(k.Y, 811.661, 0.001) {
		t.Errorf("last keyframe %+v, want (43, 654.892, 811.661)", k)
	}
	if got[138].Len() != 44 {
		t.Errorf("last tracker has %d keyframes, want 44", got[138].Len())
	}
}

func TestImportAllRules(t *testing.T) {
	text := "\r\n" +
		"Tracker 2\r\n" +
		"0 760.632 727.860\r\n" +
		"\r\n" +
		"1 -5 1e3\r\n" + // off the left edge: still a keyframe (§11.1)
		"1 7 8\r\n" + // frame 1 again: last one wins
		"Empty\r\n" +
		"1 2\r\n" + // not three numbers: a name line
		"-3 +1.5 .5\r\n"
	got, err := importString(t, AllPathsImporter, text, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []*track.Tracker{
		{Name: "Tracker_2", Keyframes: []track.Keyframe{{Frame: 0, X: 760.632, Y: 727.86}, {Frame: 1, X: 7, Y: 8}}},
		{Name: "Empty"},
		{Name: "1_2", Keyframes: []track.Keyframe{{Frame: -3, X: 1.5, Y: 0.5}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImportAllErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"keyframe first", "\n0 1 2\nA\n", 2, []string{"before any tracker", `"0 1 2"`}},
		{"fractional frame", "A\n0.5 1 2\n", 2, []string{"whole frame", `"0.5 1 2"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importString(t, AllPathsImporter, c.text, 10, 10)
			formattest.WantParseError(t, err, "SyntheyesAllTrackerPaths", c.line, c.words...)
		})
	}
}

func FuzzImportAll(f *testing.F) {
	formattest.Seed(f, "syntheyes_all_tracker_paths")
	f.Add([]byte("A\r\n0 1.5 2.5\r\n1 -1 2e1\r\nB\n\n0 0 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, AllPathsImporter, data) })
}
