package preview

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tracksgo/internal/track"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// smallSet has a tracker with a gap that jumps, a name XML cannot hold as
// it is (markup, quotes, a control byte, invalid UTF-8), a lone keyframe
// and a path that leaves the frame far to the left.
func smallSet() []*track.Tracker {
	long := &track.Tracker{Name: "long"}
	for f := 0; f < 10; f++ {
		long.Keyframes = append(long.Keyframes, track.Keyframe{Frame: f, X: 100 + 50*float64(f), Y: 100 + 20*float64(f)})
	}
	for f := 15; f < 20; f++ {
		long.Keyframes = append(long.Keyframes, track.Keyframe{Frame: f, X: 1500, Y: 900 - 40*float64(f-15)})
	}
	odd := &track.Tracker{Name: "<b>&\"x'\x01\xff</b>"}
	for f := 2; f < 30; f += 3 {
		odd.Keyframes = append(odd.Keyframes, track.Keyframe{Frame: f, X: 960 + 300*math.Cos(float64(f)/5), Y: 540 + 300*math.Sin(float64(f)/5)})
	}
	lone := &track.Tracker{Name: "lone", Keyframes: []track.Keyframe{{Frame: 7, X: 1800, Y: 1000}}}
	away := &track.Tracker{Name: "away"}
	for f := 0; f < 5; f++ {
		away.Keyframes = append(away.Keyframes, track.Keyframe{Frame: 25 + f, X: 200 - 2000*float64(f), Y: 500})
	}
	return []*track.Tracker{long, odd, lone, away}
}

func record(t testing.TB, w, h int, trackers []*track.Tracker) *Recorder {
	t.Helper()
	r := New()
	if err := track.Export(r, w, h, trackers); err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", name, got, want)
	}
}

func TestGoldenSmallSet(t *testing.T) {
	r := record(t, 1920, 1080, smallSet())
	svg, st := r.Render()
	golden(t, "small.svg", svg)
	table, err := json.MarshalIndent(r.Table(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "small.json", append(table, '\n'))
	if st.Trackers != 4 || st.Bytes != len(svg) {
		t.Errorf("stats %+v", st)
	}
	// The same export always draws the same bytes.
	again, _ := record(t, 1920, 1080, smallSet()).Render()
	if !bytes.Equal(again, svg) {
		t.Error("a second recording of the same export draws other bytes")
	}
}

func TestTableRows(t *testing.T) {
	got := record(t, 1920, 1080, smallSet()).Table()
	want := []Row{
		{Name: "long", FirstFrame: 0, LastFrame: 19, Keyframes: 15, Gaps: 1},
		{Name: "<b>&\"x'\uFFFD\uFFFD</b>", FirstFrame: 2, LastFrame: 29, Keyframes: 10, Gaps: 9},
		{Name: "lone", FirstFrame: 7, LastFrame: 7, Keyframes: 1},
		{Name: "away", FirstFrame: 25, LastFrame: 29, Keyframes: 5},
	}
	if got.Width != 1920 || got.Height != 1080 || len(got.Trackers) != len(want) {
		t.Fatalf("table %+v", got)
	}
	for i, w := range want {
		w.Color = Color(i)
		if got.Trackers[i] != w {
			t.Errorf("row %d: %+v, want %+v", i, got.Trackers[i], w)
		}
	}
}

// drawn is what an XML parser finds in a rendered SVG.
type drawn struct {
	root   xml.StartElement
	groups []group
}

// group is one tracker's group: its id, colour, title and paths.
type group struct {
	id, stroke, title string
	paths             []string
}

// parse reads the whole SVG with encoding/xml, failing on any error, and
// collects the trackers' groups.
func parse(t testing.TB, svg []byte) drawn {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var out drawn
	var stack []string
	var cur *group
	inTitle := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				out.root = tok.Copy()
			}
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case tok.Name.Local == "g" && strings.HasPrefix(attr("id"), "trk"):
				out.groups = append(out.groups, group{id: attr("id"), stroke: attr("stroke")})
				cur = &out.groups[len(out.groups)-1]
			case cur != nil && tok.Name.Local == "title":
				inTitle = true
			case cur != nil && tok.Name.Local == "path":
				cur.paths = append(cur.paths, attr("d"))
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if tok.Name.Local == "title" {
				inTitle = false
			}
			if tok.Name.Local == "g" {
				cur = nil
			}
		case xml.CharData:
			if inTitle && cur != nil {
				cur.title += string(tok)
			}
		}
	}
	if len(stack) != 0 || out.root.Name.Local != "svg" {
		t.Fatalf("root %q, unclosed %q", out.root.Name.Local, stack)
	}
	return out
}

