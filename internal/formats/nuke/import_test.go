package nuke

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestFormatID(t *testing.T) {
	if formatID != Importer.ID {
		t.Fatalf("formatID %q, Importer.ID %q", formatID, Importer.ID)
	}
}

func TestCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "nuke") {
		t.Run(rel, func(t *testing.T) {
			formattest.CheckCorpusFile(t, Importer, rel)
		})
	}
}

// importString imports a script given inline and returns every emitted tracker.
func importString(t *testing.T, script string) ([]*track.Tracker, error) {
	return formattest.ImportText(Importer, script, &format.Session{Width: 1920, Height: 1080})
}

func mustImport(t *testing.T, script string) []*track.Tracker {
	t.Helper()
	ts, err := importString(t, script)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// corpus imports a corpus file with the given size and drops empty trackers.
func corpus(t *testing.T, rel string, w, h int) []*track.Tracker {
	t.Helper()
	s, ts, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, rel), w, h)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if s.Width != w || s.Height != h {
		t.Errorf("%s: size changed to %dx%d", rel, s.Width, s.Height)
	}
	return formattest.NonEmpty(ts)
}

func names(ts []*track.Tracker) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

func near(a, b, delta float64) bool { return math.Abs(a-b) <= delta }

func checkKey(t *testing.T, what string, k track.Keyframe, frame int, x, y, delta float64) {
	t.Helper()
	if k.Frame != frame || !near(k.X, x, delta) || !near(k.Y, y, delta) || k.Residual != 0 {
		t.Errorf("%s: got %+v, want frame %d x %v y %v residual 0 (Δ %v)", what, k, frame, x, y, delta)
	}
}

func checkNames(t *testing.T, ts []*track.Tracker, want ...string) {
	t.Helper()
	if got := names(ts); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("names %q, want %q", got, want)
	}
}

func checkCount(t *testing.T, ts []*track.Tracker, n int) {
	t.Helper()
	if len(ts) != n {
		t.Fatalf("%d trackers %q, want %d", len(ts), names(ts), n)
	}
}

func frames(tr *track.Tracker) []int {
	var out []int
	for _, k := range tr.Keyframes {
		out = append(out, k.Frame)
	}
	return out
}

