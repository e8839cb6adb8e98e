package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestMoveToFirst(t *testing.T) {
	tests := []struct {
		name string
		in   []*track.Tracker
		want []*track.Tracker
	}{
		{"§7.9 starts at 14 and 10 → 4 and 0",
			[]*track.Tracker{tr("a", kf(14, 1, 1, 0), kf(20, 2, 2, 0)), tr("b", kf(10, 3, 3, 0.5))},
			[]*track.Tracker{tr("a", kf(4, 1, 1, 0), kf(10, 2, 2, 0)), tr("b", kf(0, 3, 3, 0.5))}},
		{"negative start moves later",
			[]*track.Tracker{tr("a", kf(-5, 1, 1, 0), kf(0, 2, 2, 0))},
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0), kf(5, 2, 2, 0))}},
		{"already at 0",
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0)), tr("b", kf(3, 1, 1, 0))},
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0)), tr("b", kf(3, 1, 1, 0))}},
		{"rebuilt: sanitised names, repeated frames collapse",
			[]*track.Tracker{tr("a b", kf(2, 1, 1, 0), kf(2, 5, 5, 0))},
			[]*track.Tracker{tr("a_b", kf(0, 5, 5, 0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, MoveToFirst, nil, 720, 576, tt.in...)
			if b.Width != 720 || b.Height != 576 || !b.Ended {
				t.Errorf("size %dx%d ended %v", b.Width, b.Height, b.Ended)
			}
			checkTrackers(t, b.Trackers, tt.want)
		})
	}
}

func TestMoveToFirstForwardsNothingBeforeTheEnd(t *testing.T) {
	r := &recorder{}
	e, _ := MoveToFirst.New(r, nil)
	e.StartExport(10, 10)
	e.StartTracker("a")
	e.ExportPoint(kf(3, 1, 1, 0))
	e.EndTracker()
	if len(r.calls) != 0 {
		t.Fatalf("forwarded before the end: %v", r.calls)
	}
	e.EndExport()
	if want := 5; len(r.calls) != want {
		t.Fatalf("calls %v", r.calls)
	}
}

func TestMoveToFirstEmptyExport(t *testing.T) {
	b := apply(t, MoveToFirst, nil, 720, 576)
	if len(b.Trackers) != 0 || !b.Ended || b.Width != 720 {
		t.Fatalf("got %+v", b)
	}
}
