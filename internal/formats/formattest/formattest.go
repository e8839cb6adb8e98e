// Package formattest holds what the tests of every format package share:
// where the corpus is, the reference tracks of FORMATS.md §6, byte-exact
// golden comparison and comparison with the expected imports.
package formattest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// EnvShared overrides where the shared corpus lives.
const EnvShared = "TRACKS_SHARED"

// SharedDir returns the shared folder (corpus/, expected/, FORMATS.md):
// $TRACKS_SHARED, else ../shared beside the module root. It skips the test,
// saying why, when the folder is absent.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(EnvShared)
	if dir == "" {
		root, err := ModuleRoot()
		if err != nil {
			tb.Skipf("shared corpus: %v", err)
		}
		dir = filepath.Join(root, "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "corpus")); err != nil {
		tb.Skipf("shared corpus not found at %s (set %s): %v", dir, EnvShared, err)
	}
	return dir
}

// ModuleRoot finds the folder holding go.mod, upwards from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// ImportPath is the path of a file below corpus/import/, e.g. "nuke/018.nk".
func ImportPath(tb testing.TB, rel string) string {
	tb.Helper()
	return filepath.Join(SharedDir(tb), "corpus", "import", filepath.FromSlash(rel))
}

// ExportPath is the path of a reference output, e.g. "ref_NukeScript.nk".
func ExportPath(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(SharedDir(tb), "corpus", "export", name)
}

// refTable is FORMATS.md §6, as decimal literals.
const refTable = `0 0.00000 1080.00000 1920.00000 0.00000 0.00000
1 96.00000 874.80000 1824.00000 205.20000 0.04762
2 192.00000 691.20000 1728.00000 388.80000 0.09524
3 288.00000 529.20000 1632.00000 550.80000 0.14286
4 384.00000 388.80000 1536.00000 691.20000 0.19048
5 480.00000 270.00000 1440.00000 810.00000 0.23810
6 576.00000 172.80000 1344.00000 907.20000 0.28571
7 672.00000 97.20000 1248.00000 982.80000 0.33333
8 768.00000 43.20000 1152.00000 1036.80000 0.38095
9 864.00000 10.80000 1056.00000 1069.20000 0.42857
12 1152.00000 43.20000 768.00000 1036.80000 0.57143
13 1248.00000 97.20000 672.00000 982.80000 0.61905
14 1344.00000 172.80000 576.00000 907.20000 0.66667
15 1440.00000 270.00000 480.00000 810.00000 0.71429
16 1536.00000 388.80000 384.00000 691.20000 0.76190
17 1632.00000 529.20000 288.00000 550.80000 0.80952
18 1728.00000 691.20000 192.00000 388.80000 0.85714
19 1824.00000 874.80000 96.00000 205.20000 0.90476
20 1920.00000 1080.00000 0.00000 0.00000 0.95238`

// RefWidth and RefHeight are the comp size of the reference export.
const RefWidth, RefHeight = 1920, 1080

// RefTrackers returns the three reference tracks of FORMATS.md §6.
func RefTrackers() []*track.Tracker {
	t1 := &track.Tracker{Name: "Parabolic_1_from_top_left"}
	t2 := &track.Tracker{Name: "Parabolic_2_from_bottom_right"}
	for _, line := range strings.Split(refTable, "\n") {
		f := strings.Fields(line)
		n := func(i int) float64 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				panic(err)
			}
			return v
		}
		frame, _ := strconv.Atoi(f[0])
		t1.Keyframes = append(t1.Keyframes, track.Keyframe{Frame: frame, X: n(1), Y: n(2), Residual: n(5)})
		t2.Keyframes = append(t2.Keyframes, track.Keyframe{Frame: frame, X: n(3), Y: n(4), Residual: n(5)})
	}
	t3 := &track.Tracker{Name: "SingleFrame_InTheMiddle", Keyframes: []track.Keyframe{{Frame: 0, X: 970, Y: 550}}}
	return []*track.Tracker{t1, t2, t3}
}

// Clock returns a clock fixed at a local time written as format.DateLayout.
func Clock(tb testing.TB, date string) func() time.Time {
	tb.Helper()
	t, err := time.ParseInLocation(format.DateLayout, date, time.Local)
	if err != nil {
		tb.Fatalf("bad clock %q: %v", date, err)
	}
	return func() time.Time { return t }
}

// ExportString drives a fresh exporter directly (no Lint, as the
// references were made) with the given trackers and returns its output.
func ExportString(tb testing.TB, e *format.Exporter, o format.Options, w, h int, trackers []*track.Tracker) string {
	tb.Helper()
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := track.Export(e.New(bw, o), w, h, trackers); err != nil {
		tb.Fatalf("%s: export: %v", e.ID, err)
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

// Golden exports the reference tracks and compares the output byte for
// byte with corpus/export/<ref>.
func Golden(t *testing.T, e *format.Exporter, o format.Options, ref string) {
	t.Helper()
	want, err := os.ReadFile(ExportPath(t, ref))
	if err != nil {
		t.Fatal(err)
	}
	got := ExportString(t, e, o, RefWidth, RefHeight, RefTrackers())
	CompareText(t, ref, got, string(want))
}

// CompareText fails with the first differing line.
func CompareText(t testing.TB, name, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	gl := strings.SplitAfter(got, "\n")
	wl := strings.SplitAfter(want, "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n(got %d bytes, want %d)", name, i+1, g, w, len(got), len(want))
		}
	}
	t.Fatalf("%s differs (got %d bytes, want %d)", name, len(got), len(want))
}

