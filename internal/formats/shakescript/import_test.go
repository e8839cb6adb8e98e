package shakescript

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestCorpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "shake_script") {
		t.Run(rel, func(t *testing.T) {
			formattest.CheckCorpusFile(t, Importer, rel)
		})
	}
}

// importString imports a script and returns every tracker emitted.
func importString(src string) ([]*track.Tracker, []string, error) {
	var msgs []string
	s := &format.Session{Width: 1920, Height: 1080, Progress: func(m string) { msgs = append(msgs, m) }}
	out, err := formattest.ImportText(Importer, src, s)
	return out, msgs, err
}

func mustImport(t *testing.T, src string) []*track.Tracker {
	t.Helper()
	ts, _, err := importString(src)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return ts
}

func importCorpus(t *testing.T, rel string, w, h int) []*track.Tracker {
	t.Helper()
	_, ts, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, rel), w, h)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return ts
}

func near(t *testing.T, what string, got, want, delta float64) {
	t.Helper()
	if math.Abs(got-want) > delta {
		t.Errorf("%s = %v, want %v (Δ %v)", what, got, want, delta)
	}
}

func names(ts []*track.Tracker) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name)
	}
	return s
}

func checkCount(t *testing.T, rel string, ts []*track.Tracker, n int) {
	t.Helper()
	if len(ts) != n {
		t.Fatalf("%s: %d trackers %v, want %d", rel, len(ts), names(ts), n)
	}
}

func checkKey(t *testing.T, what string, k track.Keyframe, frame int, x, y, res, delta float64) {
	t.Helper()
	if k.Frame != frame {
		t.Errorf("%s frame = %d, want %d", what, k.Frame, frame)
	}
	near(t, what+" x", k.X, x, delta)
	near(t, what+" y", k.Y, y, delta)
	if !math.IsNaN(res) {
		near(t, what+" residual", k.Residual, res, delta)
	}
}

func last(t *track.Tracker) track.Keyframe { return t.Keyframes[len(t.Keyframes)-1] }

