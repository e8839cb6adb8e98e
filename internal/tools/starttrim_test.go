package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestStartTrim(t *testing.T) {
	tests := []struct {
		name string
		in   []*track.Tracker
		want []*track.Tracker
	}{
		{"§7.8 −2, −1, 0: only 0 passes",
			[]*track.Tracker{tr("a", kf(-2, 1, 1, 0), kf(-1, 2, 2, 0), kf(0, 3, 3, 0.5))},
			[]*track.Tracker{tr("a", kf(0, 3, 3, 0.5))}},
		{"§7.8 a tracker at −567…−564 disappears",
			[]*track.Tracker{tr("a", keys(-567, 4)...), tr("b", keys(3, 2)...)},
			[]*track.Tracker{tr("b", keys(3, 2)...)}},
		{"all trackers dropped", []*track.Tracker{tr("a", keys(-10, 3)...)}, nil},
		{"names are sanitised (the tracker is rebuilt)",
			[]*track.Tracker{tr("a b", kf(1, 1, 1, 0))},
			[]*track.Tracker{tr("a_b", kf(1, 1, 1, 0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, StartTrim, nil, 10, 10, tt.in...)
			checkTrackers(t, b.Trackers, tt.want)
		})
	}
}

// The §7.8 CLI case: --slip -8000 --trim drops everything, and Lint says so.
func TestStartTrimEverythingGoneFailsLint(t *testing.T) {
	e, err := Build([]Spec{
		{Name: "Slipper", Params: Values{"slip": "-8000"}},
		{Name: "StartTrim"},
	}, track.NewLint(&track.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	err = track.Export(e, 720, 576, []*track.Tracker{tr("a", keys(0, 30)...), tr("b", keys(100, 3)...)})
	checkErr(t, err, "There were no trackers exported")
}
