// Package pack makes the zip of a job's outputs while they are written.
// Each output goes through a deflate compressor of its own (a Writer)
// into a part, counting its CRC-32 and sizes on the way; the zip is then
// assembled from the parts as they are (archive/zip's CreateRaw), nothing
// compressed twice and no uncompressed copy on disk. The entries are
// standard deflate with their CRC and sizes in the local headers (no data
// descriptors), as unzip, Windows Explorer and macOS Archive Utility read
// them.
package pack

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// Level is the deflate level of the outputs. klauspost/compress at its
// fastest level compresses the outputs of nuke/45trackers.nk (192 MB of
// text) twice as fast as compress/flate's BestSpeed, and smaller
// (BenchmarkCompress, best of 4 on one core: 420 MB/s and ratio 6.08
// against 205 MB/s and 5.86); its level 2 gains 3 % of size for 25 %
// more time (329 MB/s, 6.26), and compressing is most of a large job's
// time.
const Level = 1

// Writer compresses what is written to it into w as the data of one zip
// entry. Close ends the data; Header then describes the entry.
type Writer struct {
	name     string
	modified time.Time
	out      countingWriter
	fw       *flate.Writer // nil while the entry is small
	small    []byte        // the entry while it is small
	crc      uint32
	size     uint64
	closed   bool
}

// smallEntry is the size up to which an entry is held and compressed at
// Close in one call that keeps no state (flate.StatelessDeflate). A
// compressor's state is about 1 MB, cleared when it is made: for the 21
// outputs of a small file that cost more than their compressing.
const smallEntry = 64 << 10

// NewWriter starts the entry name, dated modified, whose compressed data
// goes to w.
func NewWriter(w io.Writer, name string, modified time.Time) *Writer {
	return &Writer{name: name, modified: modified, out: countingWriter{w: w}}
}

// Write compresses p, counting it into the entry's CRC and size.
func (z *Writer) Write(p []byte) (int, error) {
	if z.closed {
		return 0, errors.New("pack: write after close")
	}
	if z.fw == nil {
		if len(z.small)+len(p) <= smallEntry {
			z.small = append(z.small, p...)
			z.count(p)
			return len(p), nil
		}
		fw, err := flate.NewWriter(&z.out, Level)
		if err != nil {
			return 0, err // only for a level out of range
		}
		z.fw = fw
		if _, err := fw.Write(z.small); err != nil {
			return 0, err
		}
		z.small = nil
	}
	n, err := z.fw.Write(p)
	z.count(p[:n])
	return n, err
}

func (z *Writer) count(p []byte) {
	z.crc = crc32.Update(z.crc, crc32.IEEETable, p)
	z.size += uint64(len(p))
}

// Close writes out the end of the deflate stream; it does not close the
// writer beneath.
func (z *Writer) Close() error {
	if z.closed {
		return nil
	}
	z.closed = true
	if z.fw == nil {
		err := flate.StatelessDeflate(&z.out, z.small, true, nil)
		z.small = nil
		return err
	}
	return z.fw.Close()
}

// Size is how many bytes were written, uncompressed.
func (z *Writer) Size() uint64 { return z.size }

// Header is the zip header of the entry, with its CRC-32 and sizes; only
// once Close returned.
func (z *Writer) Header() *zip.FileHeader {
	h := &zip.FileHeader{
		Name:               z.name,
		Method:             zip.Deflate,
		CRC32:              z.crc,
		CompressedSize64:   uint64(z.out.n),
		UncompressedSize64: z.size,
	}
	// What archive/zip's CreateHeader sets, and CreateRaw does not: the
	// version needed (2.0, deflate), the UTF-8 flag for a name that needs
	// it (else Windows shows it in its code page), the date in MS-DOS
	// form and as Info-ZIP's extended timestamp (UTC).
	h.ReaderVersion = 20
	h.SetMode(0o644) // a Unix creator, so that unzip restores the mode
	h.CreatorVersion |= 20
	if utf8.ValidString(z.name) && !isASCII(z.name) {
		h.Flags |= 0x800
	}
	if !z.modified.IsZero() {
		h.Modified = z.modified.UTC()
		//lint:ignore SA1019 CreateRaw writes the MS-DOS fields as they are: it does not convert Modified
		h.ModifiedDate, h.ModifiedTime = msDosTime(h.Modified)
		t := uint32(z.modified.Unix())
		h.Extra = []byte{0x55, 0x54, 5, 0, 1, byte(t), byte(t >> 8), byte(t >> 16), byte(t >> 24)}
	}
	return h
}

// msDosTime is t in the MS-DOS form of zip headers (from 1980 on, to two
// seconds).
func msDosTime(t time.Time) (date, tm uint16) {
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Part is an entry compressed on its own: in a file, or in memory.
type Part struct {
	Header *zip.FileHeader
	Path   string // the file of the compressed data, Header.CompressedSize64 bytes
	Data   []byte // the compressed data, when Path is ""
}

// Assemble writes the zip of parts at path, in their order, copying each
// part's data as it is. The zip is written to a temporary file beside
// path, synced and renamed into place once complete; the parts are left
// for the caller to remove. progress, if not nil, is told when the copy
// starts and as each part is copied.
func Assemble(path string, parts []Part, progress func(done, total int)) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".zip-*.tmp")
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	zw := zip.NewWriter(bw)
	if progress != nil {
		progress(0, len(parts))
	}
	for i, p := range parts {
		if err := copyPart(zw, p); err != nil {
			return fmt.Errorf("zip %s: %w", p.Header.Name, err)
		}
		if progress != nil {
			progress(i+1, len(parts))
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	// On disk before the job is recorded as done.
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}

// copyPart writes the part into zw as it is, without compressing it again.
func copyPart(zw *zip.Writer, p Part) error {
	h := *p.Header // CreateRaw keeps and changes the header
	w, err := zw.CreateRaw(&h)
	if err != nil {
		return err
	}
	var n int64
	if p.Path == "" {
		m, err := w.Write(p.Data)
		if err != nil {
			return err
		}
		n = int64(m)
	} else {
		f, err := os.Open(p.Path)
		if err != nil {
			return err
		}
		defer f.Close()
		if n, err = io.Copy(w, f); err != nil {
			return err
		}
	}
	if uint64(n) != p.Header.CompressedSize64 {
		return fmt.Errorf("part holds %d bytes, its header says %d", n, p.Header.CompressedSize64)
	}
	return nil
}
