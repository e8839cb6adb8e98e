package mayalive

import (
	"fmt"
	"math"
	"os"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importString(t *testing.T, text string, aspect float64) (*format.Session, []*track.Tracker, error) {
	s := &format.Session{Width: 1, Height: 1, Aspect: aspect}
	out, err := formattest.ImportText(Importer, text, s)
	return s, out, err
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func TestImportCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "mayalive") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
	}
}

// TestImportFacts asserts FORMATS.md §8.1 and §8.2 for the sample, with
// the file's own aspect and with the 1.78 override.
func TestImportFacts(t *testing.T) {
	path := formattest.ImportPath(t, "mayalive/mayalive_kipShot.txt")
	for _, c := range []struct {
		aspect, x0 float64
	}{{0, 388.542}, {1.78, 305.141}} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var got []*track.Tracker
		s := &format.Session{Aspect: c.aspect, Emit: func(tr *track.Tracker) error {
			got = append(got, tr)
			return nil
		}}
		err = Importer.Import(f, s)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s.Width != 1280 || s.Height != 540 {
			t.Errorf("size %dx%d, want 1280x540", s.Width, s.Height)
		}
		if a := float64(s.Width) / float64(s.Height); !near(a, 2.37, 0.001) {
			t.Errorf("file aspect %v, want 2.37", a)
		}
		got = formattest.NonEmpty(got)
		if len(got) != 18 {
			t.Fatalf("aspect %v: %d trackers, want 18", c.aspect, len(got))
		}
		first := got[0]
		if first.Name != "trackedPoint1" || first.Len() != 225 {
			t.Errorf("first tracker %q with %d keyframes, want trackedPoint1 with 225", first.Name, first.Len())
		}
		if k := first.Keyframes[0]; k.Frame != 0 || !near(k.X, c.x0, 0.001) || !near(k.Y, 513.346, 0.001) || k.Residual != 0 {
			t.Errorf("aspect %v: first keyframe %+v, want frame 0 x %v y 513.346 residual 0", c.aspect, k, c.x0)
		}
		if c.aspect == 0 {
			k := first.Keyframes[first.Len()-1]
			if k.Frame != 231 || !near(k.X, 623.0912, 1e-4) || !near(k.Y, 173.6476, 1e-4) || !near(k.Residual, 0.02068, 1e-5) {
				t.Errorf("last keyframe %+v, want (231, 623.0912, 173.6476, 0.02068)", k)
			}
		}
		if last := got[17]; last.Name != "trackedPoint18" || last.Len() != 66 {
			t.Errorf("last tracker %q with %d keyframes, want trackedPoint18 with 66", last.Name, last.Len())
		}
	}
}

func TestImportRules(t *testing.T) {
	text := "\n#  Size  101  51  1.78\n" +
		"#  Name  first point\n" +
		"0 3 0 0 -1\n" +
		"\n" + // blank: skipped, does not overwrite frame 0
		"0 0 -1 1 0.5\n" +
		"0 3 1 -1\n" + // frame 3 again, no residual: last one wins
		"#  Name empty\n" +
		"# other\n" +
		"1 -2 1e-1 -0 -1.0\n"
	s, got, err := importString(t, text, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 101 || s.Height != 51 {
		t.Errorf("size %dx%d, want 101x51", s.Width, s.Height)
	}
	// aspect 101/51 so x_unit = 25.5; y_unit = 25.5 as a float, not 25.
	want := []*track.Tracker{
		{Name: "first_point", Keyframes: []track.Keyframe{{Frame: 0, X: 50.5 - 25.5, Y: 25.5 + 25.5, Residual: 0.5}, {Frame: 3, X: 50.5 + 25.5, Y: 0}}},
		{Name: "empty"},
		{Name: "#_other", Keyframes: []track.Keyframe{{Frame: -2, X: 50.5 + 2.55, Y: 25.5, Residual: -1}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"empty", "\n\n", 2, []string{"ends", "Size"}},
		{"no size", "hello 12\n", 1, []string{"Size", `"hello 12"`}},
		{"zero size", "#  Size  0  540\n", 1, []string{"0x540"}},
		{"keyframe first", "#  Size  10  10\n0 1 2 3 4\n", 2, []string{"before any"}},
		{"short line", "#  Size  10  10\n#  Name a\n0 1 2\n", 3, []string{"tracker frame x y residual", `"0 1 2"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importString(t, c.text, 0)
			formattest.WantParseError(t, err, "MayaLive", c.line, c.words...)
		})
	}
}

// TestRoundTrip exports the reference tracks and reads them back: the
// residual is written divided by 10 (FORMATS.md §10.1), the rest survives.
func TestRoundTrip(t *testing.T) {
	text := formattest.ExportString(t, Exporter, format.Options{}, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
	_, got, err := importString(t, text, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := formattest.RefTrackers()
	for _, tr := range want {
		for i := range tr.Keyframes {
			tr.Keyframes[i].Residual /= 10
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d trackers, want %d", len(got), len(want))
	}
	for i := range want {
		for j, k := range want[i].Keyframes {
			g := got[i].Keyframes[j]
			if g.Frame != k.Frame || !near(g.X, k.X, 1e-6) || !near(g.Y, k.Y, 1e-6) || !near(g.Residual, k.Residual, 1e-9) {
				t.Fatalf("tracker %d keyframe %d: %+v, want %+v", i, j, g, k)
			}
		}
	}
}

func FuzzImport(f *testing.F) {
	formattest.Seed(f, "mayalive")
	f.Add([]byte("#  Size  10  10\n#  Name a\n0 1 0.5 0.5 -1\n\n0 2 1 1 0.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}

// TestImportBackwards reads a tracker listed last frame first: it must stay
// fast (a per-keyframe sorted insert would be quadratic) and come out in
// frame order.
func TestImportBackwards(t *testing.T) {
	text := formattest.Backwards("#  Size  10  10\n#  Name a\n", func(i int) string { return fmt.Sprintf("0 %d 0 0 %d\n", i-1, i-1) })
	_, got, err := importString(t, text, 0)
	if ks := formattest.CheckInFrameOrder(t, "mayalive", got, err); ks[1].Residual != 1 {
		t.Errorf("second keyframe %+v", ks[1])
	}
}