// FORMATS.md §8.1 (Shake script) and the Shake rows of §8.2.
func TestConformance(t *testing.T) {
	t.Run("shake_tracker_nodes", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/shake_tracker_nodes.shk", 1920, 1080)
		checkCount(t, "shake_tracker_nodes", ts, 26)
		l := ts[len(ts)-1]
		if l.Name != "Tracker8_track1" {
			t.Errorf("last is %q", l.Name)
		}
		checkKey(t, "[0]", l.Keyframes[0], 107, 1281.14, 1065.41, 1.0, 0.001)
		near(t, "[1] residual", l.Keyframes[1].Residual, 0.00129, 0.001)
	})
	t.Run("no anim", func(t *testing.T) {
		checkCount(t, "no anim", importCorpus(t, "shake_script/shake_tracker_with_no_anim.shk", 1920, 1080), 0)
	})
	t.Run("two_tracks_in_one_tracker", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/two_tracks_in_one_tracker.shk", 1920, 1080)
		checkCount(t, "two tracks", ts, 2)
		if ts[0].Name != "Tracker1_track1" || ts[1].Name != "Tracker1_track2" {
			t.Errorf("names %v", names(ts))
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 0, 716.08, 885.123, 0, 0.001)
		near(t, "[1] residual", ts[0].Keyframes[1].Residual, 0.00129, 0.001)
		// §8.2
		if n := ts[0].Len(); n != 185 {
			t.Errorf("first has %d kfs, want 185", n)
		}
		checkKey(t, "[-1]", last(ts[0]), 184, 1246.61, 346.232, 0.1654, 0.0001)
		if n := ts[1].Len(); n != 116 {
			t.Errorf("second has %d kfs, want 116", n)
		}
	})
	firsts := []struct {
		rel   string
		n     int
		first string
	}{
		{"three_tracks_in_one_stabilizer.shk", 3, "Stabilize1_track1"},
		{"four_tracks_in_one_stabilizer.shk", 4, "Stabilize2_track1"},
		{"four_tracks_in_one_matchmove.shk", 4, "MatchMove1_track1"},
		{"from_matchmover.shk", 8, "rzMatchMove_track1"},
		{"REDACTED_shake_file.shk", 2, "Stabilize1_track1"},
		{"comments_inline_with_args.shk", 1, "Camera01Trackers_Tracker8"},
	}
	for _, tc := range firsts {
		t.Run(tc.rel, func(t *testing.T) {
			ts := importCorpus(t, "shake_script/"+tc.rel, 1920, 1080)
			checkCount(t, tc.rel, ts, tc.n)
			if ts[0].Name != tc.first {
				t.Errorf("first is %q, want %q", ts[0].Name, tc.first)
			}
		})
	}
	t.Run("REDACTED names", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/REDACTED_shake_file.shk", 1920, 1080)
		if got := strings.Join(names(ts), " "); got != "Stabilize1_track1 Stabilize1_track2" {
			t.Errorf("names %s", got)
		}
	})
	t.Run("Nspline", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/shake_trackers_with_Nspline.shk", 1920, 1080)
		checkCount(t, "Nspline", ts, 3)
		if n := ts[0].Len(); n != 160 {
			t.Errorf("first has %d kfs, want 160", n)
		}
	})
	t.Run("from boujou", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/shake_script_from_boujou.shk", 1920, 1080)
		checkCount(t, "boujou", ts, 1)
		if ts[0].Len() != 387 || ts[0].Name != "Boujou_Tracks_Target_track_1" {
			t.Errorf("%s has %d kfs", ts[0].Name, ts[0].Len())
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 4, 252.046, 404.323, 1.0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 390, 263.795, 329.552, 1.0, 0.0001)
	})
	t.Run("hermite", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/stabilize_nodes_with_hermite.shk", 1920, 1080)
		checkCount(t, "hermite", ts, 3)
		if ts[0].Name != "Stabilize1_track1" || ts[0].Len() != 73 {
			t.Errorf("first %q has %d kfs", ts[0].Name, ts[0].Len())
		}
		checkKey(t, "[-1]", last(ts[0]), 76, 1256.72, 1569.04, 0, 0.001)
	})
	t.Run("matchmove keys", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/four_tracks_in_one_matchmove.shk", 1920, 1080)
		if ts[0].Len() != 14 || ts[3].Name != "MatchMove1_track4" || ts[3].Len() != 14 {
			t.Errorf("got %v", names(ts))
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 88, 136.333, 81.0001, 0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 101, 152.662, 37.7344, 0, 0.0001)
	})
	t.Run("old tracker node", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/oldTrackerNode.shk", 1920, 1080)
		checkCount(t, "old", ts, 1)
		if ts[0].Name != "Copy_tracker_exportedTrack_1" || ts[0].Len() != 850 {
			t.Errorf("%q has %d kfs", ts[0].Name, ts[0].Len())
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 0, 3698.3130, 1568.4320, 1.0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 849, 2655.8206, 1044.8407, 1.0, 0.0001)
	})
	t.Run("negative range", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/designated_global_range_starting_at_negative_frame.shk", 720, 576)
		checkCount(t, "negative range", ts, 33)
		if ts[0].Name != "Trackers_Tracker0001" || ts[0].Len() != 145 {
			t.Errorf("first %q has %d kfs", ts[0].Name, ts[0].Len())
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], -1, 1819.63, 568.935, 0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 192, 2044.96, 766.975, 0, 0.0001)
		if l := ts[len(ts)-1]; l.Name != "Trackers_Tracker0033" || l.Len() != 86 {
			t.Errorf("last %q has %d kfs", l.Name, l.Len())
		}
	})
	t.Run("comments inline", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/comments_inline_with_args.shk", 1920, 1080)
		if ts[0].Len() != 75 {
			t.Errorf("%d kfs", ts[0].Len())
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 10, 1727.497, 88.443, 1.0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 84, 295.451, 657.863, 1.0, 0.0001)
	})
	t.Run("from matchmover", func(t *testing.T) {
		ts := importCorpus(t, "shake_script/from_matchmover.shk", 1920, 1080)
		if ts[0].Len() != 434 || ts[7].Name != "rzStabilize_track4" || ts[7].Len() != 723 {
			t.Errorf("got %v", names(ts))
		}
		checkKey(t, "[0]", ts[0].Keyframes[0], 0, 1287.833, 959.808, 0, 0.0001)
		checkKey(t, "[-1]", last(ts[0]), 722, 1331.112, 971.914, 0, 0.0001)
	})
	for _, rel := range []string{"205_030_shaketrack_v01_pd.shk", "ofx_vardefs.shk"} {
		t.Run(rel, func(t *testing.T) {
			checkCount(t, rel, importCorpus(t, "shake_script/"+rel, 1920, 1080), 0)
		})
	}
}

