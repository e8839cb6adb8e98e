package pipeline

import (
	"bytes"
	"os"
	"testing"
)

// A part below its memory makes no file; past it, the file holds every
// byte written, memory and after; remove leaves nothing.
func TestSpoolSpillsPastItsMemory(t *testing.T) {
	dir := t.TempDir()
	sp, err := newSpool(dir, ".x.*.part", 100)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	write := func(n int, c byte) {
		b := bytes.Repeat([]byte{c}, n)
		want.Write(b)
		if _, err := sp.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	write(60, 'a')
	write(40, 'b')
	if entries, _ := os.ReadDir(dir); len(entries) != 0 || sp.path != "" || len(sp.mem) != 100 {
		t.Fatalf("100 bytes of 100 in memory: %d files, path %q, %d bytes held", len(entries), sp.path, len(sp.mem))
	}
	write(1, 'c')
	write(5000, 'd')
	if err := sp.finish(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(sp.path)
	if err != nil {
		t.Fatalf("past its memory: %v", err)
	}
	if !bytes.Equal(got, want.Bytes()) || sp.mem != nil {
		t.Errorf("the file holds %d bytes, want %d; %d still in memory", len(got), want.Len(), len(sp.mem))
	}
	sp.remove()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left after remove: %v", entries)
	}
}
