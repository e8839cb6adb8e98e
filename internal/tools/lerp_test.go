package tools

import (
	"errors"
	"math"
	"testing"

	"tracksgo/internal/formats/format"

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
	err := track.Export(e, 10, 10, []*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(DefaultKeyframeLimit+2, 1, 1, 0))})
	checkErr(t, err, "lerp: the tools would create more than 10,000,000 keyframes, the most one conversion may add: remove the lerp tool or trim the frame range")
	var ue *format.UserError
	if !errors.As(err, &ue) || ue.Code != format.CodeKeyframeLimit {
		t.Fatalf("error %T %v is not a user error with code %s", err, err, format.CodeKeyframeLimit)
	}
	if len(r.calls) != 3 { // start, tracker, first point: nothing was made
		t.Fatalf("calls %v", r.calls)
	}
}

// TestLerpSharedBudget: chains built with one budget draw on it together,
// so the limit holds for a whole conversion however many formats it
// writes; a draw that fails takes nothing.
func TestLerpSharedBudget(t *testing.T) {
	b := NewBudget(10)
	in := []*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(5, 5, 5, 0))} // creates 4
	for i, wantErr := range []bool{false, false, true} {
		e, err := BuildBudget([]Spec{{Name: "lerp"}}, &track.Buffer{}, b)
		if err != nil {
			t.Fatal(err)
		}
		err = track.Export(e, 10, 10, in)
		if (err != nil) != wantErr {
			t.Fatalf("chain %d: error %v, want one: %v", i, err, wantErr)
		}
	}
	if b.Used() != 8 {
		t.Fatalf("used %d, want 8", b.Used())
	}
	// Exactly up to the limit is allowed.
	e, _ := BuildBudget([]Spec{{Name: "lerp"}}, &track.Buffer{}, b)
	if err := track.Export(e, 10, 10, []*track.Tracker{tr("a", kf(0, 0, 0, 0), kf(3, 5, 5, 0))}); err != nil || b.Used() != 10 {
		t.Fatalf("a draw up to the limit: %v, used %d", err, b.Used())
	}
	// A draw that would overflow fails rather than wrap around.
	if err := b.take("lerp", math.MaxInt); err == nil {
		t.Fatal("an overflowing draw succeeded")
	}
	// No limit.
	if err := NewBudget(0).take("lerp", math.MaxInt); err != nil {
		t.Fatal(err)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10_000_000: "10,000,000", -1234567: "-1,234,567", 123456: "123,456"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
