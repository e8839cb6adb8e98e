package matchmover

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_matchmover.rz2")
}

func TestExportCases(t *testing.T) {
	const head = "imageSequence\t\"Sequence 01\"\n{\n\t1080\t720\tf( \"D:/temp/sequence.%04d.dpx\" )\tb( 1 211 1 )\t\n}\n"
	cases := []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{"empty", nil, head},
		{"quoted name", []*track.Tracker{{Name: "a\"b#{c}\x01", Keyframes: []track.Keyframe{
			{Frame: -1, X: 1.0005, Y: 700}, {Frame: 4, X: -2, Y: 720, Residual: 1.25}}}},
			head + "pointTrack  \"a\\\"b\\#{c}\\x01\"  rgb( 255 0 0 )\t\n{\n" +
				"\t0\t   1.000     20.000    ki( 0.8 )\t    s( 66 66 64 64 )  p( 24 24 25 25 )\n" +
				"\t5\t   -2.000     0.000     p+( -0.250000 )\t\n}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 1080, 720, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}

// An export read back gives the same tracks (frames and Y included).
func TestExportRoundTrip(t *testing.T) {
	out := formattest.ExportString(t, Exporter, format.Options{}, 1920, 1080, formattest.RefTrackers())
	ts, s, err := importString(t, Importer, out)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 1920 || s.Height != 1080 {
		t.Errorf("size %dx%d", s.Width, s.Height)
	}
	want := formattest.RefTrackers()
	// The first key of a tracker carries no correlation. Frames come back
	// as they were: written 1-based, read against the sequence start b( 1 … ).
	for _, tr := range want {
		tr.Keyframes[0].Residual = 0
	}
	formattest.CompareTrackers(t, ts, want)
}
