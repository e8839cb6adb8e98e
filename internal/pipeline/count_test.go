package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// summaryOf describes trackers read back from an output.
func summaryOf(w, h int, trackers []*track.Tracker) Summary {
	s := emptySummary()
	s.Width, s.Height = w, h
	for _, t := range trackers {
		s.addTracker(t)
	}
	return s
}

// TestResultDescribesTheOutputs runs the reference trackers (3 trackers,
// 39 keyframes on frames 0-20, 1920x1080) through tools and checks that
// the result describes what the JSON output holds, and the import what
// was read. The counted chain is the Nuke one: the JSON output, read back,
// is another chain's, so the two chains must agree too.
func TestResultDescribesTheOutputs(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "ref.json", 1920, 1080, formattest.RefTrackers())
	imported := Summary{Width: 1920, Height: 1080, Trackers: 3, Keyframes: 39, FirstFrame: 0, LastFrame: 20}
	slip := func(n int) tools.Spec {
		return tools.Spec{Name: "Slipper", Params: tools.Values{"slip": fmt.Sprint(n)}}
	}
	for _, c := range []struct {
		name  string
		tools []tools.Spec
		want  Summary // the output, after the tools
	}{
		{"no tools", nil, imported},
		{"slip 1000", []tools.Spec{slip(1000)},
			Summary{Width: 1920, Height: 1080, Trackers: 3, Keyframes: 39, FirstFrame: 1000, LastFrame: 1020}},
		{"length cutoff drops the single-frame tracker", []tools.Spec{{Name: "lengthcutoff", Params: tools.Values{"min_length": "2"}}},
			Summary{Width: 1920, Height: 1080, Trackers: 2, Keyframes: 38, FirstFrame: 0, LastFrame: 20}},
		{"slip back and trim drops keyframes and a tracker", []tools.Spec{slip(-5), {Name: "StartTrim"}},
			Summary{Width: 1920, Height: 1080, Trackers: 2, Keyframes: 28, FirstFrame: 0, LastFrame: 15}},
		{"slip, cutoff, then back to the first frame", []tools.Spec{slip(1000), {Name: "LengthCutoff", Params: tools.Values{"min_length": "2"}}, {Name: "MoveToFirst"}},
			Summary{Width: 1920, Height: 1080, Trackers: 2, Keyframes: 38, FirstFrame: 0, LastFrame: 20}},
		{"lerp fills the gaps", []tools.Spec{{Name: "Lerp"}},
			Summary{Width: 1920, Height: 1080, Trackers: 3, Keyframes: 43, FirstFrame: 0, LastFrame: 20}},
		{"reformat changes the comp", []tools.Spec{{Name: "Reformat", Params: tools.Values{"width": "960", "height": "540"}}},
			Summary{Width: 960, Height: 540, Trackers: 3, Keyframes: 39, FirstFrame: 0, LastFrame: 20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			var last string
			res, err := Run(context.Background(), Request{Input: in, OutDir: out, Tools: c.tools,
				Exporters: []string{"nukescript", "json"},
				Progress:  func(_ int, m string) { last = m }})
			if err != nil {
				t.Fatal(err)
			}
			if res.Imported != imported {
				t.Errorf("imported %+v, want %+v", res.Imported, imported)
			}
			s, got := readJSON(t, filepath.Join(out, "ref_tracks.json"))
			written := summaryOf(s.Width, s.Height, got)
			if res.Summary != written {
				t.Errorf("result %+v, the JSON output holds %+v", res.Summary, written)
			}
			if res.Summary != c.want {
				t.Errorf("result %+v, want %+v", res.Summary, c.want)
			}
			if want := fmt.Sprintf("Wrote %d points and %d keyframes", c.want.Trackers, c.want.Keyframes); last != want {
				t.Errorf("last progress %q, want %q", last, want)
			}
		})
	}
}

// TestCounterCountsWhatPasses drives the counter directly: a tracker
// counts once it has a point, every point counts, the frame range spans
// every tracker, and the calls reach the next stage unchanged.
func TestCounterCountsWhatPasses(t *testing.T) {
	var buf track.Buffer
	c := newCounter(&buf)
	a := &track.Tracker{Name: "a", Keyframes: []track.Keyframe{{Frame: 7}, {Frame: 9, X: 1}}}
	b := &track.Tracker{Name: "b", Keyframes: []track.Keyframe{{Frame: -3}, {Frame: -3, Y: 2}}}
	if err := track.Export(c, 40, 30, []*track.Tracker{a, b}); err != nil {
		t.Fatal(err)
	}
	want := Summary{Width: 40, Height: 30, Trackers: 2, Keyframes: 4, FirstFrame: -3, LastFrame: 9}
	if c.sum != want {
		t.Errorf("counted %+v, want %+v", c.sum, want)
	}
	if !buf.Ended || buf.Width != 40 || len(buf.Trackers) != 2 || buf.Trackers[1].Keyframes[1].Y != 2 {
		t.Errorf("next stage got %+v", buf)
	}
}
