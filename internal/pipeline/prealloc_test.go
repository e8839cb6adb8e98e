package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPreallocFile: what is written is all the file holds, and the space
// reserved beyond it is given back.
func TestPreallocFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := newPreallocFile(f)
	var want bytes.Buffer
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4<<10) // 64 KiB
	for i := 0; i < 56; i++ {                                // 3.5 MiB
		b := chunk[:len(chunk)-i] // uneven sizes
		if _, err := p.Write(b); err != nil {
			t.Fatal(err)
		}
		want.Write(b)
	}
	if p.off {
		t.Log("this filesystem reserves no space: only the content is checked")
	} else if p.reserved <= p.written {
		t.Fatalf("reserved %d for %d written", p.reserved, p.written)
	}
	if err := p.finish(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("the file holds %d bytes, not the %d written", len(got), want.Len())
	}
	var st syscall.Stat_t
	if err := syscall.Stat(f.Name(), &st); err == nil && st.Blocks*512 > int64(want.Len())+1<<20 {
		t.Errorf("%d bytes of disk for %d bytes of data: the reserve was not given back", st.Blocks*512, want.Len())
	}
}

// TestSmallOutputsReserveNothing: a file that stays below smallOutput
// costs no reserve and no truncation.
func TestSmallOutputsReserveNothing(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := newPreallocFile(f)
	for range 3 {
		if _, err := p.Write(make([]byte, smallOutput/4)); err != nil {
			t.Fatal(err)
		}
	}
	if p.reserved != 0 {
		t.Errorf("reserved %d bytes for a %d-byte file", p.reserved, p.written)
	}
	if _, err := p.Write(make([]byte, smallOutput/2)); err != nil {
		t.Fatal(err)
	}
	if !p.off && p.reserved <= p.written {
		t.Errorf("reserved %d bytes for a %d-byte file past smallOutput", p.reserved, p.written)
	}
}
