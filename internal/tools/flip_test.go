package tools

import (
	"math"
	"testing"

	"tracksgo/internal/track"
)

func TestFlip(t *testing.T) {
	tests := []struct {
		name string
		in   track.Keyframe
		want track.Keyframe
	}{
		{"§7.2", kf(1, 10, 95, 0), kf(1, 100, 95, 0)},
		{"residual scaled by √2 (Scaler quirk)", kf(2, 0, 0, 0.1), kf(2, 110, 0, 0.1*math.Sqrt2)},
		{"outside the comp", kf(-3, 120, -5, 0), kf(-3, -10, -5, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, Flip, nil, 110, 120, tr("T", tt.in))
			if b.Width != 110 || b.Height != 120 {
				t.Errorf("size %dx%d, want 110x120", b.Width, b.Height)
			}
			checkKeys(t, b.Trackers[0].Keyframes, []track.Keyframe{tt.want})
		})
	}
}
