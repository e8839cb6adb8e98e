package mmsolver

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"tracksgo/internal/formats/formattest"
)

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       int
	}{
		// JSON: '{' first, and mmSolver's keys
		{"json num_points", `{"version": 2, "num_points": 1, "points": [`, 2},
		{"json points and per_frame", "\ufeff \r\n{\"points\": [{\"name\": \"a\", \"per_frame\": [", 2},
		{"json camera first", `{"camera": {"resolution": [1, 2]}, "points": [{"per_frame": []}]}`, 2},
		{"json points alone", `{"points": [{"id": 1, "u": 0.5, "v": 0.5}], "version": 9}`, 0},
		{"json per_frame alone", `{"per_frame": []}`, 0},
		{"json keys unquoted", `{num_points: 1}`, 0},
		{"json not first", `x {"num_points": 1}`, 0},
		{"project json", `{"width": 1920, "height": 1080, "trackers": [{"name": "a"}]}`, 0},
		// version 1
		{"v1", "2\nA\n1\n1 0.5 0.5 1.0\nB\n2\n1 0.5 0.5 1.0\n2 0.5 0.5 1.0\n", 1},
		{"v1 no final line end", "1\nA\n1\n1 0.0 1.0 1.0", 1},
		{"v1 crlf", "1\r\nA\r\n1\r\n1 0.0 1.0 1.0\r\n", 1},
		{"v1 cr", "1\rA\r1\r1 0.0 1.0 1.0\r", 1},
		{"v1 bom", "\ufeff1\nA\n1\n1 0.0 1.0 1.0\n", 1},
		{"v1 count with spaces", " 2 \nA\n1\n-5 1e-3 +0.5 .5\n", 1},
		{"v1 fewer points than declared", "12\nA\n1\n1 0 0 1\n\n\n", 1},
		{"v1 blank row ends a point", "2\nA\n5\n1 0 0 1\n\nB\n1\n1 0 0 1\n", 1},
		{"v1 empty name", "2\n\n1\n1 0 0 1\nB\n0\n", 1},
		{"v1 cut in a row", "1\nA\n3\n1 0 0 1\n2 0 0", 1},
		{"v1 cut in the first row", "1\nA\n3\n1 0 0", 0},
		{"v1 no row", "2\nA\n0\nB\n0\n", 0},
		{"v1 lines after the points", "1\nA\n1\n1 0 0 1\nmilk\n", 0},
		{"v1 a complete last line after the points", "1\nA\n1\n1 0 0 1\nmilk", 0},
		{"v1 three columns", "1\nA\n1\n1 0 0\n", 0},
		{"v1 five columns", "1\nA\n1\n1 0 0 1 1\n", 0},
		{"v1 fractional frame", "1\nA\n1\n1.5 0 0 1\n", 0},
		{"v1 count not a number", "1\nA\nthree\n1 0 0 1\n", 0},
		{"v1 zero points", "0\nA\n1\n1 0 0 1\n", 0},
		{"v1 signed count", "+1\nA\n1\n1 0 0 1\n", 0},
		{"v1 blank first line", "\n1\nA\n1\n1 0 0 1\n", 0},
		{"v1 nan", "1\nA\n1\n1 nan 0 1\n", 0},
		// other formats' shapes
		{"3de v4", "1\nTopLeft\n0\n1\n1 0 1080\n", 0},
		{"3de v4 two", "2\na\n0\n1\n1 0 1080\nb\n0\n1\n1 0 1080\n", 0},
		{"pftrack", "\"Tracker1\"\n1\n3\n1 984.611 30.220 0.000\n", 0},
		{"lone number", "42\n", 0},
		{"empty", "", 0},
	} {
		if got := sniff([]byte(c.head)); got != c.want {
			t.Errorf("%s: sniff %d, want %d", c.name, got, c.want)
		}
	}
}

// TestSniffTestdata: every file of testdata is claimed, JSON by its keys
// and version 1 by its shape, also when cut to the head detection sees.
func TestSniffTestdata(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.uv"))
	if err != nil || len(paths) < 10 {
		t.Fatalf("%d testdata files (%v)", len(paths), err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want := 1 // version 1 by its shape
		if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte(bom)), " \r\n"), []byte("{")) {
			want = 2 // JSON by its keys
		}
		if got := sniff(data[:min(len(data), 8<<10)]); got != want {
			t.Errorf("%s: sniff %d, want %d", p, got, want)
		}
	}
}

// TestSniffClaimsNoCorpusFile: no file of another format is taken for a
// .uv file, whole or cut at any line end of its head.
func TestSniffClaimsNoCorpusFile(t *testing.T) {
	for _, h := range formattest.CorpusHeads(t) {
		cuts := [][]byte{h.Data}
		for i, c := range h.Data {
			if c == '\n' {
				cuts = append(cuts, h.Data[:i+1])
			}
		}
		for _, cut := range cuts {
			if sc := sniff(cut); sc != 0 {
				t.Errorf("%s (first %d bytes): sniff %d, want 0", h.Rel, len(cut), sc)
				break
			}
		}
	}
}

func FuzzImportMMSolver(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.uv"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("3\nA\n2\n1 0 0 1\n\n\nB\n"))
	f.Add([]byte(`{"version": 4, "camera": {"resolution": [1e308, 2]}, "points": [{"name": "a", "per_frame": [{"frame": -9007199254740992, "pos": [1, 1]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzImport(t, Importer, data)
	})
}
