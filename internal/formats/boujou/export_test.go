package boujou

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{Now: formattest.Clock(t, "Thu Apr 15 17:21:26 2010")}, "ref_boujou.txt")
}

func TestExportCases(t *testing.T) {
	o := format.Options{Now: formattest.Clock(t, "Mon Jan 02 03:04:05 2006")}
	header := "# boujou 2d tracks export: text\n# boujou version: 4.1.0 28444 \n" +
		"# Creation date : Mon Jan 02 03:04:05 2006\n# \n# track_id      view      x      y\n"
	for _, c := range []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{"empty", nil, header},
		{"points", []*track.Tracker{
			{Name: "a", Keyframes: []track.Keyframe{{Frame: -1, X: 1.0005, Y: 0}, {Frame: 3, X: 2, Y: 100.5}}},
			{Name: "b", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 101}}},
		}, header + "a  -1  1.000  101.000\na  3  2.000  0.500\nb  0  0.000  0.000\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, o, 200, 100, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}