// trackerCall writes a modern (v2.0) Tracker node with the given track
// groups (name, x, y, correlation; 12 ignored values are added).
func trackerCall(groups ...[4]string) string {
	var b strings.Builder
	b.WriteString(`Tracker(In, "1-10", "1/64", "luminance", 0.75, "use start frame", 0.5, "stop", 1, 1, "v2.0", 0.3, 0.59, 0.11, 0, 10`)
	for _, g := range groups {
		fmt.Fprintf(&b, ",\n  %s, %s, %s, %s, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12", g[0], g[1], g[2], g[3])
	}
	b.WriteString(")")
	return b.String()
}

type want struct {
	name string
	keys []track.Keyframe
}

func checkTrackers(t *testing.T, got []*track.Tracker, want ...want) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d trackers %v, want %d", len(got), names(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name {
			t.Errorf("tracker %d: name %q, want %q", i, g.Name, w.name)
		}
		if len(g.Keyframes) != len(w.keys) {
			t.Errorf("%s: keyframes %+v, want %+v", w.name, g.Keyframes, w.keys)
			continue
		}
		for j, k := range w.keys {
			gk := g.Keyframes[j]
			if gk.Frame != k.Frame || !formattest.Close(gk.X, k.X) || !formattest.Close(gk.Y, k.Y) || !formattest.Close(gk.Residual, k.Residual) {
				t.Errorf("%s[%d] = %+v, want %+v", w.name, j, gk, k)
			}
		}
	}
}

func kf(frame int, x, y, res float64) track.Keyframe {
	return track.Keyframe{Frame: frame, X: x, Y: y, Residual: res}
}

func TestTrackerNode(t *testing.T) {
	src := "SetTimeRange(\"1-10\");\nTracker1 = " + trackerCall(
		// correlation used: residual 1 - correlation; frames in x, y and correlation
		[4]string{`"track1"`, "Linear(0,10@1,11@2,12@3,13@4)", "Linear(0,20@1,21@2,22@4,23@5)", "Linear(0,1@1,0.9@2,0.8@4,0.5@9)"},
		// constant correlation: residual 1
		[4]string{`"track2"`, "Linear(0,10@1,11@2)", "Linear(0,20@1,21@2)", "1"},
		// correlation with fewer keys than x: not used
		[4]string{`"track 3"`, "Linear(0,10@1,11@2)", "Linear(0,20@1,21@2)", "Linear(0,0.5@1)"},
		// not animated: skipped
		[4]string{`"track4"`, "width/2", "height/2", "1"},
		[4]string{`"track5"`, "Linear(0,1@1)", "7", "1"},
	) + ";\n"
	ts, msgs, err := importString(src)
	if err != nil {
		t.Fatal(err)
	}
	checkTrackers(t, ts,
		want{"Tracker1_track1", []track.Keyframe{kf(0, 10, 20, 0), kf(1, 11, 21, 0.1), kf(3, 13, 22, 0.2)}},
		want{"Tracker1_track2", []track.Keyframe{kf(0, 10, 20, 1), kf(1, 11, 21, 1)}},
		want{"Tracker1_track_3", []track.Keyframe{kf(0, 10, 20, 1), kf(1, 11, 21, 1)}},
	)
	if len(msgs) == 0 || msgs[0] != "Reading tracker Tracker1_track1" {
		t.Errorf("progress messages %q", msgs)
	}
}

