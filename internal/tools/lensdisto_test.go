package tools

import (
	"math"
	"testing"

	"tracksgo/internal/track"
)

func TestLensDisto(t *testing.T) {
	tests := []struct {
		name  string
		v     Values
		in    track.Keyframe
		want  track.Keyframe
		exact bool
	}{
		{"§7.11 the centre is unchanged", Values{"k": "0.0168"},
			kf(0, 960, 540, 0), kf(0, 960, 540, 0), true},
		{"§7.11 distort", Values{"k": "-0.0298", "kcube": "0.0078"},
			kf(3, 12, 14, 0.25), kf(3, 66.061405462477595, 43.996096279813493, 0.25), true},
		{"§7.11 remove", Values{"k": "-0.0298", "kcube": "0.0078", "remove": "true"},
			kf(3, 66.03001446825158, 43.978678913818925, 0), kf(3, 11.964814429654931, 13.980477204639731, 0), true},
		{"no coefficients: identity up to rounding", nil,
			kf(0, 12, 14, 0), kf(0, 12, 14, 0), false},
		{"beyond the table: passed through", Values{"k": "-0.0298"},
			kf(0, 1e6, -1e6, 0), kf(0, 1e6, -1e6, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, LensDisto, tt.v, 1920, 1080, tr("T", tt.in))
			if b.Width != 1920 || b.Height != 1080 {
				t.Errorf("size %dx%d changed", b.Width, b.Height)
			}
			got := b.Trackers[0].Keyframes[0]
			// The table is built by accumulation as in the reference, so the
			// §7.11 values come out exactly.
			if tt.exact && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			checkKeys(t, []track.Keyframe{got}, []track.Keyframe{tt.want})
		})
	}
}

// The tolerances of the reference test-suite (§7.11).
func TestLensDistoReferenceTolerances(t *testing.T) {
	b := apply(t, LensDisto, Values{"k": "-0.0298", "kcube": "0.0078"}, 1920, 1080, tr("T", kf(0, 12, 14, 0)))
	if k := b.Trackers[0].Keyframes[0]; math.Abs(k.X-66.06) > 0.01 || math.Abs(k.Y-43.99) > 0.01 {
		t.Errorf("distort: %+v", k)
	}
	b = apply(t, LensDisto, Values{"k": "-0.0298", "kcube": "0.0078", "remove": "1"}, 1920, 1080,
		tr("T", kf(0, 66.03001446825158, 43.978678913818925, 0)))
	if k := b.Trackers[0].Keyframes[0]; math.Abs(k.X-11.96) > 0.01 || math.Abs(k.Y-13.98) > 0.01 {
		t.Errorf("remove: %+v", k)
	}
	// Remove then add again nearly returns the corner point.
	buf := &track.Buffer{}
	e, err := Build([]Spec{
		{Name: "LensDisto", Params: Values{"k": "-0.0298", "kcube": "0.2178", "remove": "true"}},
		{Name: "lensdisto", Params: Values{"k": "-0.0298", "kcube": "0.2178"}},
	}, buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := track.Export(e, 1920, 1080, []*track.Tracker{tr("T", kf(0, 1, 1, 0))}); err != nil {
		t.Fatal(err)
	}
	if k := buf.Trackers[0].Keyframes[0]; math.Abs(k.X-0.984) > 0.001 || math.Abs(k.Y-0.991) > 0.001 {
		t.Errorf("remove then add: %+v, want ≈ (0.984, 0.991)", k)
	}
}

func TestLensDistoErrors(t *testing.T) {
	_, err := LensDisto.New(&track.Buffer{}, Values{"remove": "maybe"})
	checkErr(t, err, `lensdisto: remove: "maybe" is not true or false`)
	err = exportErr(t, LensDisto, Values{"k": "0.1"}, 1, 1080, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "lensdisto: cannot apply lens distortion to a comp of 1x1080 pixels")
}
