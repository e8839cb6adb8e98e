package tools

import (
	"testing"

	"tracksgo/internal/track"
)

// keys returns n keyframes on frames from, from+1, …
func keys(from, n int) []track.Keyframe {
	var ks []track.Keyframe
	for i := 0; i < n; i++ {
		ks = append(ks, kf(from+i, float64(i), float64(2*i), 0))
	}
	return ks
}

func TestLengthCutoff(t *testing.T) {
	tests := []struct {
		name string
		v    Values
		in   []*track.Tracker
		want []*track.Tracker
	}{
		{"§7.7 min 12: 12 keys pass, 11 vanish", Values{"min_length": "12"},
			[]*track.Tracker{tr("a", keys(0, 12)...), tr("b", keys(0, 11)...), tr("c", keys(-20, 13)...)},
			[]*track.Tracker{tr("a", keys(0, 12)...), tr("c", keys(-20, 13)...)}},
		{"unset drops nothing", nil,
			[]*track.Tracker{tr("a", keys(0, 1)...)},
			[]*track.Tracker{tr("a", keys(0, 1)...)}},
		{"repeated frames count once (last wins)", Values{"min_length": "3"},
			[]*track.Tracker{tr("a", kf(0, 1, 1, 0), kf(1, 2, 2, 0), kf(1, 3, 3, 0)), tr("b", kf(0, 1, 1, 0), kf(1, 2, 2, 0), kf(1, 3, 3, 0), kf(2, 4, 4, 0))},
			[]*track.Tracker{tr("b", kf(0, 1, 1, 0), kf(1, 3, 3, 0), kf(2, 4, 4, 0))}},
		{"the tracker is rebuilt: names sanitised", nil,
			[]*track.Tracker{tr("a \t b", kf(0, 1, 1, 0))},
			[]*track.Tracker{tr("a_b", kf(0, 1, 1, 0))}},
		{"everything dropped", Values{"min_length": "5"},
			[]*track.Tracker{tr("a", keys(0, 4)...)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, LengthCutoff, tt.v, 10, 10, tt.in...)
			checkTrackers(t, b.Trackers, tt.want)
			if !b.Ended {
				t.Error("end of export not forwarded")
			}
		})
	}
	_, err := LengthCutoff.New(&track.Buffer{}, Values{"min_length": "-1"})
	checkErr(t, err, "lengthcutoff: min_length must not be negative")
}

func TestLengthCutoffHoldsBackUntilTheTrackerEnds(t *testing.T) {
	r := &recorder{}
	e, err := LengthCutoff.New(r, Values{"min_length": "2"})
	if err != nil {
		t.Fatal(err)
	}
	e.StartExport(10, 10)
	e.StartTracker("a")
	e.ExportPoint(kf(0, 1, 1, 0))
	e.ExportPoint(kf(1, 1, 1, 0))
	if len(r.calls) != 1 {
		t.Fatalf("forwarded before the end of the tracker: %v", r.calls)
	}
	e.EndTracker()
	want := []string{"start", "tracker a", "point", "point", "end tracker"}
	if len(r.calls) != len(want) {
		t.Fatalf("calls %v, want %v", r.calls, want)
	}
	if err := e.ExportPoint(kf(2, 1, 1, 0)); err == nil {
		t.Error("a point outside of a tracker: no error")
	}
}
