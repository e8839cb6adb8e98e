package ruby

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_Ruby.rb")
}

func TestExportEdgeCases(t *testing.T) {
	const start = "require 'rubygems'\nrequire 'tracksperanto'\nwidth = 720\nheight = 576\ntrackers = []\n"
	tests := []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{name: "empty export", want: start + " \n"},
		{
			name: "same frame twice collapses to the last point",
			trackers: []*track.Tracker{{Name: "T", Keyframes: []track.Keyframe{
				{Frame: 1, X: 1, Y: 2, Residual: 0.1},
				{Frame: 2, X: 3, Y: 4},
				{Frame: 2, X: 5, Y: 6, Residual: 0.123456},
				{Frame: 3, X: 7, Y: 8},
			}}},
			want: start +
				" \ntrackers << Tracksperanto::Tracker.new(:name => \"T\") do |t|\n" +
				"  t.keyframe!(:frame => 1, :abs_x => 1.00000, :abs_y => 2.00000, :residual => 0.10000)\n" +
				"  t.keyframe!(:frame => 2, :abs_x => 5.00000, :abs_y => 6.00000, :residual => 0.12346)\n" +
				"  t.keyframe!(:frame => 3, :abs_x => 7.00000, :abs_y => 8.00000, :residual => 0.00000)\n" +
				"end\n \n",
		},
		{
			name:     "name rebuilt (sanitised) and R-quoted, negative frames",
			trackers: []*track.Tracker{{Name: "a \t#{b}\"\\\xFF", Keyframes: []track.Keyframe{{Frame: -5, X: -1, Y: 0}}}},
			want: start +
				" \ntrackers << Tracksperanto::Tracker.new(:name => \"a_\\#{b}\\\"\\\\\\xFF\") do |t|\n" +
				"  t.keyframe!(:frame => -5, :abs_x => -1.00000, :abs_y => 0.00000, :residual => 0.00000)\n" +
				"end\n \n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 720, 576, tt.trackers)
			formattest.CompareText(t, tt.name, got, tt.want)
		})
	}
}
