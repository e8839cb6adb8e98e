package syntheyes

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_Syntheyes.txt")
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{
		"Parabolic_1_from_top_left": "Parabolic1FromTopLeft",
		"SingleFrame_InTheMiddle":   "SingleFrameInTheMiddle",
		"1015_Primary":              "1015Primary",
		"foo__bar":                  "Foo_bar",
		"_a":                        "_a",
		"a_":                        "A_",
		"a/b":                       "A::B",
		"a/":                        "A::",
		"/x_y":                      "::XY",
		"":                          "",
		"\xc3\xa9_\xc3\xa9":         "\xc3\xa9\xc3\xa9",
	} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportCases(t *testing.T) {
	trackers := []*track.Tracker{
		{Name: "gap_test", Keyframes: []track.Keyframe{
			{Frame: 3, X: 0.5, Y: 0.5}, {Frame: 4, X: 10.5, Y: 20.5}, {Frame: 6, X: 5.5, Y: 10.5}, {Frame: 7, X: 5.5, Y: 10.5},
		}},
		{Name: "b", Keyframes: []track.Keyframe{{Frame: 8, X: 5.5, Y: 10.5}}},
	}
	want := "GapTest 3 -1.000000 1.000000 15\n" +
		"GapTest 4 1.000000 -1.000000 7\n" +
		"GapTest 6 0.000000 -0.000000 15\n" +
		"GapTest 7 0.000000 -0.000000 7\n" +
		"B 8 0.000000 -0.000000 15\n"
	got := formattest.ExportString(t, Exporter, format.Options{}, 11, 21, trackers)
	formattest.CompareText(t, "gaps", got, want)
	if got := formattest.ExportString(t, Exporter, format.Options{}, 11, 21, nil); got != "" {
		t.Errorf("empty export wrote %q", got)
	}
}

// TestRoundTrip exports and imports again: same frames and positions.
func TestRoundTrip(t *testing.T) {
	text := formattest.ExportString(t, Exporter, format.Options{}, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
	got, err := importString(t, Importer, text, formattest.RefWidth, formattest.RefHeight)
	if err != nil {
		t.Fatal(err)
	}
	want := formattest.RefTrackers()
	if len(got) != len(want) {
		t.Fatalf("%d trackers, want %d", len(got), len(want))
	}
	for i := range want {
		for j, k := range want[i].Keyframes {
			g := got[i].Keyframes[j]
			if g.Frame != k.Frame || !near(g.X, k.X, 0.001) || !near(g.Y, k.Y, 0.001) {
				t.Fatalf("tracker %d keyframe %d: %+v, want %+v", i, j, g, k)
			}
		}
	}
}
