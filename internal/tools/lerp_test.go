package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestLerp(t *testing.T) {
	tests := []struct {
		name string
		in   []*track.Tracker
		want []*track.Tracker
	}{
		{"§7.10",
			[]*track.Tracker{tr("a", kf(1, 1, 2, 0), kf(4, 4, 5, 0))},
			[]*track.Tracker{tr("a", kf(1, 1, 2, 0), kf(2, 2, 3, 0), kf(3, 3, 4, 0), kf(4, 4, 5, 0))}},
		{"residual interpolated too, negative frames",
			[]*track.Tracker{tr("a", kf(-3, 0, 0, 0), kf(-1, 10, -10, 1))},
			[]*track.Tracker{tr("a", kf(-3, 0, 0, 0), kf(-2, 5, -5, 0.5), kf(-1, 10, -10, 1))}},
		{"no gap: unchanged; repeated frames forwarded",
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0), kf(1, 2, 2, 0), kf(1, 3, 3, 0))},
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0), kf(1, 2, 2, 0), kf(1, 3, 3, 0))}},
		{"no filling across trackers",
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0)), tr("b", kf(5, 2, 2, 0), kf(7, 4, 4, 0))},
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0)), tr("b", kf(5, 2, 2, 0), kf(6, 3, 3, 0), kf(7, 4, 4, 0))}},
		{"several gaps",
			[]*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(2, 2, 2, 0), kf(3, 3, 3, 0), kf(6, 0, 0, 0))},
			[]*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(1, 1, 1, 0), kf(2, 2, 2, 0), kf(3, 3, 3, 0), kf(4, 2, 2, 0), kf(5, 1, 1, 0), kf(6, 0, 0, 0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, Lerp, nil, 10, 10, tt.in...)
			checkTrackers(t, b.Trackers, tt.want)
		})
	}
}

func TestLerpAbsurdGap(t *testing.T) {
	r := &recorder{}
	e, _ := Lerp.New(r, nil)
	err := track.Export(e, 10, 10, []*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(maxLerped+2, 1, 1, 0))})
	checkErr(t, err, "lerp: filling the gaps would create more than 10000000 keyframes")
	if len(r.calls) != 3 { // start, tracker, first point
		t.Fatalf("calls %v", r.calls)
	}
}