func TestTrackerNodeOldLayout(t *testing.T) {
	// Very old Shake: no "v2.0"; the tracks start at argument 10, 16
	// arguments each. A trailing partial group is ignored.
	src := `Old = Tracker(0, "1-3", "1/64", "luminance", 0.75, "use start frame", 0.5, "stop", 1, 9,
"first", Linear(1, 5@1, 6@2), Linear(1, 7@1, 8@2), Linear(1, 0.75@1, 0.5@2), 99, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
"second", Linear(1, 1@3), Linear(1, 2@3), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
"partial", Linear(1, 1@3), Linear(1, 2@3), 1);`
	checkTrackers(t, mustImport(t, src),
		want{"Old_first", []track.Keyframe{kf(0, 5, 7, 0.25), kf(1, 6, 8, 0.5)}},
		want{"Old_second", []track.Keyframe{kf(2, 1, 2, 1)}},
	)
}

func TestStabilizeAndMatchMove(t *testing.T) {
	x := "Linear(0,1@1,2@2)"
	y := "Linear(0,3@1,4@2)"
	// Stabilize(in, applyTransform, inverseTransform, trackType, track1X, track1Y,
	// stabilizeX, stabilizeY, track2X, track2Y, matchScale, matchRotation,
	// track3X, track3Y, track4X, track4Y, …): track2 is not animated.
	src := "Stab = Stabilize(In, 1, 0, \"4 point\", " + x + ", " + y + ", 1, 1, width/2, " + y +
		", 0, 0, " + x + ", " + y + ", " + x + ", Hermite(0,[9,0,0]@2,[10,1,1]@3), \"default\");\n" +
		"MM = MatchMove(Bg, Fg, 1, \"1 point\", " + x + ", " + y + ", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);\n"
	checkTrackers(t, mustImport(t, src),
		want{"Stab_track1", []track.Keyframe{kf(0, 1, 3, 0), kf(1, 2, 4, 0)}},
		want{"Stab_track3", []track.Keyframe{kf(0, 1, 3, 0), kf(1, 2, 4, 0)}},
		want{"Stab_track4", []track.Keyframe{kf(1, 2, 9, 0)}},
		want{"MM_track1", []track.Keyframe{kf(0, 1, 3, 0), kf(1, 2, 4, 0)}},
	)
}

