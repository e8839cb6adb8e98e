package flame

import (
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden2014(t *testing.T) {
	formattest.Golden(t, Exporter2014, format.Options{Now: formattest.Clock(t, date2014)}, "ref_flame_2014.stabilizer")
}

func TestExport2014EdgeCases(t *testing.T) {
	o := format.Options{Now: formattest.Clock(t, date2014)}
	t.Run("empty export", func(t *testing.T) {
		got := formattest.ExportString(t, Exporter2014, o, 720, 576, nil)
		want := strings.Replace(header("6.0", 0, 720, 576), date2010, date2014, 1) + "ChannelEnd\nEnd\n"
		formattest.CompareText(t, "empty", got, want)
	})
	t.Run("FirstRefFrame is the first frame plus one", func(t *testing.T) {
		tr := []*track.Tracker{
			{Name: "a", Keyframes: []track.Keyframe{{Frame: 7, X: 1, Y: 2}, {Frame: 8, X: 2, Y: 3}}},
			{Name: "b", Keyframes: []track.Keyframe{{Frame: -3, X: 1, Y: 2}}},
		}
		got := formattest.ExportString(t, Exporter2014, o, 100, 100, tr)
		want := "ChannelEnd\nTracker 0\n\tActive yes\n\tColour\n\t\tRed 0\n\t\tGreen 100\n\t\tBlue 0\n\tFixedRef yes\n\tFixedX no\n\tFixedY no\n\tTolerance 100\n" +
			"\tOffsetsX 0\n\tOffsetsY 0\n\tFirstRefFrame 8\n" +
			"Tracker 1\n\tActive yes\n\tColour\n\t\tRed 0\n\t\tGreen 100\n\t\tBlue 0\n\tFixedRef yes\n\tFixedX no\n\tFixedY no\n\tTolerance 100\n" +
			"\tOffsetsX 0\n\tOffsetsY 0\n\tFirstRefFrame -2\nEnd\n"
		if !strings.HasSuffix(got, want) {
			t.Fatalf("footer wrong:\n%s", got[strings.Index(got, "ChannelEnd"):])
		}
		key := "\tKey 1\n\t\tFrame 9\n\t\tValue -1.000\n\t\tCurveMode hermite\n\t\tCurveOrder linear\n\t\tEnd\n"
		if strings.Count(got, key) != 2 {
			t.Fatalf("want the hermite shift key in shift/x and shift/y:\n%s", got)
		}
	})
}
