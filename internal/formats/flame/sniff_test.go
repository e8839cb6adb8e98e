package flame

import (
	"testing"

	"tracksgo/internal/formats/formattest"
)

// Every stabilizer setup scores 2 from its header; every other corpus file 0.
func TestSniffCorpus(t *testing.T) {
	n := 0
	for _, h := range formattest.CorpusHeads(t) {
		want := 0
		if h.Dir == "flame_stabilizer" {
			want = 2
			n++
		}
		if got := sniffImporter(h.Data); got != want {
			t.Errorf("%s: score %d, want %d", h.Rel, got, want)
		}
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
		{"StabilizerFileVersions are listed below\n", 0},
		{"StabilizerFileVersion is a keyword\n", 0},
	}
	for _, tt := range tests {
		if got := sniffImporter([]byte(tt.head)); got != tt.want {
			t.Errorf("%q: %d, want %d", tt.head, got, tt.want)
		}
	}
}
