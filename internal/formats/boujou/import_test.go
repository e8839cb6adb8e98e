package boujou

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importString(t *testing.T, text string, w, h int) ([]*track.Tracker, error) {
	return formattest.ImportText(Importer, text, &format.Session{Width: w, Height: h})
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func TestImportCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "boujou_features_text") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
	}
}

// TestImportFacts asserts FORMATS.md §8.1 and §8.2 for the sample.
func TestImportFacts(t *testing.T) {
	_, got, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, "boujou_features_text/boujou_txt_export.txt"), 2560, 1200)
	if err != nil {
		t.Fatal(err)
	}
	got = formattest.NonEmpty(got)
	if len(got) != 21 {
		t.Fatalf("%d trackers, want 21", len(got))
	}
	second := got[1]
	if second.Name != "tracker1" || second.Len() != 132 {
		t.Errorf("tracker 1 is %q with %d keyframes, want tracker1 with 132", second.Name, second.Len())
	}
	if k := second.Keyframes[0]; !near(k.X, 306.906, 0.1) || !near(k.Y, 39.79, 0.1) {
		t.Errorf("tracker1 [0] %+v, want x 306.906 y 39.79", k)
	}
	first := got[0]
	if first.Name != "Target_track_1" || first.Len() != 387 {
		t.Errorf("first tracker %q with %d keyframes, want Target_track_1 with 387", first.Name, first.Len())
	}
	if k := first.Keyframes[0]; k.Frame != 4 || !near(k.X, 252.046, 1e-4) || !near(k.Y, 1027.323, 1e-4) {
		t.Errorf("first keyframe %+v, want (4, 252.0460, 1027.3230)", k)
	}
	if k := first.Keyframes[first.Len()-1]; k.Frame != 390 || !near(k.X, 263.795, 1e-4) || !near(k.Y, 952.552, 1e-4) {
		t.Errorf("last keyframe %+v, want (390, 263.7950, 952.5520)", k)
	}
	// The id that comes back at the end is a second one-keyframe tracker.
	if last := got[20]; last.Name != "Target_track_1" || last.Len() != 1 {
		t.Errorf("last tracker %q with %d keyframes, want Target_track_1 with 1", last.Name, last.Len())
	}
}

func TestImportRules(t *testing.T) {
	text := "# boujou 2d tracks export: text\r\n" +
		"# \r\n" +
		"# track_id    view      x    y\r\n" +
		"a  1  10.5  20\r\n" +
		"\r\n" + // blank: skipped, not a junk tracker
		"# a comment\r\n" +
		"#\r\n" +
		"a  2  11  21  extra\r\n" +
		"a  2  12  22\r\n" + // same frame: last one wins
		"b  0  1e1  -5\r\n" +
		"a  7  1  1\r\n" // "a" again: a second tracker
	got, err := importString(t, text, 100, 50)
	if err != nil {
		t.Fatal(err)
	}
	want := []*track.Tracker{
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 10.5, Y: 29}, {Frame: 1, X: 12, Y: 27}}},
		{Name: "b", Keyframes: []track.Keyframe{{Frame: -1, X: 10, Y: 54}}},
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 6, X: 1, Y: 48}}},
	}
	formattest.CompareTrackers(t, got, want)
}

// TestImportColumnOrder maps the fields by the names in the column line.
func TestImportColumnOrder(t *testing.T) {
	got, err := importString(t, "# track_id x y view\nt 1 2 3\n", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	formattest.CompareTrackers(t, got, []*track.Tracker{{Name: "t", Keyframes: []track.Keyframe{{Frame: 2, X: 1, Y: 7}}}})
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"no header", "hello\nworld\n", 2, []string{"ends", "# track_id"}},
		{"missing column", "# track_id view x\n", 1, []string{`"y"`}},
		{"short line", "# track_id view x y\nt 1 2 3\nt 2 3\n", 3, []string{"4 fields", "track_id view x y", `"t 2 3"`}},
		{"long line", "# track_id view x y\n" + strings.Repeat("t", format.MaxLine+1), 2, []string{"longer than"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importString(t, c.text, 10, 10)
			formattest.WantParseError(t, err, "Boujou", c.line, c.words...)
		})
	}
}

func FuzzImport(f *testing.F) {
	formattest.Seed(f, "boujou_features_text")
	f.Add([]byte("# track_id view x y\na 1 2 3\n\nb 2 3 4\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}

// TestImportBackwards reads a tracker listed last frame first: it must stay
// fast (a per-keyframe sorted insert would be quadratic) and come out in
// frame order.
func TestImportBackwards(t *testing.T) {
	text := formattest.Backwards("# track_id view x y\n", func(i int) string { return fmt.Sprintf("a %d %d 0\n", i, i) })
	got, err := importString(t, text, 10, 10)
	if ks := formattest.CheckInFrameOrder(t, "boujou", got, err); ks[0].X != 1 {
		t.Errorf("first keyframe %+v", ks[0])
	}
}