// TestFacts asserts the values of FORMATS.md §8.1 for the Nuke samples.
func TestFacts(t *testing.T) {
	t.Run("45trackers", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/45trackers.nk", 2048, 1176), 45)
	})
	t.Run("reconciles", func(t *testing.T) {
		ts := corpus(t, "nuke/reconciles.nk", 2048, 1176)
		checkCount(t, ts, 5)
		if ts[0].Len() != 128 {
			t.Errorf("first has %d kfs, want 128", ts[0].Len())
		}
	})
	t.Run("cornerpin", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/cornerpin.nk", 4096, 2304), 4)
	})
	t.Run("planar", func(t *testing.T) {
		checkNames(t, corpus(t, "nuke/planar.nk", 4096, 2304),
			"PlanarTracker2_outputBottomLeft", "PlanarTracker2_outputBottomRight",
			"PlanarTracker2_outputTopLeft", "PlanarTracker2_outputTopRight")
	})
	t.Run("nuke7_planar", func(t *testing.T) {
		checkNames(t, corpus(t, "nuke/nuke7_planar.nk", 1920, 1080),
			"PlanarTracker1_outputBottomLeft", "PlanarTracker1_outputBottomRight",
			"PlanarTracker1_outputTopLeft", "PlanarTracker1_outputTopRight")
	})
	t.Run("nuke7_transform2d", func(t *testing.T) {
		checkNames(t, corpus(t, "nuke/nuke7_transform2d.nk", 1920, 1080),
			"Transform_for_AE_translate", "Transform_for_AE_center")
	})
	for _, f := range []string{"nuke/one_tracker_with_break.nk", "nuke/one_tracker_with_break_in_grp.nk"} {
		t.Run(f, func(t *testing.T) {
			ts := corpus(t, f, 2048, 1176)
			checkCount(t, ts, 2)
			if ts[1].Len() != 22 {
				t.Fatalf("second has %d kfs, want 22", ts[1].Len())
			}
			checkKey(t, "second [-1]", ts[1].Keyframes[21], 762, 1147.972, 510.107, 0.01)
		})
	}
	t.Run("018", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/018.nk", 1920, 1080), 21)
	})
	t.Run("tracker_with_differing_gaps", func(t *testing.T) {
		ts := corpus(t, "nuke/tracker_with_differing_gaps.nk", 2048, 3112)
		checkCount(t, ts, 1)
		f := frames(ts[0])
		if len(f) != 45 || f[0] != 21 || f[24] != 45 || f[25] != 60 || f[26] != 61 || f[44] != 109 {
			t.Errorf("frames %v", f)
		}
	})
	t.Run("tracker_with_repeating_gaps", func(t *testing.T) {
		ts := corpus(t, "nuke/tracker_with_repeating_gaps.nk", 2048, 1556)
		checkCount(t, ts, 1)
		if f := frames(ts[0]); len(f) < 6 || f[3] != 5 || f[4] != 8 || f[5] != 11 {
			t.Errorf("frames %v", f)
		}
	})
	t.Run("nuke7_tracker_2tracks", func(t *testing.T) {
		ts := corpus(t, "nuke/nuke7_tracker_2tracks.nk", 1280, 720)
		checkNames(t, ts, "Tracker1_track_1", "Tracker1_track_2")
		if len(ts) == 2 && ts[1].Len() == 15 {
			checkKey(t, "second [5]", ts[1].Keyframes[5], 9, 106.75, 77.01, 0.01)
		} else {
			t.Errorf("want a second tracker with 15 kfs")
		}
	})
	t.Run("nuke708_tracker", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/nuke708_tracker.nk", 2048, 1152), 1)
	})
	t.Run("nuke8_tracker4_copypastes", func(t *testing.T) {
		ts := corpus(t, "nuke/nuke8_tracker4_copypastes.nk", 2048, 1152)
		checkCount(t, ts, 4)
		if ts[0].Name != "Tracker1_track_1" || ts[0].Len() != 48 {
			t.Errorf("first %q with %d kfs", ts[0].Name, ts[0].Len())
		}
	})
	t.Run("curve-start-with-curve-command", func(t *testing.T) {
		ts := corpus(t, "nuke/curve-start-with-curve-command.nk", 2048, 1556)
		checkCount(t, ts, 4)
		if ts[0].Name != "gun_track_track_1" || ts[0].Len() != 40 {
			t.Fatalf("first %q with %d kfs", ts[0].Name, ts[0].Len())
		}
		k := ts[0].Keyframes[0]
		if !near(k.X, 1234.300049, 0.001) || !near(k.Y, 738.0, 0.001) {
			t.Errorf("first key %+v", k)
		}
	})
	t.Run("track_nuke8", func(t *testing.T) {
		ts := corpus(t, "nuke/track_nuke8.nk", 2048, 1152)
		checkCount(t, ts, 5)
		if ts[0].Name != "Tracker1_track_1" || ts[0].Len() != 88 {
			t.Errorf("first %q with %d kfs", ts[0].Name, ts[0].Len())
		}
	})
	t.Run("A099", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/A099_L008_0207TW_001_head_R.nk", 4800, 2700), 4)
	})
	t.Run("failing_nuke7_trackers_job_1872", func(t *testing.T) {
		ts := corpus(t, "nuke/failing_nuke7_trackers_job_1872.nk", 2048, 1556)
		checkNames(t, ts, "Tracker5_track_1", "Tracker5_track_2")
		if len(ts) == 2 && ts[1].Len() != 16 {
			t.Errorf("second has %d kfs, want 16", ts[1].Len())
		}
	})
	t.Run("tracker4_with_empty_tracks_knob", func(t *testing.T) {
		ts := corpus(t, "nuke/tracker4_with_empty_tracks_knob.nk", 2088, 1231)
		checkCount(t, ts, 22)
		if ts[0].Len() != 217 {
			t.Errorf("first has %d kfs, want 217", ts[0].Len())
		}
	})
	t.Run("skip_invalid_curve_expressions", func(t *testing.T) {
		checkCount(t, corpus(t, "nuke/skip_invalid_curve_expressions.nk", 960, 540), 5)
	})
}

