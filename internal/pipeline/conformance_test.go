package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
)

// TestCorpusConformance converts every corpus file with detection alone
// (no importer named; the expected cli_size as width and height) and
// compares the trackers that reach the exporters with expected/.
func TestCorpusConformance(t *testing.T) {
	shared := formattest.SharedDir(t)
	root := filepath.Join(shared, "corpus", "import")
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(files) < 60 {
		t.Fatalf("only %d corpus files found under %s", len(files), root)
	}
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			exp := formattest.LoadExpected(t, rel)
			w, h := exp.Size()
			out := t.TempDir()
			// json second: with two chains it runs beside the import where
			// the size is given, which this checks too.
			res, err := Run(context.Background(), Request{Input: filepath.Join(root, rel), Width: w, Height: h,
				OutDir: out, Exporters: []string{"nukescript", "json"}})
			if exp.Error != "" {
				var ue *format.UserError
				if !errors.As(err, &ue) || ue.Code != format.CodeNoTrackersRecovered {
					t.Fatalf("got %v, want the %q error", err, exp.Error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(res.Importer, exp.Importer) {
				t.Errorf("detected %s, want %s", res.Importer, exp.Importer)
			}
			s, got := readJSON(t, res.Files[1])
			if s.Width != exp.Width || s.Height != exp.Height {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, exp.Width, exp.Height)
			}
			formattest.CompareTrackers(t, got, exp.Trackers)
		})
	}
}