func TestSVGIsWellFormedWithOnePathAndTitlePerTracker(t *testing.T) {
	set := smallSet()
	svg, _ := record(t, 1920, 1080, set).Render()
	d := parse(t, svg)
	if d.root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Errorf("namespace %q", d.root.Name.Space)
	}
	var viewBox, width string
	for _, a := range d.root.Attr {
		switch a.Name.Local {
		case "viewBox":
			viewBox = a.Value
		case "width":
			width = a.Value
		}
	}
	if !strings.HasPrefix(viewBox, "0 0 1000 ") || width != "100%" {
		t.Errorf("viewBox %q, width %q: the drawing must scale with the page", viewBox, width)
	}
	if len(d.groups) != len(set) {
		t.Fatalf("%d groups for %d trackers", len(d.groups), len(set))
	}
	titles := []string{"long", "<b>&\"x'\uFFFD\uFFFD</b>", "lone", "away"}
	for i, g := range d.groups {
		if g.id != TrackerID(i) || g.stroke != Color(i) || g.title != titles[i] {
			t.Errorf("group %d: %q %q title %q, want %q %q %q", i, g.id, g.stroke, g.title, TrackerID(i), Color(i), titles[i])
		}
		if len(g.paths) != 2 || !strings.HasPrefix(g.paths[0], "M") || !strings.HasPrefix(g.paths[1], "M") {
			t.Errorf("group %d: paths %q, want the track and its coverage row", i, g.paths)
		}
	}
	// The gap of "long" breaks its path (a move) and its row (two lines).
	if p := d.groups[0].paths; strings.Count(p[0], "m") != 2 || strings.Count(p[1], "h") != 2 {
		t.Errorf("long: path %q, row %q: the gap must show in both", p[0], p[1])
	}
	// The lone keyframe is its start mark alone.
	if p := d.groups[2].paths[0]; strings.Count(p, "m") != 1 || !strings.HasSuffix(p, "zm3 3") {
		t.Errorf("lone: path %q", p)
	}
	if colors := map[string]bool{}; true {
		for i := range 50 {
			colors[Color(i)] = true
		}
		if len(colors) != 50 {
			t.Errorf("%d colours for 50 trackers", len(colors))
		}
	}
}

// TestYUp: a tracker moving up in comp space moves up in the drawing
// (its SVG y decreases), and right stays right.
func TestYUp(t *testing.T) {
	up := &track.Tracker{Name: "up", Keyframes: []track.Keyframe{{Frame: 0, X: 100, Y: 100}, {Frame: 1, X: 1800, Y: 1000}}}
	d := parse(t, must(record(t, 1920, 1080, []*track.Tracker{up}).Render()))
	p := d.groups[0].paths[0]
	m := regexp.MustCompile(`zm3 3 ?(-?\d+) ?(-?\d+)$`).FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("path %q", p)
	}
	dx, _ := strconv.Atoi(m[1])
	dy, _ := strconv.Atoi(m[2])
	if dx <= 0 || dy >= 0 {
		t.Errorf("path %q: a move up and right must draw as dx > 0, dy < 0", p)
	}
}

func must(b []byte, _ Stats) []byte { return b }

func TestWorstCaseStaysBounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	name := strings.Repeat("&<\U0001F600\"", 40)
	var set []*track.Tracker
	for i := range MaxTrackers + 200 {
		tr := &track.Tracker{Name: name + strings.Repeat("x", i%7)}
		x, y := rng.Float64()*1920, rng.Float64()*1080
		for f := 0; f < 3000; f++ {
			if rng.IntN(5) == 0 {
				f++ // a gap, often
			}
			x += rng.NormFloat64() * 30
			y += rng.NormFloat64() * 30
			tr.Keyframes = append(tr.Keyframes, track.Keyframe{Frame: f, X: x, Y: y})
		}
		set = append(set, tr)
	}
	r := record(t, 1920, 1080, set)
	if r.stored > maxStored {
		t.Errorf("%d points kept while recording, at most %d", r.stored, maxStored)
	}
	for _, tr := range r.trackers {
		if len(tr.gaps) > maxStoredGaps {
			t.Fatalf("%d gaps kept for one tracker", len(tr.gaps))
		}
	}
	svg, st := r.Render()
	if len(svg) > MaxBytes || st.Points > MaxPoints || st.Gaps > MaxGaps || st.Trackers != MaxTrackers {
		t.Errorf("%d bytes, stats %+v", len(svg), st)
	}
	if d := parse(t, svg); len(d.groups) != MaxTrackers {
		t.Errorf("%d groups", len(d.groups))
	}
	omittedKeys := 0
	for _, tr := range set[MaxTrackers:] {
		omittedKeys += tr.Len()
	}
	tab := r.Table()
	if len(tab.Trackers) != MaxTrackers || tab.Omitted != 200 || tab.OmittedKeyframes != omittedKeys {
		t.Errorf("table: %d rows, omitted %d (%d keyframes)", len(tab.Trackers), tab.Omitted, tab.OmittedKeyframes)
	}
	if g := tab.Trackers[0].Gaps; g < 400 {
		t.Errorf("gaps counted %d: every gap counts, also those merged in the chart", g)
	}
}