// Expected is one file of shared/expected/.
type Expected struct {
	Importer string           `json:"importer"`
	Width    int              `json:"width"`
	Height   int              `json:"height"`
	CLISize  []int            `json:"cli_size"`
	Trackers []*track.Tracker `json:"trackers"`
	Error    string           `json:"error"`
	Note     string           `json:"note"`
}

// LoadExpected reads expected/<rel>.json for corpus/import/<rel>.
func LoadExpected(tb testing.TB, rel string) *Expected {
	tb.Helper()
	p := filepath.Join(SharedDir(tb), "expected", filepath.FromSlash(rel)+".json")
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	var e Expected
	if err := json.Unmarshal(data, &e); err != nil {
		tb.Fatalf("%s: %v", p, err)
	}
	return &e
}

// Size returns the width and height to give the importer (cli_size), or 0, 0.
func (e *Expected) Size() (int, int) {
	if len(e.CLISize) == 2 {
		return e.CLISize[0], e.CLISize[1]
	}
	return 0, 0
}

// Close reports whether a and b agree within 1e-6, relative above 1.
func Close(a, b float64) bool {
	d := math.Abs(a - b)
	scale := math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
	return d <= 1e-6*scale
}

// NonEmpty drops trackers without keyframes, as the pipeline does.
func NonEmpty(ts []*track.Tracker) []*track.Tracker {
	var out []*track.Tracker
	for _, t := range ts {
		if !t.Empty() {
			out = append(out, t)
		}
	}
	return out
}

// CompareTrackers checks names, order, frames and values (within Close)
// and reports the first few mismatches.
func CompareTrackers(tb testing.TB, got, want []*track.Tracker) {
	tb.Helper()
	if len(got) != len(want) {
		names := func(ts []*track.Tracker) []string {
			var s []string
			for i, t := range ts {
				if i == 5 {
					s = append(s, "…")
					break
				}
				s = append(s, t.Name)
			}
			return s
		}
		tb.Fatalf("got %d trackers %v, want %d %v", len(got), names(got), len(want), names(want))
	}
	errs := 0
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name {
			tb.Errorf("tracker %d: name %q, want %q", i, g.Name, w.Name)
			errs++
		}
		if len(g.Keyframes) != len(w.Keyframes) {
			tb.Errorf("tracker %d %q: %d keyframes, want %d", i, w.Name, len(g.Keyframes), len(w.Keyframes))
			errs++
			continue
		}
		for j := range w.Keyframes {
			gk, wk := g.Keyframes[j], w.Keyframes[j]
			if gk.Frame != wk.Frame || !Close(gk.X, wk.X) || !Close(gk.Y, wk.Y) || !Close(gk.Residual, wk.Residual) {
				tb.Errorf("tracker %d %q keyframe %d: got %+v, want %+v", i, w.Name, j, gk, wk)
				errs++
				break
			}
		}
		if errs > 10 {
			tb.Fatal("too many mismatches")
		}
	}
}

// ImportFile runs an importer on a file with the given size and returns the
// session (size after import) and every emitted tracker, empties included.
func ImportFile(tb testing.TB, imp *format.Importer, path string, w, h int) (*format.Session, []*track.Tracker, error) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	s := &format.Session{Width: w, Height: h}
	out, err := importFrom(imp, f, s)
	return s, out, err
}

// ImportText runs an importer on text in session s (whose Emit it sets)
// and returns every emitted tracker, empties included.
func ImportText(imp *format.Importer, text string, s *format.Session) ([]*track.Tracker, error) {
	return importFrom(imp, strings.NewReader(text), s)
}

func importFrom(imp *format.Importer, r io.Reader, s *format.Session) ([]*track.Tracker, error) {
	var out []*track.Tracker
	s.Emit = func(t *track.Tracker) error {
		out = append(out, t)
		return nil
	}
	err := imp.Import(r, s)
	return out, err
}

// CheckCorpusFile imports corpus/import/<rel> with the expected cli_size and
// compares the non-empty trackers and the size with expected/<rel>.json.
// Expected errors ("no trackers recovered") must come out as no trackers.
func CheckCorpusFile(t *testing.T, imp *format.Importer, rel string) {
	t.Helper()
	exp := LoadExpected(t, rel)
	w, h := exp.Size()
	s, got, err := ImportFile(t, imp, ImportPath(t, rel), w, h)
	if err != nil {
		t.Fatalf("%s: import: %v", rel, err)
	}
	got = NonEmpty(got)
	if exp.Error != "" {
		if len(got) != 0 {
			t.Fatalf("%s: got %d trackers, want none (%s)", rel, len(got), exp.Error)
		}
		return
	}
	if s.Width != exp.Width || s.Height != exp.Height {
		t.Errorf("%s: size %dx%d, want %dx%d", rel, s.Width, s.Height, exp.Width, exp.Height)
	}
	CompareTrackers(t, got, exp.Trackers)
}

