package shaketext

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importString(t *testing.T, text string) ([]*track.Tracker, error) {
	return formattest.ImportText(Importer, text, &format.Session{Width: 10, Height: 10})
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func TestImportCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "shake_text") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
	}
}

// TestImportFacts asserts FORMATS.md §8.1 and §8.2 for the samples.
func TestImportFacts(t *testing.T) {
	load := func(rel string) []*track.Tracker {
		t.Helper()
		_, got, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, rel), 1920, 1080)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		return formattest.NonEmpty(got)
	}

	got := load("shake_text/one_shake_tracker.txt")
	if len(got) != 1 || got[0].Name != "track1" || got[0].Len() != 46 {
		t.Fatalf("one_shake_tracker: want 1 tracker track1 with 46 keyframes, got %d", len(got))
	}
	if k := got[0].Keyframes[1]; k.Frame != 121 || !near(k.X, 373.746, 1e-6) || !near(k.Y, 984.564, 1e-6) || !near(k.Residual, 0.002, 1e-6) {
		t.Errorf("one_shake_tracker [1] %+v, want frame 121 x 373.746 y 984.564 residual 0.002", k)
	}

	got = load("shake_text/two_shake_trackers.txt")
	if len(got) != 2 || got[0].Name != "track1" || got[0].Len() != 6 || got[1].Name != "track2" {
		t.Fatalf("two_shake_trackers: %d trackers, want track1 (6 kfs) and track2", len(got))
	}
	if k := got[0].Keyframes[1]; k.Frame != 111 {
		t.Errorf("two_shake_trackers track1 [1] frame %d, want 111", k.Frame)
	}

	got = load("shake_text/nuke_camtracker.txt")
	if len(got) != 261 {
		t.Fatalf("nuke_camtracker: %d trackers, want 261", len(got))
	}
	first := got[0]
	if first.Name != "autotrack0" || first.Len() != 11 || first.Keyframes[1].Frame != 1 {
		t.Errorf("nuke_camtracker first %q %d kfs, want autotrack0 with 11, [1] frame 1", first.Name, first.Len())
	}
	if k := first.Keyframes[0]; k.Frame != 0 || !near(k.X, 348, 1e-6) || !near(k.Y, 614.667, 1e-6) || !near(k.Residual, 0, 1e-9) {
		t.Errorf("nuke_camtracker first keyframe %+v, want (0, 348.0, 614.667, 0)", k)
	}
	if k := first.Keyframes[10]; k.Frame != 10 || !near(k.X, 370.104, 1e-6) || !near(k.Y, 614.923, 1e-6) || !near(k.Residual, 0.056, 1e-6) {
		t.Errorf("nuke_camtracker last keyframe %+v, want (10, 370.104, 614.923, 0.056)", k)
	}
	if last := got[260]; last.Name != "autotrack260" || last.Len() != 45 {
		t.Errorf("nuke_camtracker last %q %d kfs, want autotrack260 with 45", last.Name, last.Len())
	}
}

func TestImportRules(t *testing.T) {
	text := "TrackName first one \r\n" + // trailing space and CR become "_"
		"  1.00  2  3  0.5\r\n" + // the line after TrackName is skipped, whatever it is
		"  2.00  2  3  0.5 \r\n" +
		"  short line\r\n" + // fewer than 4 fields: ignored
		"\r\n" +
		"  2.9  4  5  1\r\n" + // int("2.9") = 2: same frame, last one wins
		"TrackName empty\n" +
		"   Frame             X             Y   Correlation\n" +
		"xx TrackName \n" + // only "TrackName ": not a name
		"TrackName  b\n" +
		"header\n" +
		"-1 1e1 .5 -1\n"
	got, err := importString(t, text)
	if err != nil {
		t.Fatal(err)
	}
	want := []*track.Tracker{
		{Name: "first_one_", Keyframes: []track.Keyframe{{Frame: 1, X: 4, Y: 5, Residual: 0}}},
		{Name: "_b", Keyframes: []track.Keyframe{{Frame: -2, X: 10, Y: 0.5, Residual: 2}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"keyframe first", "\n  1.00 2 3 1\n", 2, []string{"before any", `"1.00 2 3 1"`}},
		{"long line", "TrackName a\nFrame X Y Correlation\n" + strings.Repeat("1 ", format.MaxLine), 3, []string{"longer than"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importString(t, c.text)
			formattest.WantParseError(t, err, "ShakeText", c.line, c.words...)
		})
	}
}

func FuzzImport(f *testing.F) {
	formattest.Seed(f, "shake_text")
	f.Add([]byte("TrackName a\n   Frame X Y Correlation\n 1.00 2 3 1\n\nTrackName b\r\nh\r\n 2 3 4 0.5\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}

// TestImportBackwards reads a tracker listed last frame first: it must stay
// fast (a per-keyframe sorted insert would be quadratic) and come out in
// frame order.
func TestImportBackwards(t *testing.T) {
	text := formattest.Backwards("TrackName a\n   Frame X Y Correlation\n", func(i int) string { return fmt.Sprintf("  %d.00  %d  0  1\n", i, i) })
	got, err := importString(t, text)
	if ks := formattest.CheckInFrameOrder(t, "shake text", got, err); ks[0].X != 1 {
		t.Errorf("first keyframe %+v", ks[0])
	}
}
