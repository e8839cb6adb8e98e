package pipeline

import (
	"context"
	"errors"
	"os"
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/preview"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// TestObserveSeesWhatTheOutputsHold: the observer's chain gets the
// trackers after the tools, as the outputs do, whole or point by point,
// and writes no file of its own.
func TestObserveSeesWhatTheOutputsHold(t *testing.T) {
	for _, tc := range []struct {
		name         string
		tools        []tools.Spec
		pointByPoint bool
	}{
		{"no tools", nil, false},
		{"no tools, point by point", nil, true},
		{"tools", []tools.Spec{{Name: "slipper", Params: tools.Values{"slip": "10"}}, {Name: "scaler", Params: tools.Values{"x_factor": "2", "y_factor": "1"}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeJSON(t, dir, "in.json", 1920, 1080, formattest.RefTrackers())
			buf := &track.Buffer{}
			res, err := Run(context.Background(), Request{Input: in, Exporters: []string{"json"}, Tools: tc.tools,
				Observe: buf, pointByPoint: tc.pointByPoint})
			if err != nil {
				t.Fatal(err)
			}
			s, out := readJSON(t, res.Files[0])
			if !buf.Ended || buf.Width != s.Width || buf.Height != s.Height {
				t.Errorf("observer: ended %v, size %dx%d; the output's %dx%d", buf.Ended, buf.Width, buf.Height, s.Width, s.Height)
			}
			formattest.CompareTrackers(t, buf.Trackers, out)
			if entries, _ := os.ReadDir(dir); len(res.Files) != 1 || len(entries) != 2 {
				t.Errorf("files %q, %d entries in the folder: the observer writes none", res.Files, len(entries))
			}
		})
	}
}

// TestObservePreview runs the preview recorder as the converter does:
// it takes the trackers whole, and its table is what the output holds.
func TestObservePreview(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "in.json", 1920, 1080, formattest.RefTrackers())
	rec := preview.New()
	res, err := Run(context.Background(), Request{Input: in, Exporters: []string{"json", "nukescript"}, Observe: rec,
		Tools: []tools.Spec{{Name: "slipper", Params: tools.Values{"slip": "100"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, out := readJSON(t, res.Files[0])
	tab := rec.Table()
	if len(tab.Trackers) != len(out) || tab.Width != 1920 || tab.Height != 1080 {
		t.Fatalf("table %+v for %d trackers", tab, len(out))
	}
	for i, o := range out {
		row := tab.Trackers[i]
		if row.Name != o.Name || row.Keyframes != o.Len() || row.FirstFrame != o.Keyframes[0].Frame || row.LastFrame != o.Keyframes[o.Len()-1].Frame {
			t.Errorf("row %d %+v, output tracker %s with %d keyframes", i, row, o.Name, o.Len())
		}
	}
	if err := rec.WriteFiles(t.TempDir()); err != nil {
		t.Errorf("the export did not end for the preview: %v", err)
	}
}

// failingObserver fails at its first keyframe.
type failingObserver struct{ track.Buffer }

var errObserver = errors.New("observer failed")

func (f *failingObserver) ExportPoint(track.Keyframe) error { return errObserver }

func TestObserveErrorFailsTheRun(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "in.json", 1920, 1080, formattest.RefTrackers())
	_, err := Run(context.Background(), Request{Input: in, Observe: &failingObserver{}})
	if !errors.Is(err, errObserver) {
		t.Fatalf("got %v, want the observer's error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the folder after a failed run, want the input alone", len(entries))
	}
}
