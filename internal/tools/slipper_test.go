package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestSlipper(t *testing.T) {
	tests := []struct {
		name string
		v    Values
		in   []track.Keyframe
		want []track.Keyframe
	}{
		{"§7.6 slip 32", Values{"slip": "32"}, []track.Keyframe{kf(0, 1, 2, 0.5)}, []track.Keyframe{kf(32, 1, 2, 0.5)}},
		{"negative slip gives negative frames", Values{"slip": "-5"},
			[]track.Keyframe{kf(3, 1, 1, 0), kf(7, 2, 2, 0)}, []track.Keyframe{kf(-2, 1, 1, 0), kf(2, 2, 2, 0)}},
		{"decimals truncate toward zero", Values{"slip": "2.9"}, []track.Keyframe{kf(0, 1, 1, 0)}, []track.Keyframe{kf(2, 1, 1, 0)}},
		{"negative decimals truncate toward zero", Values{"slip": "-2.9"}, []track.Keyframe{kf(0, 1, 1, 0)}, []track.Keyframe{kf(-2, 1, 1, 0)}},
		{"unset", nil, []track.Keyframe{kf(4, 1, 1, 0)}, []track.Keyframe{kf(4, 1, 1, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, Slipper, tt.v, 720, 576, tr("T", tt.in...))
			checkKeys(t, b.Trackers[0].Keyframes, tt.want)
		})
	}
	_, err := Slipper.New(&track.Buffer{}, Values{"slip": "1e3x"})
	checkErr(t, err, `slipper: slip: "1e3x" is not an integer`)
}
