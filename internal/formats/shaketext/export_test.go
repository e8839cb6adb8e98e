package shaketext

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_ShakeText.txt")
}

func TestNukeCameraExportGolden(t *testing.T) {
	formattest.Golden(t, NukeCameraExporter, format.Options{}, "ref_NukeCameraTrackerUsertracks.txt")
}

func TestExportCases(t *testing.T) {
	trackers := []*track.Tracker{
		{Name: "a", Keyframes: []track.Keyframe{{Frame: -2, X: 1.0005, Y: -0.0004, Residual: 0.25}}},
		{Name: "b", Keyframes: []track.Keyframe{{Frame: 9, X: 1, Y: 2, Residual: 1.5}}},
	}
	const header = "   Frame             X             Y   Correlation\n"
	body := func(a, b string) string {
		return "TrackName " + a + "\n" + header + "   -1.00   1.000   -0.000   0.750\n\n" +
			"TrackName " + b + "\n" + header + "   10.00   1.000   2.000   -0.500\n\n"
	}
	for _, c := range []struct {
		name     string
		e        *format.Exporter
		trackers []*track.Tracker
		want     string
	}{
		{"shake empty", Exporter, nil, ""},
		{"nuke empty", NukeCameraExporter, nil, ""},
		{"shake", Exporter, trackers, body("a", "b")},
		{"nuke", NukeCameraExporter, trackers, body("autotrack0", "autotrack1")},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, c.e, format.Options{}, 10, 10, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}

// TestRoundTrip exports and imports again: frames, positions and
// residuals (to the 3 decimals written) survive.
func TestRoundTrip(t *testing.T) {
	for _, e := range []*format.Exporter{Exporter, NukeCameraExporter} {
		text := formattest.ExportString(t, e, format.Options{}, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
		got, err := importString(t, text)
		if err != nil {
			t.Fatal(err)
		}
		want := formattest.RefTrackers()
		if len(got) != len(want) {
			t.Fatalf("%s: %d trackers, want %d", e.ID, len(got), len(want))
		}
		for i := range want {
			for j, k := range want[i].Keyframes {
				g := got[i].Keyframes[j]
				if g.Frame != k.Frame || !near(g.X, k.X, 0.001) || !near(g.Y, k.Y, 0.001) || !near(g.Residual, k.Residual, 0.001) {
					t.Fatalf("%s tracker %d keyframe %d: %+v, want %+v", e.ID, i, j, g, k)
				}
			}
		}
	}
}
