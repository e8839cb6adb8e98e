package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		in   track.Keyframe
		want track.Keyframe
	}{
		{"residual reset", kf(3, 1, 2, 0.75), kf(3, 1, 2, 0)},
		{"zero stays zero", kf(-1, 1, 2, 0), kf(-1, 1, 2, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, Golden, nil, 720, 576, tr("T", tt.in))
			checkKeys(t, b.Trackers[0].Keyframes, []track.Keyframe{tt.want})
		})
	}
	_, err := Golden.New(&track.Buffer{}, Values{"x": "1"})
	checkErr(t, err, `golden: unknown parameter "x" (it takes none)`)
}
