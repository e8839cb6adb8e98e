package matchmover

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestIDs(t *testing.T) {
	if Importer.ID != rz2ID || RZMLImporter.ID != rzmlID {
		t.Fatalf("ids %q %q, consts %q %q", Importer.ID, RZMLImporter.ID, rz2ID, rzmlID)
	}
}

func TestCorpusRZ2(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "match_mover") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
	}
}

// near fails unless got is within delta of want.
func near(t *testing.T, what string, got, want, delta float64) {
	t.Helper()
	if math.Abs(got-want) > delta {
		t.Errorf("%s = %v, want %v (Δ %v)", what, got, want, delta)
	}
}

func importRel(t *testing.T, imp *format.Importer, rel string) (*format.Session, []*track.Tracker) {
	t.Helper()
	s, ts, err := formattest.ImportFile(t, imp, formattest.ImportPath(t, rel), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s, ts
}

func checkKey(t *testing.T, what string, k track.Keyframe, frame int, x, y, res, delta float64) {
	t.Helper()
	if k.Frame != frame {
		t.Errorf("%s frame %d, want %d", what, k.Frame, frame)
	}
	near(t, what+" x", k.X, x, delta)
	near(t, what+" y", k.Y, y, delta)
	near(t, what+" residual", k.Residual, res, delta)
}

// The §8.1 and §8.2 facts for the .rz2 samples: size, tracker count, the
// first tracker's name and length, and the sample's own extra checks.
func TestRZ2Facts(t *testing.T) {
	for _, c := range []struct {
		rel     string
		w, h, n int
		name    string
		length  int
		more    func(t *testing.T, ts []*track.Tracker)
	}{
		{"kipPointsMatchmover.rz2", 2560, 1080, 5, "Track_01", 131, func(t *testing.T, ts []*track.Tracker) {
			f := ts[0]
			checkKey(t, "[0]", f.Keyframes[0], 0, 649.523, 656.071, 0, 0.01)
			checkKey(t, "[-2]", f.Keyframes[f.Len()-2], 129, 598.273, 367.103, 0.027457, 0.01)
		}},
		{"2dtracks.rz2", 2156, 1804, 18, "Track_01", 137, func(t *testing.T, ts []*track.Tracker) {
			checkKey(t, "[0]", ts[0].Keyframes[0], 119, 10.715, 461.36, 0, 0.01)
		}},
		{"EP_1000_head_trackers_v002.rz2", 714, 480, 7, "Tracker0002", 130, func(t *testing.T, ts []*track.Tracker) {
			checkKey(t, "[0]", ts[0].Keyframes[0], 1017, 357.89, 371.96, 0, 0.01)
		}},
		{"NonSequentialMatchmoverPoints.rz2", 960, 540, 987, "Auto_09821_Primary", 115, func(t *testing.T, ts []*track.Tracker) {
			f := ts[0]
			if f.Keyframes[0].Frame != 0 {
				t.Fatalf("first tracker %+v", f.Keyframes[:1])
			}
			checkKey(t, "[0]", f.Keyframes[0], 0, 595.5, 186.5, 0, 1e-4)
			checkKey(t, "[-1]", f.Keyframes[f.Len()-1], 114, 950.39, 247.188, 0.152, 1e-4)
			last := ts[len(ts)-1]
			if last.Name != "Auto_11169_Primary" || last.Len() != 23 {
				t.Errorf("last %q with %d kfs", last.Name, last.Len())
			}
		}},
	} {
		t.Run(c.rel, func(t *testing.T) {
			s, ts := importRel(t, Importer, "match_mover/"+c.rel)
			if s.Width != c.w || s.Height != c.h {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, c.w, c.h)
			}
			if len(ts) != c.n {
				t.Fatalf("%d trackers, want %d", len(ts), c.n)
			}
			if f := ts[0]; f.Name != c.name || f.Len() != c.length {
				t.Fatalf("first %q with %d kfs, want %q with %d", f.Name, f.Len(), c.name, c.length)
			}
			c.more(t, ts)
		})
	}
}

func importString(t *testing.T, imp *format.Importer, in string) ([]*track.Tracker, *format.Session, error) {
	s := &format.Session{Width: 1920, Height: 1080}
	out, err := formattest.ImportText(imp, in, s)
	return out, s, err
}

const rz2Head = "imageSequence\t\"Sequence 01\"\n{\n\t100\t50\tf( \"x.%04d.tif\" )\tb( 11 20 1 )\t\n}\n"

