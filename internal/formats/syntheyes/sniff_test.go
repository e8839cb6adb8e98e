package syntheyes_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/boujou"
	"tracksgo/internal/formats/equalizer"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/formats/mayalive"
	"tracksgo/internal/formats/shaketext"
	"tracksgo/internal/formats/syntheyes"
)

// textImporters are the importers of the line-based .txt formats, by the
// corpus folder that holds their samples. Their sniffers must tell them
// apart, since the extension cannot.
var textImporters = map[string]*format.Importer{
	"3de_v3":                      equalizer.Import3,
	"3de_v4":                      equalizer.Import4,
	"boujou_features_text":        boujou.Importer,
	"mayalive":                    mayalive.Importer,
	"syntheyes_2d_paths":          syntheyes.Importer,
	"syntheyes_all_tracker_paths": syntheyes.AllPathsImporter,
	"shake_text":                  shaketext.Importer,
}

// TestSniffCorpus reads the first 8 KiB (and shorter cuts) of every corpus
// file of every format: the right text importer must score > 0 and
// strictly above every other text importer; files of the other formats
// must score 0 everywhere.
func TestSniffCorpus(t *testing.T) {
	root := filepath.Join(formattest.SharedDir(t), "corpus", "import")
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		dir := strings.Split(filepath.ToSlash(rel), "/")[0]
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		own := textImporters[dir]
		for _, cut := range []int{8 << 10, 4096, 1024, 256} {
			head := data[:min(cut, len(data))]
			best := 0
			for _, imp := range textImporters {
				if imp != own {
					best = max(best, imp.Sniff(head))
				}
			}
			if own == nil {
				if best != 0 {
					for _, imp := range textImporters {
						if sc := imp.Sniff(head); sc != 0 {
							t.Errorf("%s (first %d bytes): %s scores %d, want 0", rel, len(head), imp.ID, sc)
						}
					}
				}
				continue
			}
			sc := own.Sniff(head)
			if sc <= 0 || sc <= best {
				t.Errorf("%s (first %d bytes): %s scores %d, another text importer %d; want > 0 and the highest", rel, len(head), own.ID, sc, best)
			}
			if sc > 0 && best > 0 {
				t.Logf("%s (first %d bytes): %s scores %d, another text importer %d", rel, len(head), own.ID, sc, best)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < len(textImporters) {
		t.Fatalf("only %d corpus files found", files)
	}
}

// TestSniffNotText checks that text that is none of these formats (and
// empty heads) scores 0 everywhere.
func TestSniffNotText(t *testing.T) {
	for _, head := range []string{
		"",
		"\n\n",
		"foo\n",
		"hello world\nthis is not a track file\n",
		"1 2 3\n4 5 6\n",
		"\x00\x01\x02\xff",
		"Tracker1 0 100.5 200.5 15\n", // five fields, but pixels
	} {
		for dir, imp := range textImporters {
			if sc := imp.Sniff([]byte(head)); sc != 0 {
				t.Errorf("%s (%s) scores %d on %q, want 0", imp.ID, dir, sc, head)
			}
		}
	}
}