// TestLongTrackerKeepsEnds: a tracker of half a million keyframes is kept
// in bounded memory, and its path still starts and ends where it does.
func TestLongTrackerKeepsEnds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tr := &track.Tracker{Name: "long"}
	x, y := 960.0, 540.0
	for f := range 500_000 {
		x += rng.NormFloat64() * 5
		y += rng.NormFloat64() * 5
		tr.Keyframes = append(tr.Keyframes, track.Keyframe{Frame: f, X: x, Y: y})
	}
	r := record(t, 1920, 1080, []*track.Tracker{tr})
	pts := r.trackers[0].pts
	if r.stored > maxStored || len(pts) != r.stored {
		t.Errorf("%d points kept (counted %d), at most %d", len(pts), r.stored, maxStored)
	}
	first, last := tr.Keyframes[0], tr.Keyframes[len(tr.Keyframes)-1]
	if pts[0].x != first.X || pts[0].y != first.Y || pts[len(pts)-1].x != last.X || pts[len(pts)-1].y != last.Y {
		t.Errorf("path from %v to %v, tracker from %v to %v", pts[0], pts[len(pts)-1], first, last)
	}
	if _, st := r.Render(); st.Points > MaxPoints {
		t.Errorf("%d points drawn", st.Points)
	}
}

func TestUnknownCompSizeAndBadPoints(t *testing.T) {
	tr := &track.Tracker{Name: "t", Keyframes: []track.Keyframe{
		{Frame: 0, X: 10, Y: 10}, {Frame: 1, X: math.NaN(), Y: 3}, {Frame: 2, X: 20, Y: math.Inf(1)}, {Frame: 3, X: 30, Y: 40}}}
	svg, st := record(t, 0, 0, []*track.Tracker{tr}).Render()
	if bytes.Contains(svg, []byte("NaN")) || bytes.Contains(svg, []byte("Inf")) || st.Points != 2 {
		t.Errorf("stats %+v, svg %s", st, svg)
	}
	parse(t, svg)
	// Nothing at all still draws an empty, valid picture.
	empty, _ := record(t, 0, 0, nil).Render()
	if d := parse(t, empty); len(d.groups) != 0 {
		t.Errorf("%d groups", len(d.groups))
	}
}

func TestProtocolErrors(t *testing.T) {
	r := New()
	if err := r.ExportPoint(track.Keyframe{}); err == nil {
		t.Error("a point outside a tracker was taken")
	}
	if err := r.WriteFiles(t.TempDir()); err == nil {
		t.Error("files of an unfinished export were written")
	}
	r.StartTracker("a")
	if err := r.StartTracker("b"); err == nil {
		t.Error("a tracker inside a tracker was taken")
	}
}

func TestWriteAndRead(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Read(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no preview: %v", err)
	}
	r := record(t, 1920, 1080, smallSet())
	if err := r.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	svg, table, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.Render()
	if !bytes.Equal(svg, want) || len(table.Trackers) != 4 || table.Trackers[1].Name != r.Table().Trackers[1].Name {
		t.Errorf("read back %d bytes, table %+v", len(svg), table)
	}
	for _, name := range []string{SVGName, TableName} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", name, fi, err)
		}
	}
}

// synthetic is a file like the largest of the corpus: 250 trackers, 78k
// keyframes.
func synthetic() []*track.Tracker {
	rng := rand.New(rand.NewPCG(5, 6))
	var set []*track.Tracker
	for i := range 250 {
		tr := &track.Tracker{Name: "Track_" + strings.Repeat("0", i%3) + string(rune('a'+i%26))}
		x, y := rng.Float64()*1920, rng.Float64()*1080
		for f := range 313 {
			x += rng.NormFloat64() * 3
			y += rng.NormFloat64() * 3
			tr.Keyframes = append(tr.Keyframes, track.Keyframe{Frame: f, X: x, Y: y})
		}
		set = append(set, tr)
	}
	return set
}

func BenchmarkRecord(b *testing.B) {
	set := synthetic()
	for b.Loop() {
		r := New()
		if err := track.Export(r, 1920, 1080, set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := record(b, 1920, 1080, synthetic())
	var n int
	for b.Loop() {
		svg, _ := r.Render()
		n = len(svg)
	}
	b.ReportMetric(float64(n), "svg-bytes")
}
