package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// TestCorpusToEveryFormat: every corpus file that should import converts
// to all 21 formats through the program, with detection alone.
func TestCorpusToEveryFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root := filepath.Join(formattest.SharedDir(t), "corpus", "import")
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		exp := formattest.LoadExpected(t, filepath.ToSlash(rel))
		if exp.Error != "" {
			return nil
		}
		n++
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			args := []string{"--out", out}
			if w, h := exp.Size(); w > 0 {
				args = append(args, "-w", strconv.Itoa(w), "-h", strconv.Itoa(h))
			}
			res := converter(t, nil, append(args, p)...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 21 {
				t.Fatalf("wrote %d files", len(entries))
			}
			for _, e := range entries {
				if info, err := e.Info(); err != nil || info.Size() == 0 || strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("%s: empty or temporary", e.Name())
				}
			}
		})
		return nil
	})
	if n < 60 {
		t.Fatalf("only %d corpus files", n)
	}
}