// TestMoreFacts asserts the reference values of FORMATS.md §8.2: first and
// last keyframe of the first tracker, and the last tracker.
func TestMoreFacts(t *testing.T) {
	type kf struct {
		frame int
		x, y  float64
	}
	for _, c := range []struct {
		file        string
		w, h        int
		n           int
		first       string
		firstLen    int
		head, tail  kf
		last        string
		lastLen     int
		delta       float64
		skipLastLen bool
	}{
		{"nuke/018.nk", 1920, 1080, 21, "Tracker1_track1", 74, kf{0, 688, 704}, kf{73, 712.9567, 670.2186}, "Tracker10_track3", 38, 1e-4, false},
		{"nuke/cornerpin.nk", 4096, 2304, 4, "CornerPin2D_Layer_2_to1", 101, kf{0, 1762, 255}, kf{100, 1582.73, 325.975}, "CornerPin2D_Layer_2_to4", 101, 1e-4, false},
		{"nuke/nuke7_transform2d.nk", 1920, 1080, 2, "Transform_for_AE_translate", 14, kf{0, -1578, -12}, kf{86, 1933, 158.66}, "Transform_for_AE_center", 3, 1e-4, false},
		{"nuke/reconciles.nk", 2048, 1176, 5, "RED_STAGE_2D_output", 128, kf{0, 936.0614, 197.6821}, kf{127, 997.2904, 408.0466}, "LOBBY_2D_output", 128, 1e-4, false},
		{"nuke/skip_invalid_curve_expressions.nk", 960, 540, 5, "SL_LEG_track_1", 144, kf{1, 439.2253, 237.2516}, kf{184, 419.4920, 239.3243}, "SL_LEG_track_5", 150, 1e-4, false},
		{"nuke/tracker4_with_empty_tracks_knob.nk", 2088, 1231, 22, "t1_screenright_mouth1_track_1", 217, kf{1000, 1337.9437, 644.5668}, kf{1216, 1374.8160, 563.6869}, "Tracker17_track_1", 137, 1e-4, false},
		{"nuke/A099_L008_0207TW_001_head_R.nk", 4800, 2700, 4, "Tracker_head_R_track_1", 52, kf{373, 1008.35, 1830.66}, kf{424, 2217.88, 2148.41}, "Tracker_head_R_track_4", 52, 1e-4, false},
		{"nuke/45trackers.nk", 2048, 1176, 45, "Boujou_BeachBlend_Target_track_8_track1", 2832, kf{1439, 936.5750, 192.4310}, kf{4270, 1182.0750, 231.8660}, "eraseCrane2_beachK4_1_track1", 2832, 1e-4, false},
	} {
		t.Run(c.file, func(t *testing.T) {
			ts := corpus(t, c.file, c.w, c.h)
			checkCount(t, ts, c.n)
			f, l := ts[0], ts[len(ts)-1]
			if f.Name != c.first || f.Len() != c.firstLen {
				t.Fatalf("first %q with %d kfs, want %q with %d", f.Name, f.Len(), c.first, c.firstLen)
			}
			checkKey(t, "first", f.Keyframes[0], c.head.frame, c.head.x, c.head.y, c.delta)
			checkKey(t, "last", f.Keyframes[f.Len()-1], c.tail.frame, c.tail.x, c.tail.y, c.delta)
			if l.Name != c.last || l.Len() != c.lastLen {
				t.Errorf("last %q with %d kfs, want %q with %d", l.Name, l.Len(), c.last, c.lastLen)
			}
		})
	}
}

