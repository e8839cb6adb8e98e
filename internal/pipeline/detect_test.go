package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// notTracksDir holds text that is no track file (FORMATS.md §11.9).
var notTracksDir = filepath.Join("..", "formats", "testdata", "notracks")

// TestRunNotTracks: with detection alone, and the size given, a conversion
// of any file of the negative set stops with "Unknown input format",
// listing the formats tried, and writes nothing.
func TestRunNotTracks(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(notTracksDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 30 {
		t.Fatalf("only %d files in %s", len(paths), notTracksDir)
	}
	var tried []string
	for _, i := range formats.Importers() {
		tried = append(tried, i.Short)
	}
	want := "Unknown input format (tried: " + strings.Join(tried, ", ") + ")"
	for _, p := range paths {
		name := filepath.Base(p)
		if formats.ByExtension(name) != nil {
			name += ".txt" // a .json name picks the JSON importer; the content must speak
		}
		out := t.TempDir()
		res, err := Run(context.Background(), Request{Input: p, Name: name, Width: 1920, Height: 1080, OutDir: out})
		if err == nil {
			t.Errorf("%s: converted as %s", name, res.Importer)
			continue
		}
		if userCode(err) != format.CodeUnknownFormat || err.Error() != want {
			t.Errorf("%s: got %v (%s), want %q", name, err, userCode(err), want)
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Errorf("%s: %d files written", name, len(left))
		}
	}
}

// TestRunForcedImporterReadsWhatItCan: a format chosen explicitly is not
// detected, so the shopping list that detection refuses still reads as
// SynthEyes "All Tracker Paths": three name lines and one keyframe line,
// of which one tracker with a keyframe reaches the exporters.
func TestRunForcedImporterReadsWhatItCan(t *testing.T) {
	in := filepath.Join(notTracksDir, "shopping_list.txt")
	if _, err := Run(context.Background(), Request{Input: in, Width: 1920, Height: 1080, OutDir: t.TempDir()}); userCode(err) != format.CodeUnknownFormat {
		t.Fatalf("detected: got %v, want Unknown input format", err)
	}
	res, err := Run(context.Background(), Request{Input: in, Importer: "SyntheyesAllTrackerPaths",
		Width: 1920, Height: 1080, OutDir: t.TempDir(), Exporters: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Importer != "SyntheyesAllTrackerPaths" || res.Trackers != 1 || res.Keyframes != 1 {
		t.Fatalf("importer %s, %d trackers, %d keyframes; want SyntheyesAllTrackerPaths, 1, 1", res.Importer, res.Trackers, res.Keyframes)
	}
	_, got := readJSON(t, res.Files[0])
	if len(got) != 1 || got[0].Name != "eggs" || len(got[0].Keyframes) != 1 ||
		got[0].Keyframes[0] != (track.Keyframe{Frame: 1, X: 2, Y: 3}) {
		t.Fatalf("got %+v, want tracker eggs with frame 1 at (2, 3)", got)
	}
}
