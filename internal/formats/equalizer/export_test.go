package equalizer

import (
	"bytes"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExport3Golden(t *testing.T) {
	formattest.Golden(t, Export3, format.Options{}, "ref_equalizer3.txt")
}

func TestExport4Golden(t *testing.T) {
	formattest.Golden(t, Export4, format.Options{}, "ref_equalizer.txt")
}

func TestExportCases(t *testing.T) {
	two := []*track.Tracker{
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 4, X: 1.0005, Y: -0.0004}, {Frame: 9, X: 2, Y: 3}}},
		{Name: "b c", Keyframes: []track.Keyframe{{Frame: -3, X: 874.8, Y: 0.1}}},
	}
	for _, c := range []struct {
		name     string
		e        *format.Exporter
		w, h     int
		trackers []*track.Tracker
		want     string
	}{
		{"v3 empty", Export3, 2048, 275, nil, "// 3DE Multiple Tracking Curves Export 2048 x 275 * 0 frames\n\n"},
		{"v3 two", Export3, 10, 20, two, "// 3DE Multiple Tracking Curves Export 10 x 20 * 10 frames\n" +
			"a\n\t5\t1.000\t-0.000\n\t10\t2.000\t3.000\n" +
			"b c\n\t-2\t874.800\t0.100\n\n"},
		{"v3 names keep their line and start with a word character (FORMATS.md §11.8)", Export3, 10, 20, []*track.Tracker{
			{Name: "\"q\"\nx", Keyframes: []track.Keyframe{{Frame: 0, X: 1, Y: 2}}},
			{Name: "", Keyframes: []track.Keyframe{{Frame: 1, X: 1, Y: 2}}},
		}, "// 3DE Multiple Tracking Curves Export 10 x 20 * 2 frames\n" +
			"_\"q\"_x\n\t1\t1.000\t2.000\n_\n\t2\t1.000\t2.000\n\n"},
		{"v4 empty", Export4, 2048, 275, nil, "0\n"},
		{"v4 two", Export4, 10, 20, two, "2\n" +
			"a\n0\n2\n5 1.000500000000000 -0.000400000000000\n10 2.000000000000000 3.000000000000000\n" +
			"b c\n0\n1\n-2 874.799999999999955 0.100000000000000\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, c.e, format.Options{}, c.w, c.h, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}

// TestExportReuse checks that an exporter driven twice writes two
// complete, independent exports.
func TestExportReuse(t *testing.T) {
	for _, e := range []*format.Exporter{Export3, Export4} {
		first := formattest.ExportString(t, e, format.Options{}, 1920, 1080, formattest.RefTrackers())
		var buf bytes.Buffer
		x := e.New(&buf, format.Options{})
		for i := 0; i < 2; i++ {
			if err := track.Export(x, 1920, 1080, formattest.RefTrackers()); err != nil {
				t.Fatal(err)
			}
		}
		if buf.String() != first+first {
			t.Errorf("%s: second export differs from the first", e.ID)
		}
	}
}
