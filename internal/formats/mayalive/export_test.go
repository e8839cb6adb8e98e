package mayalive

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_Mayalive.txt")
}

func TestExportGoldenCustomAspect(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{Aspect: 1.78}, "ref_Mayalive_CustomAspect.txt")
}

func TestExportCases(t *testing.T) {
	for _, c := range []struct {
		name     string
		o        format.Options
		trackers []*track.Tracker
		want     string
	}{
		{"empty", format.Options{}, nil, "#  Size  200  100  2.00\n"},
		{"indices", format.Options{Aspect: 1}, []*track.Tracker{
			{Name: "a", Keyframes: []track.Keyframe{{Frame: -1, X: 100, Y: 50, Residual: 0.5}}},
			{Name: "b", Keyframes: []track.Keyframe{{Frame: 7, X: 0, Y: 100}, {Frame: 8, X: 200, Y: 0}}},
		}, "#  Size  200  100  1.00\n#  Name a\n0 -1 0.0000000000 0.0000000000 0.0500000000\n" +
			"#  Name b\n1 7 -1.0000000000 1.0000000000 0.0000000000\n1 8 1.0000000000 -1.0000000000 0.0000000000\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, c.o, 200, 100, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}
