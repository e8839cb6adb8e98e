package flame

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// Every stabilizer setup scores 2 from its header; every other corpus file 0.
func TestSniffCorpus(t *testing.T) {
	root := filepath.Join(formattest.SharedDir(t), "corpus", "import")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		head := make([]byte, 8<<10)
		k, err := io.ReadFull(f, head)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		want := 0
		if strings.HasPrefix(filepath.ToSlash(rel), "flame_stabilizer/") {
			want = 2
			n++
		}
		if got := sniffImporter(head[:k]); got != want {
			t.Errorf("%s: score %d, want %d", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no flame samples seen")
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want int
	}{
		{"StabilizerFileVersion 5.0\nCreationDate", 2},
		{"StabilizerFileVersion 6.0\r\n", 2},
		{"\xEF\xBB\xBF\n StabilizerFileVersion", 2},
		{"StabilizerFile", 0},
		{"", 0},
		{"Channel tracker1/ref/x\n", 0},
		{"# StabilizerFileVersion 5.0\n", 0},
	}
	for _, tt := range tests {
		if got := sniffImporter([]byte(tt.head)); got != tt.want {
			t.Errorf("%q: %d, want %d", tt.head, got, tt.want)
		}
	}
}
