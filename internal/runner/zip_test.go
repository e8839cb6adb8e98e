package runner

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteZip: files compressed side by side come out of the zip with
// their names, in the order given, with the same bytes (archive/zip checks
// each CRC as it reads), and progress counts every file once.
func TestWriteZip(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var names []string
	want := map[string][]byte{}
	for i, size := range []int{0, 1, 100, 70_000, 1 << 20, 3, 250_000, 5, 64 << 10, 12} {
		var b bytes.Buffer
		for b.Len() < size { // track-like text, and some noise that does not compress
			fmt.Fprintf(&b, "%d %.3f %.3f\n", b.Len(), rng.Float64()*1920, rng.Float64()*1080)
			b.WriteByte(byte(rng.Uint32()))
		}
		name := fmt.Sprintf("shot_%02d.txt", i)
		content := b.Bytes()[:size]
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		want[name] = content
	}
	var calls []int
	path := filepath.Join(dir, "all.zip")
	if err := writeZip(path, dir, names, func(done, total int) {
		if total != len(names) {
			t.Errorf("progress total %d, want %d", total, len(names))
		}
		calls = append(calls, done)
	}); err != nil {
		t.Fatal(err)
	}
	for i, done := range calls {
		if done != i+1 {
			t.Fatalf("progress calls %v, want 1 to %d", calls, len(names))
		}
	}
	if len(calls) != len(names) {
		t.Fatalf("progress calls %v, want 1 to %d", calls, len(names))
	}

	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != len(names) {
		t.Fatalf("zip holds %d files, want %d", len(zr.File), len(names))
	}
	for i, f := range zr.File {
		if f.Name != names[i] || f.Method != zip.Deflate {
			t.Errorf("entry %d: %s (method %d), want %s deflated", i, f.Name, f.Method, names[i])
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // fails on a CRC or size mismatch
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(got, want[f.Name]) {
			t.Errorf("%s: %d bytes out of the zip differ from the %d written", f.Name, len(got), len(want[f.Name]))
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".zip-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteZipMissingFile: a file that cannot be read fails the zip with
// its name, and leaves neither a zip nor temporary files.
func TestWriteZipMissingFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644)
	path := filepath.Join(dir, "all.zip")
	err := writeZip(path, dir, []string{"a.txt", "gone.txt"}, nil)
	if err == nil || !strings.Contains(err.Error(), "gone.txt") {
		t.Fatalf("error %v, want one naming gone.txt", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.zip*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, ".zip-*"))
	if len(left)+len(hidden) != 0 {
		t.Errorf("left behind: %v %v", left, hidden)
	}
}

// BenchmarkWriteZip packs 21 files of track-like text, 100 MB in all: about
// what a job on the largest corpus file writes.
func BenchmarkWriteZip(b *testing.B) {
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	var names []string
	var total int64
	for i := range 21 {
		var buf bytes.Buffer
		for frame := 0; buf.Len() < 5<<20; frame++ {
			fmt.Fprintf(&buf, "track%d %d %.3f %.3f 0.000\n", frame%45, frame, rng.Float64()*1920, rng.Float64()*1080)
		}
		name := fmt.Sprintf("out_%02d.txt", i)
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
		total += int64(buf.Len())
	}
	b.SetBytes(total)
	for b.Loop() {
		if err := writeZip(filepath.Join(dir, "all.zip"), dir, names, nil); err != nil {
			b.Fatal(err)
		}
	}
}