func TestRZ2Rules(t *testing.T) {
	in := rz2Head +
		"pointTrack\t\"Tab Sep\"\n{\n" +
		"\t13\t 1.5  2.5  ki( 0.8 )\n" + // key line: residual 0
		"\t11\t 3  4  p*( 0.75 )\n" + // out of order, p*
		"  12 5 6 p+(  0.5  )\n" +
		"not a key 1 2 3\n" +
		"}\n" +
		"pointTrack rgb( 1 2 3 )\n{\n}\n"
	ts, s, err := importString(t, Importer, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 100 || s.Height != 50 {
		t.Errorf("size %dx%d", s.Width, s.Height)
	}
	if len(ts) != 2 || ts[0].Name != "Tab_Sep" || ts[1].Name != "" || !ts[1].Empty() {
		t.Fatalf("trackers %+v", ts)
	}
	want := []track.Keyframe{{Frame: 0, X: 3, Y: 46, Residual: 0.25}, {Frame: 1, X: 5, Y: 44, Residual: 0.5}, {Frame: 2, X: 1.5, Y: 47.5}}
	for i, k := range ts[0].Keyframes {
		if k != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, k, want[i])
		}
	}
}

func TestRZ2SequenceStart(t *testing.T) {
	cases := []struct {
		header string
		first  int
	}{
		{"x\n{\n\t10\t10\tb( 5 6 1 )\n}\n", 5},
		{"x\n{\n\t10\t10\tf( \"a\nb\nc\" )\tb( 1001 1256 1 )\n}\n", 1001}, // path over lines
		{"x\n{\n\t10\t10\n}\n", 0},                                        // no sequence
		{"x\n{\n\t10\t10\tb(  5 6 1 )\n}\n", 0},                           // not single spaces
		{"x\n{\n\t10\t10\n} b( 5 6 1 )\n", 0},                             // "}" comes first
	}
	for _, c := range cases {
		ts, _, err := importString(t, Importer, c.header+"pointTrack \"a\"\n{\n\t100 1 2\n}\n")
		if err != nil {
			t.Fatalf("%q: %v", c.header, err)
		}
		if got := ts[0].Keyframes[0].Frame; got != 100-c.first {
			t.Errorf("%q: frame %d, want %d", c.header, got, 100-c.first)
		}
	}
}

func TestRZ2Errors(t *testing.T) {
	cases := []struct {
		name, in, want string
		line           int
	}{
		{"empty", "", errNoDimensions, 0},
		{"two lines", "imageSequence\n{\n", errNoDimensions, 2},
		{"one number", "imageSequence\n{\n\t1920\n}\n", errNoDimensions, 3},
		{"no data", "imageSequence\n{\n\t1920 1080\n}\n", errNoData, 4},
		{"no data, open header", "imageSequence\n{\n\t1920 1080\n", errNoData, 3},
		{"unclosed", rz2Head + "pointTrack \"a\"\n{\n\t1 2 3\n", "Track didn't close", 5},
		{"bad key", rz2Head + "pointTrack \"a\"\n{\n\t1 x y\n}\n", "expected a keyframe line", 7},
		{"duplicate", rz2Head + "pointTrack \"a\"\n{\n\t12 1 1\n\t11 1 1\n\t11 2 2\n\t12 3 3\n}\n", `The tracker "a" already contains a keyframe at 0`, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importString(t, Importer, c.in)
			var pe *format.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a ParseError", err)
			}
			if !strings.Contains(err.Error(), c.want) || pe.Line != c.line || pe.Format != "MatchMover" {
				t.Errorf("error %q (line %d), want %q at line %d", err, pe.Line, c.want, c.line)
			}
		})
	}
	var dup *track.DuplicateFrameError
	_, _, err := importString(t, Importer, rz2Head+"pointTrack \"a\"\n{\n\t1 1 1\n\t1 1 1\n}\n")
	if !errors.As(err, &dup) {
		t.Errorf("duplicate frame error %v is not a DuplicateFrameError", err)
	}
}

func TestRZ2LongLine(t *testing.T) {
	in := rz2Head + "pointTrack \"a\"\n{\n\t1 1 1" + strings.Repeat(" ", format.MaxLine) + "\n}\n"
	_, _, err := importString(t, Importer, in)
	if err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Fatalf("error %v, want one at line 7", err)
	}
}