// TestPairing is the x/y pairing rule of §8.1: only frames present in both
// curves make keyframes; a frame repeated on an axis takes its later value.
func TestPairing(t *testing.T) {
	xs := []key{{1, 125}, {3, 234}, {5, 456}, {9, 876}}
	ys := []key{{2, 437}, {3, 123}, {6, 432}, {9, 430}}
	got := pairCurves("T", xs, ys)
	want := []track.Keyframe{{Frame: 2, X: 234, Y: 123}, {Frame: 8, X: 876, Y: 430}}
	if !equalKeys(got.Keyframes, want) {
		t.Errorf("got %+v, want %+v", got.Keyframes, want)
	}

	// Negative frames pair like any other.
	got = pairCurves("T", []key{{-100, 1}, {-3, 2}, {4, 3}}, []key{{-100, 5}, {4, 6}})
	want = []track.Keyframe{{Frame: -101, X: 1, Y: 5}, {Frame: 3, X: 3, Y: 6}}
	if !equalKeys(got.Keyframes, want) {
		t.Errorf("negative: got %+v, want %+v", got.Keyframes, want)
	}

	// Out of order and repeated frames: the last x wins, with the last y.
	got = pairCurves("T", []key{{5, 1}, {3, 2}, {5, 3}}, []key{{5, 10}, {3, 20}, {5, 30}})
	want = []track.Keyframe{{Frame: 2, X: 2, Y: 20}, {Frame: 4, X: 3, Y: 30}}
	if !equalKeys(got.Keyframes, want) {
		t.Errorf("unordered: got %+v, want %+v", got.Keyframes, want)
	}

	// The same through a script.
	ts := mustImport(t, "Tracker3 {\n track1 {{curve x1 125 x3 234 x5 456 x9 876} {curve x2 437 x3 123 x6 432 x9 430}}\n name T\n}\n")
	if len(ts) != 1 || !equalKeys(ts[0].Keyframes, []track.Keyframe{{Frame: 2, X: 234, Y: 123}, {Frame: 8, X: 876, Y: 430}}) {
		t.Errorf("script: got %+v", ts)
	}
	// A negative step walks below frame 1: Nuke frame -100 is internal -101.
	ts = mustImport(t, "Tracker3 {\n track1 {{curve x2 1 x1 2 3 4} {curve x-1 x2 5 x1 6 7 8}}\n name T\n}\n")
	want = []track.Keyframe{{Frame: -2, X: 4, Y: 8}, {Frame: -1, X: 3, Y: 7}, {Frame: 0, X: 2, Y: 6}, {Frame: 1, X: 1, Y: 5}}
	if len(ts) != 1 || !equalKeys(ts[0].Keyframes, want) {
		t.Errorf("negative script: got %+v, want %+v", ts, want)
	}
}

// TestRekeyedCurves imports testdata/rekeyed_curves.nk, whose curves jump
// back to frames they already emitted (§4.8.2): each axis keeps its later
// value at such a frame. x values are 1xx (first pass) and 3xx (re-keyed), y
// values 5xx and 7xx, so a keyframe pairing an x of one pass with a y of
// another, or keys paired by position, shows as a wrong hundreds digit.
func TestRekeyedCurves(t *testing.T) {
	_, ts, err := formattest.ImportFile(t, Importer, "testdata/rekeyed_curves.nk", 2048, 1152)
	if err != nil {
		t.Fatal(err)
	}
	type kf = track.Keyframe
	want := []struct {
		name string
		keys []kf
	}{
		// x jumps back to frame 1 after 4 keys, y after 5; both then reach
		// beyond their previous maximum (6, 7). y alone has Nuke frame 5.
		{"Rekey3_track1", []kf{{Frame: 0, X: 301, Y: 701}, {Frame: 1, X: 302, Y: 702}, {Frame: 2, X: 103, Y: 703},
			{Frame: 3, X: 104, Y: 504}, {Frame: 5, X: 106, Y: 506}, {Frame: 6, X: 107, Y: 507}}},
		// Only y jumps back (x12 after frame 13: step -1, so 711 lands on
		// 11), then goes on to 14 and 15; x stops at 14.
		{"Rekey3_track2", []kf{{Frame: 9, X: 111, Y: 511}, {Frame: 10, X: 112, Y: 711}, {Frame: 11, X: 113, Y: 712},
			{Frame: 12, X: 114, Y: 514}, {Frame: 13, X: 115, Y: 714}}},
		// The Nuke 8 form (x-4 ignored): x re-keys 4 then 3, y re-keys 2
		// then 3 at another point of its curve; Nuke frame 3 is re-keyed
		// on both axes.
		{"Rekey4_track_1", []kf{{Frame: 0, X: 121, Y: 521}, {Frame: 1, X: 122, Y: 722}, {Frame: 2, X: 323, Y: 723},
			{Frame: 3, X: 324, Y: 524}, {Frame: 4, X: 125, Y: 525}, {Frame: 5, X: 126, Y: 526}, {Frame: 7, X: 128, Y: 528}}},
		// Both jump back to their first frame (20) at different points, y
		// through the quoted "curve " form; 23 is x only, 24 y only.
		{"Rekey4_track_2", []kf{{Frame: 19, X: 341, Y: 741}, {Frame: 20, X: 342, Y: 542}, {Frame: 21, X: 143, Y: 543},
			{Frame: 24, X: 145, Y: 545}}},
	}
	if len(ts) != len(want) {
		t.Fatalf("%d trackers %q, want %d", len(ts), names(ts), len(want))
	}
	for i, w := range want {
		if ts[i].Name != w.name {
			t.Errorf("tracker %d: name %q, want %q", i, ts[i].Name, w.name)
		}
		if !equalKeys(ts[i].Keyframes, w.keys) {
			t.Errorf("%s:\n got %+v\nwant %+v", w.name, ts[i].Keyframes, w.keys)
		}
	}
}

