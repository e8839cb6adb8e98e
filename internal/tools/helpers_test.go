package tools

import (
	"math"
	"testing"

	"tracksgo/internal/track"
)

// kf is a keyframe literal.
func kf(frame int, x, y, residual float64) track.Keyframe {
	return track.Keyframe{Frame: frame, X: x, Y: y, Residual: residual}
}

// tr is a tracker literal.
func tr(name string, ks ...track.Keyframe) *track.Tracker {
	return &track.Tracker{Name: name, Keyframes: ks}
}

// apply runs one export of trackers through a new tool in front of a Buffer.
func apply(t *testing.T, tool *Tool, v Values, w, h int, trackers ...*track.Tracker) *track.Buffer {
	t.Helper()
	b := &track.Buffer{}
	e, err := tool.New(b, v)
	if err != nil {
		t.Fatalf("%s.New(%v): %v", tool.ID, v, err)
	}
	if err := track.Export(e, w, h, trackers); err != nil {
		t.Fatalf("%s: export: %v", tool.ID, err)
	}
	return b
}

// exportErr runs one export through a new tool and returns its error.
func exportErr(t *testing.T, tool *Tool, v Values, w, h int, trackers ...*track.Tracker) error {
	t.Helper()
	e, err := tool.New(&track.Buffer{}, v)
	if err != nil {
		t.Fatalf("%s.New(%v): %v", tool.ID, v, err)
	}
	return track.Export(e, w, h, trackers)
}

// near compares within 1e-9, relative above 1.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// checkTrackers compares names and keyframes (frames exactly, values near).
func checkTrackers(t *testing.T, got, want []*track.Tracker) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d trackers %v, want %d %v", len(got), names(got), len(want), names(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name {
			t.Errorf("tracker %d: name %q, want %q", i, g.Name, w.Name)
		}
		checkKeys(t, g.Keyframes, w.Keyframes)
	}
}

func checkKeys(t *testing.T, got, want []track.Keyframe) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d keyframes %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Frame != w.Frame || !near(g.X, w.X) || !near(g.Y, w.Y) || !near(g.Residual, w.Residual) {
			t.Errorf("keyframe %d: got %+v, want %+v", i, g, w)
		}
	}
}

func names(ts []*track.Tracker) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name)
	}
	return s
}

// checkErr fails unless err has exactly the message want.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
}

// recorder notes every call, to see when a stage forwards what.
type recorder struct{ calls []string }

func (r *recorder) StartExport(w, h int) error { r.calls = append(r.calls, "start"); return nil }
func (r *recorder) StartTracker(name string) error {
	r.calls = append(r.calls, "tracker "+name)
	return nil
}
func (r *recorder) ExportPoint(track.Keyframe) error {
	r.calls = append(r.calls, "point")
	return nil
}
func (r *recorder) EndTracker() error { r.calls = append(r.calls, "end tracker"); return nil }
func (r *recorder) EndExport() error  { r.calls = append(r.calls, "end"); return nil }

// resizeCase is one point through a tool that changes the comp size.
type resizeCase struct {
	name         string
	v            Values
	w, h         int
	in           track.Keyframe
	wantW, wantH int
	want         track.Keyframe
}

// checkResize runs each case through tool and checks the comp size and the
// point that come out.
func checkResize(t *testing.T, tool *Tool, cases []resizeCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, tool, tt.v, tt.w, tt.h, tr("T", tt.in))
			if b.Width != tt.wantW || b.Height != tt.wantH {
				t.Errorf("size %dx%d, want %dx%d", b.Width, b.Height, tt.wantW, tt.wantH)
			}
			checkKeys(t, b.Trackers[0].Keyframes, []track.Keyframe{tt.want})
		})
	}
}