func TestCurves(t *testing.T) {
	group := func(x, y string) string {
		return "T = " + trackerCall([4]string{`"t"`, x, y, "1"}) + ";\n"
	}
	tests := []struct {
		name, src string
		keys      []track.Keyframe
	}{
		{"offset from a negative SetTimeRange", `SetTimeRange("-5-20");` + group("Linear(0,1@-5,2@-4)", "NSpline(0,3@-5,4@-4)"),
			[]track.Keyframe{kf(-1, 1, 3, 1), kf(0, 2, 4, 1)}},
		{"numeric SetTimeRange", `SetTimeRange(-5);` + group("Linear(0,1@-5)", "JSpline(0,3@-5)"),
			[]track.Keyframe{kf(-1, 1, 3, 1)}},
		{"positive SetTimeRange keeps the offset", `SetTimeRange("-5-20"); SetTimeRange("3-9");` + group("Linear(0,1@-5)", "Linear(0,3@-5)"),
			[]track.Keyframe{kf(-1, 1, 3, 1)}},
		{"offset applies to later curves only", group("Linear(0,1@1)", "Linear(0,3@1)") + `SetTimeRange("-5-20");`,
			[]track.Keyframe{kf(0, 1, 3, 1)}},
		{"hermite keeps the value", group("Hermite(0,[1379.04,-0.02,-0.02]@1,[1380,-0.03,-0.03]@2)", "Linear(0,3@1,4@2)"),
			[]track.Keyframe{kf(0, 1379.04, 3, 1), kf(1, 1380, 4, 1)}},
		{"other curve functions: keys only", group("CSpline(0,1@1,2@3)", "Cubic(1,3@1,4@3)"),
			[]track.Keyframe{kf(0, 1, 3, 1), kf(2, 2, 4, 1)}},
		{"unknown curve function", group("Step(0,1@1,2@3)", "Linear(0,3@1,4@3)"),
			[]track.Keyframe{kf(0, 1, 3, 1), kf(2, 2, 4, 1)}},
		{"non-numeric keys are dropped", group("Linear(0,1@1,width/2@2,5@3)", `Linear(0,3@1,4@2,"x"@3)`),
			[]track.Keyframe{kf(0, 1, 3, 1)}},
		{"integer and negative values", group("Linear(0,-1@1)", "Linear(0,7@1)"),
			[]track.Keyframe{kf(0, -1, 7, 1)}},
		{"last key at a frame wins", group("Linear(0,1@1,2@1)", "Linear(0,3@1)"),
			[]track.Keyframe{kf(0, 2, 3, 1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkTrackers(t, mustImport(t, tc.src), want{"T_t", tc.keys})
		})
	}
}

func TestHarvesting(t *testing.T) {
	tr := trackerCall([4]string{`"track1"`, "Linear(0,1@1)", "Linear(0,2@1)", "1"})
	one := []track.Keyframe{kf(0, 1, 2, 1)}
	t.Run("nested in a call: last character of its name", func(t *testing.T) {
		checkTrackers(t, mustImport(t, "Blur1 = Blur("+tr+", 2);"), want{"r_track1", one})
	})
	t.Run("bare node emits nothing", func(t *testing.T) {
		checkTrackers(t, mustImport(t, tr+";"))
	})
	t.Run("inside an expression", func(t *testing.T) {
		checkTrackers(t, mustImport(t, "F({T = "+tr+";});"), want{"T_track1", one})
	})
	t.Run("typed variable", func(t *testing.T) {
		checkTrackers(t, mustImport(t, "image My Tracker = "+tr+";"), want{"Tracker_track1", one})
	})
	t.Run("several nodes in order", func(t *testing.T) {
		checkTrackers(t, mustImport(t, "A = "+tr+";\nB = "+tr+";"), want{"A_track1", one}, want{"B_track1", one})
	})
	t.Run("emit error stops the import", func(t *testing.T) {
		stop := errors.New("stop")
		s := &format.Session{Emit: func(*track.Tracker) error { return stop }}
		if err := Importer.Import(strings.NewReader("A = "+tr+";"), s); !errors.Is(err, stop) {
			t.Errorf("got %v", err)
		}
	})
}

// Where the reference fails the import, we fail with a message naming the
// line.
func TestErrors(t *testing.T) {
	tr := trackerCall([4]string{`"track1"`, "Linear(0,1@1)", "Linear(0,2@1)", "1"})
	tests := []struct{ name, src, want string }{
		{"too few tracker args", "// x\nT = Tracker(In, \"1-10\");",
			"ShakeScript: line 2: Tracker(): needs at least 16 arguments, got 2"},
		{"too few stabilize args", "S = Stabilize(In);", "ShakeScript: line 1: Stabilize(): needs at least 16 arguments, got 1"},
		{"matchmove without args", "M = MatchMove();", "ShakeScript: line 1: MatchMove(): needs at least 16 arguments, got 0"},
		{"curve without extrapolation", "\n\nx = Linear();", "ShakeScript: line 3: Linear(): needs an extrapolation argument"},
		{"curve with a plain value", "x = Linear(0, 1@1,\n 5);", "ShakeScript: line 1: Linear(): expected a value@frame key, got 5"},
		{"hermite with an expression", "x = Hermite(0, a+b);", "ShakeScript: line 1: Hermite(): expected a value@frame key, got ATOM a+b"},
		{"SetTimeRange with two args", `SetTimeRange("1", 2);`, "ShakeScript: line 1: SetTimeRange(): takes exactly 1 argument, got 2"},
		{"SetTimeRange without args", `SetTimeRange();`, "ShakeScript: line 1: SetTimeRange(): takes exactly 1 argument, got 0"},
		{"tracker not the first argument", "X = Over(A,\n" + tr + ");",
			"tracker node result in an argument other than the first of Over()"},
		{"tracker in an array", "X = [" + tr + "];", "tracker node result in an array"},
		{"tracker as a frame-tagged value", "X = F(" + tr + "@3);", "tracker node result in a frame-tagged value"},
		{"truncated", "SetTimeRange(\"1-10\");\nTracker1 = Tracker(LogLin1, \"1-185\", \"1/64\",",
			"ShakeScript: line 2: Tracker(): needs at least 16 arguments, got 3"},
		{"truncated in a curve", "T = Tracker(In, 1, 2, 3, 4, 5, 6, 7, 8, 9, \"v2.0\", 1, 2, 3, 4, 5,\n\"t\", Linear(0,716.08@1,715.8",
			"ShakeScript: line 2: Linear(): expected a value@frame key, got 715.8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := importString(tc.src)
			var pe *format.ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
			if pe.Line == 0 {
				t.Errorf("no line in %v", err)
			}
		})
	}
}

