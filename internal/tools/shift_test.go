package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestShift(t *testing.T) {
	tests := []struct {
		name string
		v    Values
		in   track.Keyframe
		want track.Keyframe
	}{
		{"§7.6", Values{"x_shift": "63", "y_shift": "65"}, kf(1, 60, 30, 0), kf(1, 123, 95, 0)},
		{"negative and fractional", Values{"x_shift": "-0.5", "y_shift": "-100"}, kf(-2, 60, 30, 0.4), kf(-2, 59.5, -70, 0.4)},
		{"x only", Values{"x_shift": "1"}, kf(0, 1, 1, 0), kf(0, 2, 1, 0)},
		{"unset", nil, kf(0, 1, 1, 0), kf(0, 1, 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, Shift, tt.v, 720, 576, tr("T", tt.in))
			if b.Width != 720 || b.Height != 576 {
				t.Errorf("size %dx%d changed", b.Width, b.Height)
			}
			checkKeys(t, b.Trackers[0].Keyframes, []track.Keyframe{tt.want})
		})
	}
}
