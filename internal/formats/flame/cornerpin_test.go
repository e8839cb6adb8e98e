package flame

import (
	"os"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGoldenCornerpin(t *testing.T) {
	formattest.Golden(t, ExporterCornerpin, format.Options{Now: formattest.Clock(t, date2010)}, "ref_flameCornerpin.stabilizer")
}

// importCorpus imports a flame_stabilizer sample and keeps the non-empty trackers.
func importCorpus(t testing.TB, name string) (*format.Session, []*track.Tracker) {
	t.Helper()
	s, got, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, "flame_stabilizer/"+name), 0, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s, formattest.NonEmpty(got)
}

func readRef(t *testing.T, ref string) string {
	t.Helper()
	want, err := os.ReadFile(formattest.ExportPath(t, ref))
	if err != nil {
		t.Fatal(err)
	}
	return string(want)
}

// FORMATS.md §5.8: import round trips through the classic cornerpin exporter.
func TestCornerpinReorderRoundTrips(t *testing.T) {
	tests := []struct{ in, ref string }{
		{"FlameStab_Cornerpin_CorrectOrder.stabilizer", "ref_FlameSimpleReorderedCornerpin.stabilizer"},
		{"FlameStab_Cornerpin_IncorrectOrder.stabilizer", "ref_FlameProperlyReorderedCornerpin.stabilizer"},
	}
	o := format.Options{Now: formattest.Clock(t, date2010)}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, trackers := importCorpus(t, tt.in)
			if len(trackers) != 4 {
				t.Fatalf("imported %d trackers, want 4", len(trackers))
			}
			got := formattest.ExportString(t, ExporterCornerpin, o, 1920, 1080, trackers)
			formattest.CompareText(t, tt.ref, got, readRef(t, tt.ref))
		})
	}
}

// The imported order of the incorrectly ordered sample, and where the
// sorter puts each tracker.
func TestCornerpinIncorrectOrderPositions(t *testing.T) {
	_, trackers := importCorpus(t, "FlameStab_Cornerpin_IncorrectOrder.stabilizer")
	firsts := [][2]float64{{259.199, 228.319}, {566.475, 790.690}, {1174.252, 101.292}, {1213.604, 905.832}}
	for i, tr := range trackers {
		k := tr.Keyframes[0]
		if !near(k.X, firsts[i][0], 0.001) || !near(k.Y, firsts[i][1], 0.001) {
			t.Errorf("tracker %d %s first point (%v, %v), want %v", i, tr.Name, k.X, k.Y, firsts[i])
		}
	}
	c, ok := sortCorners(trackers)
	if !ok {
		t.Fatal("not sorted")
	}
	want := map[int]string{topLeft: "tracker2", topRight: "tracker4", bottomLeft: "tracker1", bottomRight: "tracker3"}
	for corner, name := range want {
		if c[corner].Name != name {
			t.Errorf("corner %d is %s, want %s", corner, c[corner].Name, name)
		}
	}
}

// FORMATS.md §5.8: the 2014 cornerpin reference comes from a renamed,
// shuffled import; the sort makes the shuffle irrelevant.
func TestCornerpin2014RoundTrip(t *testing.T) {
	s, trackers := importCorpus(t, "stabilizer_2014_ref_for_reexport.stabilizer")
	if len(trackers) != 4 || s.Width != 2048 || s.Height != 1152 {
		t.Fatalf("imported %d trackers at %dx%d, want 4 at 2048x1152", len(trackers), s.Width, s.Height)
	}
	want := readRef(t, "ref_flame_2014_cornerpin.stabilizer")
	for _, line := range []string{"CreationDate " + date2014 + "\n", "NbTrackers 4\n", "FrameWidth 2048\n", "FrameHeight 1152\n"} {
		if !strings.Contains(want, line) {
			t.Fatalf("reference lacks %q", line)
		}
	}
	if n := strings.Count(want, "\tFirstRefFrame 1\n"); n != 4 {
		t.Fatalf("reference has %d FirstRefFrame 1 lines, want 4", n)
	}
	o := format.Options{Now: formattest.Clock(t, date2014)}
	names := []string{"Wobble", "Ping pong", "x", "Zeta"}
	for _, perm := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}} {
		shuffled := make([]*track.Tracker, 4)
		for i, p := range perm {
			shuffled[i] = &track.Tracker{Name: names[i], Keyframes: trackers[p].Keyframes}
		}
		got := formattest.ExportString(t, Exporter2014Cornerpin, o, s.Width, s.Height, shuffled)
		formattest.CompareText(t, "ref_flame_2014_cornerpin.stabilizer", got, want)
	}
	// The facts FORMATS.md gives for the result.
	got := reimport(t, want)
	facts := []struct {
		name string
		x, y float64
		n    int
	}{
		{"tracker0_0", 1099.937, 617.814, 4}, {"tracker0_1", 1285.954, 787.352, 6},
		{"tracker1_0", 1147.164, 580.310, 12}, {"tracker1_1", 1335.440, 763.918, 50},
	}
	for i, f := range facts {
		tr := got[i]
		if tr.Name != f.name || tr.Len() != f.n || !near(tr.Keyframes[0].X, f.x, 0.001) || !near(tr.Keyframes[0].Y, f.y, 0.001) {
			t.Errorf("tracker %d: %s %d keys first %+v, want %+v", i, tr.Name, tr.Len(), tr.Keyframes[0], f)
		}
	}
}

