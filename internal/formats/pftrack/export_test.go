package pftrack

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter4, format.Options{}, "ref_PFTrack.2dt")
	formattest.Golden(t, Exporter5, format.Options{}, "ref_PFTrack5.2dt")
	formattest.Golden(t, ExporterMatchit, format.Options{}, "ref_PFMatchit.2dt")
}

func TestExportCases(t *testing.T) {
	odd := []*track.Tracker{{Name: "a\"b#{c}\xE9", Keyframes: []track.Keyframe{
		{Frame: -1, X: 0.5, Y: 0.5, Residual: 0.8}, {Frame: 7, X: 10.0004, Y: 2, Residual: 0}}}}
	cases := []struct {
		name     string
		exp      *format.Exporter
		trackers []*track.Tracker
		want     string
	}{
		{"v4 empty", Exporter4, nil, ""},
		{"v5 empty", Exporter5, nil, ""},
		{"matchit empty", ExporterMatchit, nil, ""},
		{"v4", Exporter4, odd, "\r\n\r\n\"a\\\"b\\#{c}\\xE9\"\r\n2\r\n-1 0.000 0.000 0.100\r\n7 9.500 1.500 0.000\r\n"},
		{"v5", Exporter5, odd, "\r\n\r\n\"a\\\"b\\#{c}\\xE9\"\r\n\"Primary\"\r\n2\r\n-1 0.000 0.000 0.100\r\n7 9.500 1.500 0.000\r\n"},
		{"matchit", ExporterMatchit, odd, "\n\n\"a\\\"b\\#{c}\\xE9\"\n1\n2\n0 0.000 0.000 0.100\n8 9.500 1.500 0.000\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, c.exp, format.Options{}, 1920, 1080, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}

// What each exporter writes reads back: PFMatchit exactly, v4 and v5 one
// frame early (they write 0-based frames, the importer subtracts 1).
func TestExportRoundTrip(t *testing.T) {
	for _, c := range []struct {
		exp   *format.Exporter
		shift int
		names []string
	}{
		{Exporter4, -1, nil},
		{Exporter5, -1, []string{"_Primary"}},
		{ExporterMatchit, 0, []string{"_1"}},
	} {
		t.Run(c.exp.ID, func(t *testing.T) {
			out := formattest.ExportString(t, c.exp, format.Options{}, 1920, 1080, formattest.RefTrackers())
			got, err := importString(t, out)
			if err != nil {
				t.Fatal(err)
			}
			want := formattest.RefTrackers()
			for _, tr := range want {
				if c.names != nil {
					tr.Name += c.names[0]
				}
				for i := range tr.Keyframes {
					k := &tr.Keyframes[i]
					k.Frame += c.shift
					// Three decimals of residual/8 survive.
					k.Residual = float64(int(k.Residual/8*1000+0.5)) / 1000 * 8
				}
			}
			formattest.CompareTrackers(t, got, want)
		})
	}
}
