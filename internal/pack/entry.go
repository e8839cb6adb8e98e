package pack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// Entry reads one zip entry's uncompressed data, seekably, for
// http.ServeContent (which seeks to the end for the size, then to where a
// range starts). Deflate cannot seek: a seek only moves the position, and
// the read after it skips forward to there, opening the entry again when
// the position is behind what was read.
type Entry struct {
	f    *zip.File
	size int64
	rc   io.ReadCloser // nil until the first read
	at   int64         // where rc is
	pos  int64         // where the next read starts
}

// NewEntry reads f, whose reads check its CRC-32 and size at its end.
func NewEntry(f *zip.File) *Entry {
	return &Entry{f: f, size: int64(f.UncompressedSize64)}
}

// Read reads from the position.
func (e *Entry) Read(p []byte) (int, error) {
	if e.pos >= e.size {
		return 0, io.EOF
	}
	if e.rc == nil || e.at > e.pos {
		if err := e.reopen(); err != nil {
			return 0, err
		}
	}
	if skip := e.pos - e.at; skip > 0 {
		n, err := io.CopyN(io.Discard, e.rc, skip)
		e.at += n
		if err != nil {
			return 0, fmt.Errorf("%s: %w", e.f.Name, err)
		}
	}
	n, err := e.rc.Read(p)
	e.at += int64(n)
	e.pos = e.at
	return n, err
}

func (e *Entry) reopen() error {
	if e.rc != nil {
		e.rc.Close()
	}
	rc, err := e.f.Open()
	if err != nil {
		e.rc = nil
		return fmt.Errorf("%s: %w", e.f.Name, err)
	}
	e.rc, e.at = rc, 0
	return nil
}

// Seek moves the position; it reads nothing.
func (e *Entry) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += e.pos
	case io.SeekEnd:
		offset += e.size
	default:
		return 0, errors.New("pack: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("pack: seek before the start")
	}
	e.pos = offset
	return offset, nil
}

// Close closes the entry's reader, if one is open.
func (e *Entry) Close() error {
	if e.rc == nil {
		return nil
	}
	err := e.rc.Close()
	e.rc = nil
	return err
}