// FORMATS.md §5.8: the corner positions in the two classic references.
func TestCornerpinReferencePositions(t *testing.T) {
	tests := []struct {
		ref   string
		first map[string][2]float64
	}{
		{"ref_FlameSimpleReorderedCornerpin.stabilizer", map[string][2]float64{
			"top_left": {570.001, 795.000}, "top_right": {1217.000, 908.000},
			"bottom_left": {260.001, 229.000}, "bottom_right": {1178.000, 103.000}}},
		{"ref_FlameProperlyReorderedCornerpin.stabilizer", map[string][2]float64{
			"top_left": {566.475, 790.690}, "top_right": {1213.604, 905.832},
			"bottom_left": {259.199, 228.319}, "bottom_right": {1174.252, 101.292}}},
	}
	for _, tt := range tests {
		got := reimport(t, readRef(t, tt.ref))
		if len(got) != 4 {
			t.Fatalf("%s: %d trackers", tt.ref, len(got))
		}
		for _, tr := range got {
			// The reference key holds the first point, as written (%.3f).
			want := tt.first[tr.Name]
			if k := tr.Keyframes[0]; !near(k.X, want[0], 0.0005) || !near(k.Y, want[1], 0.0005) {
				t.Errorf("%s: %s first point (%v, %v), want %v", tt.ref, tr.Name, k.X, k.Y, want)
			}
		}
	}
}

// FORMATS.md §5.8 property: 40 trackers in, 4 trackers back.
func TestCornerpinKeepsFour(t *testing.T) {
	var trackers []*track.Tracker
	for i := range 40 {
		tr := track.New("Tracker " + string(rune('A'+i%26)))
		for f := range 7 {
			tr.Set(track.Keyframe{Frame: f, X: float64(i*10 + f), Y: float64(i*7 + f*2)})
		}
		trackers = append(trackers, tr)
	}
	for _, e := range []*format.Exporter{ExporterCornerpin, Exporter2014Cornerpin} {
		out := formattest.ExportString(t, e, format.Options{Now: formattest.Clock(t, date2010)}, 720, 576, trackers)
		got := reimport(t, out)
		if len(got) != 4 {
			t.Fatalf("%s: re-imported %d trackers, want 4", e.ID, len(got))
		}
		for _, tr := range got {
			if tr.Len() != 7 {
				t.Errorf("%s: %s has %d keys, want 7", e.ID, tr.Name, tr.Len())
			}
		}
	}
}

func TestCornerSorter(t *testing.T) {
	pt := func(f int, x, y float64) track.Keyframe { return track.Keyframe{Frame: f, X: x, Y: y} }
	// First keyframes (by frame) decide, whatever order the points came in.
	in := []*track.Tracker{
		{Name: "tr", Keyframes: []track.Keyframe{pt(0, 90, 90), pt(5, 0, 0)}},
		{Name: "bl", Keyframes: []track.Keyframe{pt(2, 10, 10)}},
		{Name: "tl", Keyframes: []track.Keyframe{pt(1, 10, 80)}},
		{Name: "br", Keyframes: []track.Keyframe{pt(3, 80, 5)}},
		{Name: "fifth", Keyframes: []track.Keyframe{pt(0, 0, 0)}},
	}
	order := func(e *format.Exporter) []string {
		var buf track.Buffer
		var sorter *cornerSorter
		switch e {
		case ExporterCornerpin:
			sorter = newExporterCornerpin(nil, format.Options{}).(*cornerSorter)
		default:
			sorter = newExporter2014Cornerpin(nil, format.Options{}).(*cornerSorter)
		}
		sorter.next = &buf
		if err := track.Export(sorter, 100, 100, in); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tr := range buf.Trackers {
			names = append(names, tr.Name)
		}
		if buf.Width != 100 || buf.Height != 100 || !buf.Ended {
			t.Errorf("%s: size %dx%d ended %v", e.ID, buf.Width, buf.Height, buf.Ended)
		}
		return names
	}
	if got := strings.Join(order(ExporterCornerpin), " "); got != "tl tr bl br" {
		t.Errorf("classic order %q, want tl tr bl br", got)
	}
	if got := strings.Join(order(Exporter2014Cornerpin), " "); got != "bl tl br tr" {
		t.Errorf("2014 order %q, want bl tl br tr", got)
	}

	// Fewer than four: received order; duplicate frames collapse to the last
	// one and names are sanitised, because the sorter rebuilds the trackers.
	var buf track.Buffer
	sorter := newExporterCornerpin(nil, format.Options{}).(*cornerSorter)
	sorter.next = &buf
	two := []*track.Tracker{
		{Name: "b  b", Keyframes: []track.Keyframe{pt(1, 1, 1), pt(1, 2, 2)}},
		{Name: "a", Keyframes: []track.Keyframe{pt(0, 0, 0)}},
	}
	if err := track.Export(sorter, 10, 10, two); err != nil {
		t.Fatal(err)
	}
	if len(buf.Trackers) != 2 || buf.Trackers[0].Name != "b_b" || buf.Trackers[1].Name != "a" ||
		buf.Trackers[0].Len() != 1 || buf.Trackers[0].Keyframes[0].X != 2 {
		t.Fatalf("got %+v", buf.Trackers)
	}

	// Nothing to export is a Lint error from the inner export.
	sorter = newExporterCornerpin(nil, format.Options{}).(*cornerSorter)
	if err := track.Export(sorter, 10, 10, nil); err == nil || !strings.Contains(err.Error(), "There were no trackers exported") {
		t.Fatalf("empty export: %v", err)
	}
}

func near(a, b, d float64) bool { return a-b <= d && b-a <= d }