// CorpusFiles lists the files of one corpus/import/<dir>, as paths relative
// to corpus/import.
func CorpusFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(SharedDir(tb), "corpus", "import", dir))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, dir+"/"+e.Name())
		}
	}
	return out
}

// Seed adds every file of the given corpus folders to a fuzz target's corpus.
func Seed(f *testing.F, dirs ...string) {
	f.Helper()
	dir := os.Getenv(EnvShared)
	if dir == "" {
		root, err := ModuleRoot()
		if err != nil {
			return
		}
		dir = filepath.Join(root, "..", "shared")
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(dir, "corpus", "import", d))
		if err != nil {
			continue // no corpus: fuzz from the project's own seeds only
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, "corpus", "import", d, e.Name()))
			if err == nil && len(data) <= 256<<10 {
				f.Add(data)
			}
		}
	}
}

// FuzzImport runs an importer on arbitrary bytes: it may fail, but must
// neither panic nor hang, and whatever it emits must be well formed.
func FuzzImport(t *testing.T, imp *format.Importer, data []byte) {
	s := &format.Session{Width: 1920, Height: 1080, Emit: func(tr *track.Tracker) error {
		for i := 1; i < len(tr.Keyframes); i++ {
			if tr.Keyframes[i].Frame <= tr.Keyframes[i-1].Frame {
				t.Fatalf("tracker %q: keyframes out of order", tr.Name)
			}
		}
		return nil
	}}
	_ = imp.Import(bytes.NewReader(data), s)
	if imp.Sniff != nil {
		imp.Sniff(data)
	}
}

// Largest are the four largest corpus files with the size to give them
// (0 where the file stores it), which the speed and memory targets name.
var Largest = []struct {
	File string
	W, H int
}{
	{"nuke/45trackers.nk", 2048, 1176},
	{"match_mover/NonSequentialMatchmoverPoints.rz2", 0, 0},
	{"pftrack5/garage.2dt", 1920, 1080},
	{"flame_stabilizer/hugeFlameSetup.stabilizer", 0, 0},
}

// WantParseError checks that err is a ParseError of the importer id at
// line, mentioning every one of words.
func WantParseError(t testing.TB, err error, id string, line int, words ...string) {
	t.Helper()
	var pe *format.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want a ParseError", err)
	}
	if pe.Format != id || pe.Line != line {
		t.Errorf("error %q: format %s line %d, want %s line %d", err, pe.Format, pe.Line, id, line)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// Head is the start of one corpus file, as detection sees it.
type Head struct {
	Rel  string // path below corpus/import, with slashes: "nuke/018.nk"
	Dir  string // its folder: "nuke"
	Data []byte // the first 8 KiB
}

// CorpusHeads reads the first 8 KiB of every file under corpus/import, for
// the tests that check a sniffer against every format's files.
func CorpusHeads(tb testing.TB) []Head {
	tb.Helper()
	root := filepath.Join(SharedDir(tb), "corpus", "import")
	var heads []Head
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		data := make([]byte, 8<<10)
		n, err := io.ReadFull(f, data)
		if err != nil && err != io.ErrUnexpectedEOF {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		heads = append(heads, Head{Rel: rel, Dir: strings.SplitN(rel, "/", 2)[0], Data: data[:n]})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(heads) == 0 {
		tb.Fatalf("no corpus files under %s", root)
	}
	return heads
}

// BackwardsLength is how many keyframes the importers' backwards tests
// list last frame first: a per-keyframe sorted insert would make that
// quadratic, and slow enough to notice.
const BackwardsLength = 100000

// Backwards is header followed by line(i) for i from BackwardsLength down
// to 1.
func Backwards(header string, line func(i int) string) string {
	var b strings.Builder
	b.WriteString(header)
	for i := BackwardsLength; i > 0; i-- {
		b.WriteString(line(i))
	}
	return b.String()
}

// CheckInFrameOrder checks that the first tracker an import of Backwards
// text gave holds every keyframe, frames 0 to BackwardsLength-1 in order,
// and returns its keyframes for the importer's own checks.
func CheckInFrameOrder(tb testing.TB, name string, got []*track.Tracker, err error) []track.Keyframe {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	n := BackwardsLength
	if len(got) == 0 || len(got[0].Keyframes) != n {
		tb.Fatalf("%s: want one tracker of %d keyframes, got %d trackers", name, n, len(got))
	}
	ks := got[0].Keyframes
	for i, k := range ks {
		if k.Frame != i {
			tb.Fatalf("%s: keyframe %d is at frame %d", name, i, k.Frame)
		}
	}
	return ks
}
