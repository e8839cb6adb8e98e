package mayalocators

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_MayaLocators.ma")
}

func TestExportEdgeCases(t *testing.T) {
	const start = "//Maya ASCII 2011 scene\n//Name: TracksperantoLocators.ma\n//Codeset: UTF-8\nrequires maya \"1.0\";\n" +
		"polyPlane -name \"TracksperantoImagePlane\" -width 10.00000 -height 5.00000;\n" +
		"rotate -r -os 90;\nmove -r 5.00000 2.50000 0;\n"
	const group = "group -name TracksperantoGroup; xform -os -piv 0 0 0;\n"
	tests := []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{name: "empty export", want: start + "select -r TracksperantoImagePlane;\n" + group},
		{
			name: "frames 1-based, names verbatim and joined by spaces",
			trackers: []*track.Tracker{
				{Name: "b", Keyframes: []track.Keyframe{{Frame: -1, X: 100, Y: 50}, {Frame: 4, X: 0, Y: 100}}},
				{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 200, Y: 0}}},
			},
			want: start +
				"spaceLocator -name \"b\" -p 0 0 0;\n" +
				"setKeyframe -time 0 -value 5.00000 \"b.tx\";\nsetKeyframe -time 0 -value 2.50000 \"b.ty\";\n" +
				"setKeyframe -time 5 -value 0.00000 \"b.tx\";\nsetKeyframe -time 5 -value 5.00000 \"b.ty\";\n" +
				"spaceLocator -name \"a\" -p 0 0 0;\n" +
				"setKeyframe -time 1 -value 10.00000 \"a.tx\";\nsetKeyframe -time 1 -value 0.00000 \"a.ty\";\n" +
				"select -r TracksperantoImagePlane b a;\n" + group,
		},
		{
			name: "odd names become node names, a leading '-' too (FORMATS.md §11.8)",
			trackers: []*track.Tracker{
				{Name: "a\"; system(\"id\"); //", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 0}}},
				{Name: "-all", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 0}}},
				{Name: "2 é", Keyframes: []track.Keyframe{{Frame: 0, X: 0, Y: 0}}},
			},
			want: start +
				"spaceLocator -name \"a___system__id______\" -p 0 0 0;\n" +
				"setKeyframe -time 1 -value 0.00000 \"a___system__id______.tx\";\nsetKeyframe -time 1 -value 0.00000 \"a___system__id______.ty\";\n" +
				"spaceLocator -name \"_all\" -p 0 0 0;\n" +
				"setKeyframe -time 1 -value 0.00000 \"_all.tx\";\nsetKeyframe -time 1 -value 0.00000 \"_all.ty\";\n" +
				"spaceLocator -name \"_2__\" -p 0 0 0;\n" +
				"setKeyframe -time 1 -value 0.00000 \"_2__.tx\";\nsetKeyframe -time 1 -value 0.00000 \"_2__.ty\";\n" +
				"select -r TracksperantoImagePlane a___system__id______ _all _2__;\n" + group,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 200, 100, tt.trackers)
			formattest.CompareText(t, tt.name, got, tt.want)
		})
	}
}
