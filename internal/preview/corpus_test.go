package preview

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

// TestCorpusPreviews imports every corpus file (no tools) straight into a
// Recorder, as the pipeline's preview chain gets it, and checks that
// every drawing is well-formed, draws every tracker, and stays within
// the bounds a browser draws at once: MaxBytes, MaxPoints, MaxGaps.
func TestCorpusPreviews(t *testing.T) {
	shared := formattest.SharedDir(t)
	root := filepath.Join(shared, "corpus", "import")
	var largest, biggest struct {
		name        string
		keys, bytes int
		took        time.Duration
	}
	out := os.Getenv("PREVIEW_OUT") // where to leave every drawing, to look at them
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if _, err := os.Stat(filepath.Join(shared, "expected", rel+".json")); err != nil {
			return nil // not a file the corpus expects to read
		}
		exp := formattest.LoadExpected(t, rel)
		if exp.Error != "" {
			return nil
		}
		r, keys := importInto(t, path, exp)
		files++
		start := time.Now()
		svg, st := r.Render()
		took := time.Since(start)
		drawing := parse(t, svg)
		want := min(len(exp.Trackers), MaxTrackers)
		if len(drawing.groups) != want || st.Trackers != want {
			t.Errorf("%s: %d groups drawn (stats %d) for %d trackers", rel, len(drawing.groups), st.Trackers, len(exp.Trackers))
		}
		if len(svg) > MaxBytes || st.Points > MaxPoints || st.Gaps > MaxGaps {
			t.Errorf("%s: %d bytes, stats %+v", rel, len(svg), st)
		}
		if tab := r.Table(); len(tab.Trackers) != want || tab.Width != exp.Width || tab.Height != exp.Height {
			t.Errorf("%s: table of %d rows, %dx%d", rel, len(tab.Trackers), tab.Width, tab.Height)
		}
		if keys > largest.keys {
			largest.name, largest.keys, largest.bytes, largest.took = rel, keys, len(svg), took
		}
		if len(svg) > biggest.bytes {
			biggest.name, biggest.keys, biggest.bytes, biggest.took = rel, keys, len(svg), took
		}
		if out != "" {
			name := filepath.Join(out, filepath.FromSlash(rel)+".svg")
			os.MkdirAll(filepath.Dir(name), 0o755)
			if err := os.WriteFile(name, svg, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Errorf("only %d corpus files read", files)
	}
	t.Logf("largest file by keyframes: %s, %d keyframes: %d bytes of SVG, rendered in %v",
		largest.name, largest.keys, largest.bytes, largest.took)
	t.Logf("largest SVG: %s, %d keyframes: %d bytes, rendered in %v", biggest.name, biggest.keys, biggest.bytes, biggest.took)
}

// importInto reads a corpus file with the importer detection picks, at
// the size the expected import was made with, into a Recorder.
func importInto(t *testing.T, path string, exp *formattest.Expected) (*Recorder, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, formats.SniffSize)
	n, _ := io.ReadFull(f, head)
	imp, err := formats.Detect(filepath.Base(path), head[:n])
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	w, h := exp.Size()
	var got []*track.Tracker
	s := &format.Session{Width: w, Height: h, Emit: func(tr *track.Tracker) error {
		if !tr.Empty() {
			got = append(got, tr)
		}
		return nil
	}}
	if err := imp.Import(bufio.NewReader(f), s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	keys := 0
	for _, tr := range got {
		keys += tr.Len()
	}
	r := New()
	if err := track.Export(track.NewLint(r), s.Width, s.Height, got); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r, keys
}
