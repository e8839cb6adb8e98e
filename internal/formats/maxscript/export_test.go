package maxscript

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_Maxscript.ms")
}

func TestExportEdgeCases(t *testing.T) {
	const plane200x100 = "new_plane = convertToPoly (plane width:10.00000 length:5.00000 lengthsegs:1 widthsegs:1 name:\"TracksperantoPlane\" backFaceCull:True)\n"
	const end = "animate off\nEnableSceneRedraw()\n"
	tests := []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{name: "empty export", want: plane200x100 + end},
		{
			name: "Point line once per tracker, names escaped, frames as is",
			trackers: []*track.Tracker{{
				Name:      "a \"b\"\\\n\x00%",
				Keyframes: []track.Keyframe{{Frame: -1, X: 100, Y: 50}, {Frame: 4, X: 0, Y: 100, Residual: 0.5}},
			}},
			want: plane200x100 +
				"-- Data for tracker a \\\"b\\\"\\\\\\n_%\nanimate on (\n" +
				"pt = Point name:\"a \\\"b\\\"\\\\\\n_%\" pos:[0.00000,0.00000,0.000] size:1.000000 axistripod:off centermarker:on isSelected:on\n" +
				"at time -1 pt.pos.x = 0.00000\nat time -1 pt.pos.y = 0.00000\n" +
				"at time 4 pt.pos.x = -5.00000\nat time 4 pt.pos.y = 2.50000\n" +
				")\n" + end,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 200, 100, tt.trackers)
			formattest.CompareText(t, tt.name, got, tt.want)
		})
	}
}