func equalKeys(a, b []track.Keyframe) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCurveExpansion covers the examples of FORMATS.md §4.8.2.
func TestCurveExpansion(t *testing.T) {
	for _, c := range []struct {
		curve string
		mode  curveMode
		want  []key // nil: invalid
	}{
		{"{curve x1 10 x5 12 13}", strictCurve, []key{{1, 10}, {5, 12}, {9, 13}}},
		{"{curve x1 196 326 440 x6 554 658 752}", strictCurve, []key{{1, 196}, {2, 326}, {3, 440}, {6, 554}, {9, 658}, {12, 752}}},
		{"{curve -1578 x4 -1534 x6 -1417 -1326 x12 1}", strictCurve, []key{{1, -1578}, {4, -1534}, {6, -1417}, {8, -1326}, {12, 1}}},
		{"{curve i x-1 688 687.99}", strictCurve, []key{{1, 688}, {2, 687.99}}},
		{"{curve K x3 1 8.2e-05 s95 L 2}", strictCurve, []key{{3, 1}, {4, 2}}},
		{"{curve x1 1 {2} [3] 4}", strictCurve, []key{{1, 1}, {2, 4}}},
		{"{curve x5 1 x5 2 3}", strictCurve, []key{{5, 1}, {5, 2}, {5, 3}}},
		{"{curve 1.2.3 - .5}", strictCurve, []key{{1, 1.2}, {2, 0}, {3, 0.5}}},
		{`{"curve" x2 7}`, strictCurve, []key{{2, 7}}},
		{"{curve+5 x1 987 988}", looseCurve, []key{{1, 992}, {2, 993}}},
		{"{curve-12 x1 482.5}", looseCurve, []key{{1, 470.5}}},
		{`{"curve " x374 1008.35}`, looseCurve, []key{{374, 1008.35}}},
		{"{curve+5 x1 987}", strictCurve, nil},
		{`{"curve " x374 1008.35}`, strictCurve, nil},
		{"{curve}", strictCurve, nil},
		{"{curve}", looseCurve, nil},
		{"{}", looseCurve, nil},
		{"{{parent.x}}", looseCurve, nil},
		{"{{curve x1 1}}", looseCurve, nil},
		{"{curves x1 1}", strictCurve, nil},
		{"{curve x1 1\n2}", strictCurve, nil}, // a list of commands, not a curve
		{"[curve x1 1]", strictCurve, nil},
		{"curve", looseCurve, nil},
	} {
		tok := newTokenizer(strings.NewReader("k "+c.curve), func([]byte) bool { return true })
		cmd, err := tok.next()
		if err != nil || len(cmd) != 2 {
			t.Fatalf("%q: %v %v", c.curve, cmd, err)
		}
		got, ok := tok.expand(nil, cmd[1], c.mode)
		if c.want == nil {
			if ok {
				t.Errorf("%q (mode %v): valid, want invalid", c.curve, c.mode)
			}
			continue
		}
		if !ok || len(got) != len(c.want) {
			t.Errorf("%q: got %v %v, want %v", c.curve, got, ok, c.want)
			continue
		}
		for i := range got {
			if got[i].frame != c.want[i].frame || !near(got[i].value, c.want[i].value, 1e-9) {
				t.Errorf("%q: got %v, want %v", c.curve, got, c.want)
				break
			}
		}
	}
}

