package equalizer

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

// importString runs an importer on text and returns the session and what it emitted.
func importString(t *testing.T, imp *format.Importer, text string, w, h int) (*format.Session, []*track.Tracker, error) {
	s := &format.Session{Width: w, Height: h}
	out, err := formattest.ImportText(imp, text, s)
	return s, out, err
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func TestImport3Corpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "3de_v3") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Import3, rel) })
	}
}

// TestImport3Facts asserts FORMATS.md §8.1 and §8.2 for the v3 sample.
func TestImport3Facts(t *testing.T) {
	s, got, err := formattest.ImportFile(t, Import3, formattest.ImportPath(t, "3de_v3/3de_export_v3.txt"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 2048 || s.Height != 778 {
		t.Errorf("size %dx%d, want 2048x778", s.Width, s.Height)
	}
	got = formattest.NonEmpty(got)
	if len(got) != 39 {
		t.Fatalf("%d trackers, want 39", len(got))
	}
	first := got[0]
	if first.Name != "03" || first.Len() != 43 {
		t.Errorf("first tracker %q with %d keyframes, want 03 with 43", first.Name, first.Len())
	}
	k := first.Keyframes[0]
	if k.Frame != 22 || !near(k.X, 71.7889, 0.001) || !near(k.Y, 481.708, 0.001) {
		t.Errorf("first keyframe %+v, want frame 22 x 71.7889 y 481.708", k)
	}
	k = first.Keyframes[first.Len()-1]
	if k.Frame != 64 || !near(k.X, 1984.31, 0.0001) || !near(k.Y, 278.403, 0.0001) {
		t.Errorf("last keyframe %+v, want frame 64 x 1984.3100 y 278.4030", k)
	}
	if last := got[len(got)-1]; last.Name != "46" || last.Len() != 38 {
		t.Errorf("last tracker %q with %d keyframes, want 46 with 38", last.Name, last.Len())
	}
}

func TestImport3Rules(t *testing.T) {
	text := "\n// 3DE Multiple Tracking Curves Export 720 x 576 * 3 frames\n" +
		"empty\n" +
		"Point A \n" +
		"\t1\t10.5\t20.25\n" +
		"  \t2\t99\t99\n" + // indented by spaces: ignored
		"// comment\n" +
		"\t \n" + // whitespace only
		"\t3\t30\t40\textra\n" +
		"\t1\t11\t21\n" + // same frame again: last one wins
		"\n" +
		"_b\n" +
		"\t-4\t1e2\t.5\n"
	s, got, err := importString(t, Import3, text, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 720 || s.Height != 576 {
		t.Errorf("size %dx%d, want 720x576", s.Width, s.Height)
	}
	want := []*track.Tracker{
		{Name: "Point_A", Keyframes: []track.Keyframe{{Frame: 0, X: 11, Y: 21}, {Frame: 2, X: 30, Y: 40}}},
		{Name: "_b", Keyframes: []track.Keyframe{{Frame: -5, X: 100, Y: 0.5}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImport3NoSize(t *testing.T) {
	s, got, err := importString(t, Import3, "// 3DE export\nA\n\t1\t2\t3\n", 1920, 1080)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 0 || s.Height != 0 || len(got) != 1 {
		t.Errorf("size %dx%d with %d trackers, want 0x0 with 1", s.Width, s.Height, len(got))
	}
}

func TestImport3Errors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"short keyframe", "// 3DE Multiple Tracking Curves Export 1 x 1 * 1 frames\nA\n\t1\t2\n", 3, []string{"keyframe", `"\t1\t2"`}},
		{"keyframe before name", "// 3DE Multiple Tracking Curves Export 1 x 1 * 1 frames\n\t1\t2\t3\n", 2, []string{"before any tracker"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importString(t, Import3, c.text, 0, 0)
			formattest.WantParseError(t, err, "Equalizer3", c.line, c.words...)
		})
	}
}

func TestImport3LongLine(t *testing.T) {
	text := "// 3DE Multiple Tracking Curves Export 1 x 1 * 1 frames\nA\n" + strings.Repeat("x", format.MaxLine+10) + "\n"
	_, _, err := importString(t, Import3, text, 0, 0)
	formattest.WantParseError(t, err, "Equalizer3", 3, "longer than")
}

func FuzzImport3(f *testing.F) {
	formattest.Seed(f, "3de_v3")
	f.Add([]byte("// 3DE Multiple Tracking Curves Export 2 x 3 * 1 frames\nA\n\t1\t2\t3\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Import3, data) })
}

// TestImportBackwards reads a tracker listed last frame first: it must stay
// fast (a per-keyframe sorted insert would be quadratic) and come out in
// frame order.
func TestImportBackwards(t *testing.T) {
	const n = 100000
	var v3, v4 strings.Builder
	v3.WriteString("// 3DE Multiple Tracking Curves Export 1 x 1 * 1 frames\nA\n")
	fmt.Fprintf(&v4, "1\nA\n0\n%d\n", n+1)
	for i := n; i > 0; i-- {
		fmt.Fprintf(&v3, "\t%d\t%d\t2\n", i, i)
		fmt.Fprintf(&v4, "%d %d 2\n", i, i)
	}
	v3.WriteString("\t7\t0\t0\n") // a repeat: the last one wins
	v4.WriteString("7 0 0\n")
	for _, c := range []struct {
		imp  *format.Importer
		text string
	}{{Import3, v3.String()}, {Import4, v4.String()}} {
		_, got, err := importString(t, c.imp, c.text, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		ks := got[0].Keyframes
		if len(ks) != n || ks[0].Frame != 0 || ks[n-1].Frame != n-1 || ks[6].X != 0 || ks[5].X != 6 {
			t.Errorf("%s: %d keyframes, first %+v, last %+v", c.imp.ID, len(ks), ks[0], ks[len(ks)-1])
		}
	}
}
