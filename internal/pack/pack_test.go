package pack

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/pack/packtest"
)

// trackText is size bytes of track-like text with some noise that does
// not compress.
func trackText(rng *rand.Rand, size int) []byte {
	var b bytes.Buffer
	for b.Len() < size {
		fmt.Fprintf(&b, "%d %.3f %.3f\n", b.Len(), rng.Float64()*1920, rng.Float64()*1080)
		b.WriteByte(byte(rng.Uint32()))
	}
	return b.Bytes()[:size]
}

// writePart compresses content into a part file of dir, in writes of
// chunk bytes, as an output's buffer hands them over.
func writePart(t *testing.T, dir, name string, content []byte, chunk int, when time.Time) Part {
	t.Helper()
	f, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	z := NewWriter(bw, name, when)
	for rest := content; len(rest) > 0; {
		n := min(chunk, len(rest))
		if _, err := z.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if z.Size() != uint64(len(content)) {
		t.Errorf("%s: size %d, wrote %d", name, z.Size(), len(content))
	}
	return Part{Header: z.Header(), Path: f.Name()}
}

// TestAssemble: entries compressed as they are written come out of the
// zip with their names, in their order, deflated, dated, with the same
// bytes (archive/zip checks each CRC-32 and size as it reads), a name
// that needs UTF-8 flagged so; unzip and Python's zipfile test the zip
// too, where they are installed.
func TestAssemble(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	when := time.Date(2026, 3, 4, 5, 6, 8, 0, time.UTC)
	var parts []Part
	var names []string
	want := map[string][]byte{}
	for i, size := range []int{0, 1, 100, 70_000, 1 << 20, 3, 250_000, 5, 64 << 10, 12, 64<<10 + 1} {
		name := fmt.Sprintf("shot_%02d.txt", i)
		if i == 3 {
			name = "plan é 7_nuke.nk" // a name only UTF-8 spells
		}
		content := trackText(rng, size)
		parts = append(parts, writePart(t, dir, name, content, 1+rng.IntN(70_000), when))
		names = append(names, name)
		want[name] = content
	}
	var calls []string
	path := filepath.Join(dir, "all.zip")
	if err := Assemble(path, parts, func(done, total int) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) }); err != nil {
		t.Fatal(err)
	}
	if got, wantCalls := strings.Join(calls, " "), "0/11 1/11 2/11 3/11 4/11 5/11 6/11 7/11 8/11 9/11 10/11 11/11"; got != wantCalls {
		t.Errorf("progress %s, want %s", got, wantCalls)
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
		if !f.Modified.Equal(when) || f.Mode() != 0o644 || f.Flags&0x8 != 0 {
			t.Errorf("%s: modified %v, mode %v, flags %#x; want %v, 0644 and no data descriptor", f.Name, f.Modified, f.Mode(), f.Flags, when)
		}
		if utf8Flag, ascii := f.Flags&0x800 != 0, isASCII(f.Name); utf8Flag == ascii {
			t.Errorf("%s: UTF-8 flag %v", f.Name, utf8Flag)
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
	if left, _ := filepath.Glob(filepath.Join(dir, ".zip-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	packtest.CheckWithTools(t, path)

	// The MS-DOS date, which readers without the extended timestamp
	// (Python's zipfile, Windows Explorer) show.
	if _, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command("python3", "-c", "import sys, zipfile; print(set(i.date_time for i in zipfile.ZipFile(sys.argv[1]).infolist()))", path).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != "{(2026, 3, 4, 5, 6, 8)}" {
			t.Errorf("dates as Python reads them: %s %v, want {(2026, 3, 4, 5, 6, 8)}", got, err)
		}
	}
}

// TestAssembleMissingPart: a part that cannot be read fails the zip with
// its name, and leaves no zip nor temporary file.
func TestAssembleMissingPart(t *testing.T) {
	dir := t.TempDir()
	a := writePart(t, dir, "a.txt", []byte("a"), 1, time.Now())
	gone := Part{Header: &zip.FileHeader{Name: "gone.txt", Method: zip.Deflate}, Path: filepath.Join(dir, "gone")}
	path := filepath.Join(dir, "all.zip")
	err := Assemble(path, []Part{a, gone}, nil)
	if err == nil || !strings.Contains(err.Error(), "gone.txt") {
		t.Fatalf("error %v, want one naming gone.txt", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.zip*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, ".zip-*"))
	if len(left)+len(hidden) != 0 {
		t.Errorf("left behind: %v %v", left, hidden)
	}
}