// TestNodes covers the node rules of §4.8.3 on small scripts.
func TestNodes(t *testing.T) {
	for _, c := range []struct {
		what, script string
		want         []string // tracker names, with their first keyframe x
	}{
		{"no name knob", "Tracker3 {\n track1 {{curve x1 1} {curve x1 2}}\n}\n", []string{"_track1"}},
		{"all four knobs in order", "Tracker3 {\n track3 {{curve x1 3} {curve x1 3}}\n track1 {{curve x1 1} {curve x1 1}}\n name T\n track4 {{curve x1 4} {curve x1 4}}\n}\n",
			[]string{"T_track1", "T_track3", "T_track4"}},
		{"single animated axis", "Tracker3 {\n track1 {{curve x1 1} 5}\n name T\n}\n", nil},
		{"three curves", "Tracker3 {\n track1 {{curve x1 1} {curve x1 1} {curve x1 1}}\n name T\n}\n", nil},
		{"bare curve", "Tracker3 {\n track1 {{curve} {curve x1 1}}\n track2 {{curve x1 1} {curve x1 1}}\n name T\n}\n", []string{"T_track2"}},
		{"bare word value", "Tracker3 {\n track1 foo\n track2\n name T\n}\n", nil},
		{"expressions", "CornerPin2D {\n to1 {{PlanarTracker2.outputBottomLeft.x i} {PlanarTracker2.outputBottomLeft.y i}}\n name C\n}\n", nil},
		{"modifier only in Tracker4", "Tracker3 {\n track1 {{curve+5 x1 1} {curve x1 1}}\n name T\n}\n", nil},
		{"last knob wins", "Tracker3 {\n track1 {{curve x1 1} {curve x1 1}}\n track1 {}\n name A\n name B\n}\n", nil},
		{"name with spaces", "Reconcile3D {\n output {{curve x1 1} {curve x1 1}}\n name \"my node\"\n}\n", []string{"my_node_output"}},
		{"other classes", "Tracker5 {\n track1 {{curve x1 1} {curve x1 1}}\n}\nTransform2D {\n translate {{curve x1 1} {curve x1 1}}\n}\n", nil},
		{"not a node", "Tracker3 {\n track1 {{curve x1 1} {curve x1 1}}\n} extra\nTracker3 { track1 {{curve x1 1} {curve x1 1}} }\n", nil},
		{"group", "Group {\n name G\n}\n Tracker3 {\n  track1 {{curve x1 1} {curve x1 1}}\n  name T\n }\nend_group\n", []string{"T_track1"}},
		{"every class", "Transform {\n translate {{curve x1 1} {curve x1 1}}\n center {{curve x1 1} {curve x1 1}}\n name A\n}\n" +
			"PlanarTracker {\n outputTopRight {{curve x1 1} {curve x1 1}}\n outputBottomLeft {{curve x1 1} {curve x1 1}}\n name P\n}\n" +
			"PlanarTracker1_0 {\n outputTopLeft {{curve x1 1} {curve x1 1}}\n outputBottomRight {{curve x1 1} {curve x1 1}}\n name Q\n}\n" +
			"Reconcile3D {\n output {{curve x1 1} {curve x1 1}}\n name R\n}\n" +
			"CornerPin2D {\n to2 {{curve x1 1} {curve x1 1}}\n to1 {{curve x1 1} {curve x1 1}}\n name C\n}\n",
			[]string{"A_translate", "A_center", "P_outputBottomLeft", "P_outputTopRight", "Q_outputBottomRight", "Q_outputTopLeft", "R_output", "C_to1", "C_to2"}},
		{"tracker4", "Tracker4 {\n tracks { { 1 31 3 } \n{ { 5 1 20 enable e } \n{ 3 1 75 name name } \n} \n{ \n" +
			" { {curve K x1 1} \"track 1\" {curve+5 x1 1} {\"curve \" x1 2} } \n" +
			" { {curve K 1} \"avg track 1\" {}  {}  {} } \n" +
			" { {curve} \"track 3\" {curve x1 1} {curve-1 x1 2} } \n" +
			" { {curve} \"short\" {curve x1 1} } \n" +
			"} \n}\n name T4\n}\nTracker4 {\n center {1024 576}\n name Empty\n}\n",
			[]string{"T4_track_1", "T4_track_3"}},
	} {
		t.Run(c.what, func(t *testing.T) {
			ts := mustImport(t, c.script)
			checkNames(t, formattest.NonEmpty(ts), c.want...)
		})
	}
}