// Garbage and files of other formats give no trackers, or a clear error.
func TestGarbage(t *testing.T) {
	for _, src := range []string{"", "xx", "\x00\x01\x02", "}}}}", "Foo(", "a = = = b", "@@@@", "[[[", "StabilizerSetup\nVersion 5\n"} {
		ts, _, err := importString(src)
		if err != nil || len(ts) != 0 {
			t.Errorf("%q: %d trackers, %v", src, len(ts), err)
		}
	}
	// The stabilizer written by the classic Flame exporter gives no
	// trackers (§8.1: forcing ShakeScript on it → NoTrackersRecovered).
	data, err := os.ReadFile(formattest.ExportPath(t, "ref_flame.stabilizer"))
	if err != nil {
		t.Fatal(err)
	}
	ts, _, err := importString(string(data))
	if err != nil || len(ts) != 0 {
		t.Errorf("ref_flame.stabilizer: %d trackers, %v", len(ts), err)
	}
}

func FuzzImportShakeScript(f *testing.F) {
	formattest.Seed(f, "shake_script")
	f.Add([]byte("A = " + trackerCall([4]string{`"t"`, "Hermite(0,[1,2,3]@1)", "CSpline(0,1@1)", "Linear(0,1@1)"}) + ";"))
	f.Add([]byte(strings.Repeat("[f(", 50)))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzImport(t, Importer, data)
	})
}

func BenchmarkImport(b *testing.B) {
	// The largest Shake script of the corpus.
	data, err := os.ReadFile(formattest.ImportPath(b, "shake_script/designated_global_range_starting_at_negative_frame.shk"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := &format.Session{Width: 720, Height: 576, Emit: func(*track.Tracker) error { return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			b.Fatal(err)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errBroken
	}
	r.n--
	return copy(p, "Foo(1,\n"), nil
}

var errBroken = errors.New("broken pipe")

func TestReadError(t *testing.T) {
	s := &format.Session{Emit: func(*track.Tracker) error { return nil }}
	err := Importer.Import(&failingReader{n: 2}, s)
	if !errors.Is(err, errBroken) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("got %v", err)
	}
}
