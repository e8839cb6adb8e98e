package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		in   []*track.Tracker
		want string
	}{
		{"fine", []*track.Tracker{tr("a", kf(-1, 1, 1, 0), kf(-1, 2, 2, 0), kf(3, 1, 1, 0))}, ""},
		{"no trackers", nil, "There were no trackers exported"},
		{"empty tracker", []*track.Tracker{tr("a")}, "The tracker a contained no keyframes. Probably there were some filtering ops done and no keyframes have been exported"},
		{"frames going back", []*track.Tracker{tr("a", kf(3, 1, 1, 0), kf(2, 1, 1, 0))}, "A keyframe for a has been sent that comes before the previous keyframe (2 should NOT come after 3)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := exportErr(t, Lint, nil, 10, 10, tt.in...)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkErr(t, err, tt.want)
		})
	}
}