// TestLineEndings: Windows line endings change nothing.
func TestLineEndings(t *testing.T) {
	for _, rel := range []string{"nuke/018.nk", "nuke/nuke7_tracker_2tracks.nk", "nuke/one_tracker_with_break_in_grp.nk"} {
		data, err := os.ReadFile(formattest.ImportPath(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		lf := mustImport(t, string(data))
		crlf := mustImport(t, strings.ReplaceAll(string(data), "\n", "\r\n"))
		if len(lf) == 0 {
			t.Fatalf("%s: no trackers", rel)
		}
		formattest.CompareTrackers(t, crlf, lf)
	}
}

// TestTokenizer checks the tokenizer rules of §4.8.1 on the shape of what
// it returns.
func TestTokenizer(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a b\nc d\n", "(a b) (c d)"},
		{"a b", "(a b)"},
		{"\n\n  a  \n\n", "(a)"},
		{"a\tb c", "(a\tb c)"},
		{"a\r\nb\r\n", "(a) (b)"},
		{"a\rb", "(ab)"},
		{"a;b c;", "(a;b c;)"},
		{`abc"def"g`, "(abc def g)"},
		{`x "a b" 'c d' ""`, "(x «a b» «c d» «»)"},
		{`x "it's"`, "(x «it's»)"},
		{`x 'it''s'`, "(x it s)"},
		{`x "a\"b"`, `(x «a"b»)`},
		{`x "a\\b"`, "(x ab)"},
		{`x "C:\\dir\\" y "`, `(x «C:dir" y »)`},
		{"x \"a\r\nb\"", "(x «a\r\nb»)"},
		{"x {a b} [c {d}]", "(x {a b} [c {d}])"},
		{"x {a\nb c}", "(x {(a) (b c)})"},
		{"x {\n a b \n}", "(x {(a b)})"},
		{"x { \n }", "(x {})"},
		{"x {{a}\n{b} c\n}", "(x {({a}) ({b} c)})"},
		{"x {a]b}", "(x {a]b})"},
		{"x [a}b]", "(x [a}b])"},
		{"a } ] b", "(a } ] b)"},
		{"x {a \"}\" b}", "(x {a } b})"},
		{"x {\n}\ny", "(x {}) (y)"},
	} {
		tok := newTokenizer(strings.NewReader(c.in), func([]byte) bool { return true })
		var got []string
		for {
			cmd, err := tok.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: %v", c.in, err)
			}
			got = append(got, render(tok, elem{kind: command}, cmd))
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.in, s, c.want)
		}
	}
}

// render writes commands as (…), brace lists as {…}, bracket lists as […]
// and quoted-looking words (empty or with spaces) as «…».
func render(tok *tokenizer, e elem, children []elem) string {
	if e.kind == word {
		w := string(tok.word(e))
		if w == "" || strings.ContainsAny(w, " \n\"'") {
			return "«" + w + "»"
		}
		return w
	}
	var parts []string
	for _, c := range children {
		parts = append(parts, render(tok, c, tok.children(c)))
	}
	open, close := "(", ")"
	switch e.kind {
	case braceList:
		open, close = "{", "}"
	case bracketList:
		open, close = "[", "]"
	}
	return open + strings.Join(parts, " ") + close
}

// TestSkipped: commands of other classes are scanned but not returned.
func TestSkipped(t *testing.T) {
	tok := newTokenizer(strings.NewReader("Read {\n file \"x y\"\n}\n{a}\nTracker3 {\n name T\n}\nViewer {\n}"), supported)
	cmd, err := tok.next()
	if err != nil {
		t.Fatal(err)
	}
	if got := render(tok, elem{kind: command}, cmd); got != "(Tracker3 {(name T)})" {
		t.Errorf("got %s", got)
	}
	if _, err := tok.next(); err != io.EOF {
		t.Errorf("want EOF, got %v", err)
	}
	if _, err := tok.next(); err != io.EOF {
		t.Errorf("want EOF again, got %v", err)
	}
}