// Every corpus file of every other format must score 0 from both sniffers.
func TestSniff(t *testing.T) {
	for _, h := range formattest.CorpusHeads(t) {
		wantRZ2, wantRZML := 0, 0
		switch h.Dir {
		case "match_mover":
			wantRZ2 = 2
		case "match_mover_rzml":
			wantRZML = 2
		}
		if got := Importer.Sniff(h.Data); got != wantRZ2 {
			t.Errorf("rz2 sniff of %s = %d, want %d", h.Rel, got, wantRZ2)
		}
		if got := RZMLImporter.Sniff(h.Data); got != wantRZML {
			t.Errorf("rzml sniff of %s = %d, want %d", h.Rel, got, wantRZML)
		}
	}
	for in, want := range map[string]int{
		"":                               0,
		"\n\nimageSequence\t\"x\"\n":     2,
		"imageSeq":                       0,
		"imageSequences of the shot\n":   0,
		"<?xml version=\"1.0\"?>\n<rzml": 0,
	} {
		if got := Importer.Sniff([]byte(in)); got != want {
			t.Errorf("rz2 sniff %q = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]int{
		"":                               0,
		"<?xml version=\"1.0\"?>\n<rzml": 2,
		"\xEF\xBB\xBF <RZML v=\"1\">":    2,
		"<?xml version=\"1.0\"?>\n<svg>": 0,
		"<?xml version=\"1.0\"?>\n<!-- <RZML> -->\n<doc><RZML/></doc>": 0,
		"<!DOCTYPE x>\n<!-- c -->\n<RZML>":                             2,
		"<RZMLS>":                                                      0,
	} {
		if got := RZMLImporter.Sniff([]byte(in)); got != want {
			t.Errorf("rzml sniff %q = %d, want %d", in, got, want)
		}
	}
}

func BenchmarkImportNonSequential(b *testing.B) {
	data, err := os.ReadFile(formattest.ImportPath(b, "match_mover/NonSequentialMatchmoverPoints.rz2"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := &format.Session{Emit: func(*track.Tracker) error { return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzImportMatchMover(f *testing.F) {
	formattest.Seed(f, "match_mover")
	f.Add([]byte(rz2Head + "pointTrack \"a\"\n{\n\t3 1 1 p+( 0.5 )\n\t2 1 1\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}

// fastKeyAgrees checks that a line fastKey reads is read the same by the
// general way.
func fastKeyAgrees(t *testing.T, line string) bool {
	k, ok := fastKey([]byte(line), 1, 1080)
	if !ok {
		return false
	}
	text := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if strings.Contains(text, "}") || !isKeyLine(text) {
		t.Fatalf("%q: fastKey read what is not a key line", line)
	}
	want, ok := parseKey(text, 1, 1080)
	if !ok || math.Float64bits(k.X) != math.Float64bits(want.X) || math.Float64bits(k.Y) != math.Float64bits(want.Y) ||
		math.Float64bits(k.Residual) != math.Float64bits(want.Residual) || k.Frame != want.Frame {
		t.Fatalf("%q: fastKey %+v, parseKey %+v (%v)", line, k, want, ok)
	}
	return true
}

func TestFastKey(t *testing.T) {
	for _, c := range []struct {
		line string
		fast bool
	}{
		{"\t16\t   661.160     337.373     p+( 0.912 )\t\n", true},
		{"\t16\t   661.160     337.373     p*( 0.912 )\r\n", true},
		{" 3 -1.5 .25", true},
		{" 3 -1.5 .25 \n", true},
		{"3 1 2", false},              // no leading whitespace
		{" 3 1e2 2", false},           // exponent
		{" 3 1 2 p+( 0.9)", false},    // no space before ")"
		{" 3 1 2 p+(0.9 )", false},    // no space after "("
		{" 3 1 2 p+( 0.9 ) x", false}, // text after
		{" 3 1 2 q+( 0.9 )", false},   // not a correlation
		{" 1234567890 1 2", false},    // long frame
		{" 3 1 2 }", false},           // closing brace
		{" 3 1-2 2", false},           // a number run Float reads its way
	} {
		if got := fastKeyAgrees(t, c.line); got != c.fast {
			t.Errorf("%q: fast %v, want %v", c.line, got, c.fast)
		}
	}
}

func FuzzFastKey(f *testing.F) {
	f.Add("\t16\t   661.160     337.373     p+( 0.912 )\t\n")
	f.Add(" 3 -1.5 .25")
	f.Fuzz(func(t *testing.T, line string) { fastKeyAgrees(t, line) })
}