// TestBadInput: malformed scripts fail with the line where the trouble started.
func TestBadInput(t *testing.T) {
	deep := strings.Repeat("{", 5000)
	for _, c := range []struct {
		what, in string
		want     []string
	}{
		{"unterminated string", "Root {\n}\nTracker3 {\n name \"abc\n\n", []string{"NukeScript: line 4:", "string", "never closed", "line 6"}},
		{"unterminated single quote", "Read {\n label 'it\n}\n", []string{"NukeScript: line 2:", "string", "never closed"}},
		{"unterminated list", "Root {\n}\nTracker3 {\n track1 {{curve x1 1} {curve x1 2}}\n", []string{"NukeScript: line 3:", `"{"`, "never closed", `"}"`}},
		{"unterminated list in a skipped node", "Read {\n file [value x\n}\n", []string{"NukeScript: line 2:", `"["`, `"]"`}},
		{"unterminated string in a skipped node", "Read {\n file \"abc\n}\n", []string{"NukeScript: line 2:", "never closed"}},
		{"deep nesting", "Tracker3 " + deep, []string{"NukeScript: line 1:", "deeper than 1000"}},
		{"deep nesting skipped", "x\n" + deep, []string{"NukeScript: line 2:", "deeper than 1000"}},
		{"deep brackets", "\n\n" + strings.Repeat("[", 2000), []string{"NukeScript: line 3:", "deeper than 1000"}},
	} {
		t.Run(c.what, func(t *testing.T) {
			_, err := importString(t, c.in)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *format.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%T is no ParseError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	// Depth 1000 itself is fine.
	ok := "Tracker3 " + strings.Repeat("{", 999) + strings.Repeat("}", 999) + "\n"
	if _, err := importString(t, ok); err != nil {
		t.Errorf("depth 999: %v", err)
	}
}

// TestTruncated: a script cut inside a node fails, after the trackers of
// the complete nodes before it were handed over.
func TestTruncated(t *testing.T) {
	data, err := os.ReadFile(formattest.ImportPath(t, "nuke/018.nk"))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte("Tracker3 {"))
	cut := string(data[:i+400])
	ts, err := importString(t, cut)
	if err == nil || !strings.Contains(err.Error(), "never closed") {
		t.Fatalf("want an unterminated list error, got %v", err)
	}
	// The innermost open list is the curve knob on the line after the node's.
	line := strings.Count(string(data[:i]), "\n") + 2
	if want := "line " + strconv.Itoa(line) + ":"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name line %d", err, line)
	}
	if len(formattest.NonEmpty(ts)) != 18 {
		t.Errorf("%d trackers before the cut, want 18", len(formattest.NonEmpty(ts)))
	}
}

// TestGarbage: binary junk gives no trackers and no panic.
func TestGarbage(t *testing.T) {
	junk := make([]byte, 1<<16)
	for i := range junk {
		junk[i] = byte(i*7919 + i/3)
	}
	ts, _ := importString(t, string(junk))
	if len(formattest.NonEmpty(ts)) != 0 {
		t.Errorf("trackers from junk: %q", names(ts))
	}
	if ts, err := importString(t, ""); err != nil || len(ts) != 0 {
		t.Errorf("empty input: %v %v", ts, err)
	}
}

// TestEmitError: an error from the session stops the import.
func TestEmitError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	s := &format.Session{Emit: func(*track.Tracker) error { n++; return stop }}
	err := Importer.Import(strings.NewReader("Tracker3 {\n track1 {{curve x1 1} {curve x1 1}}\n track2 {{curve x1 1} {curve x1 1}}\n}\n"), s)
	if err != stop || n != 1 {
		t.Errorf("got %v after %d emits", err, n)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("disk on fire")
	}
	r.n = 0
	return copy(p, "Tracker3 {\n name T\n"), nil
}

func TestReadError(t *testing.T) {
	s := &format.Session{Emit: func(*track.Tracker) error { return nil }}
	err := Importer.Import(&failingReader{n: 1}, s)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "NukeScript") {
		t.Errorf("got %v", err)
	}
}

// TestProgress: every tracker is announced.
func TestProgress(t *testing.T) {
	var msgs []string
	s := &format.Session{Emit: func(*track.Tracker) error { return nil }, Progress: func(m string) { msgs = append(msgs, m) }}
	if err := Importer.Import(strings.NewReader("Tracker3 {\n track1 {{curve x1 1} {curve x1 1}}\n name T\n}\n"), s); err != nil {
		t.Fatal(err)
	}
	if strings.Join(msgs, "|") != "Reading tracker T_track1" {
		t.Errorf("messages %q", msgs)
	}
}

func BenchmarkImport45Trackers(b *testing.B) {
	data, err := os.ReadFile(formattest.ImportPath(b, "nuke/45trackers.nk"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		s := &format.Session{Width: 2048, Height: 1176, Emit: func(*track.Tracker) error { n++; return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			b.Fatal(err)
		}
		if n != 45 {
			b.Fatalf("%d trackers", n)
		}
	}
}

func FuzzImportNukeScript(f *testing.F) {
	formattest.Seed(f, "nuke")
	f.Add([]byte("Tracker3 {\n track1 {{curve x2 1 x1 2 3 4} {curve x-1 x2 5 x1 6 7 8}}\n name T\n}\n"))
	f.Add([]byte("Tracker4 {\n tracks { { 1 31 1 } \n{ { 5 1 20 enable e } \n} \n{ \n { {curve K x1 1} \"track 1\" {curve+5 x1 1 2} {\"curve \" x1 2 3} } \n} \n}\n name T4\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzImport(t, Importer, data)
	})
}
