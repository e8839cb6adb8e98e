package format

import (
	"bufio"
	"bytes"
	"io"
)

// MaxLine bounds one line of a text format, so that a binary or hostile
// upload cannot make a reader buffer without limit.
const MaxLine = 1 << 20

// Lines reads a text file line by line, counting lines for error messages.
// Text() has no line terminator (LF, and a CR before it, are removed);
// Raw() keeps them, for the formats whose quirks depend on them. It finds
// the line ends in a large buffer itself: the largest files have hundreds
// of thousands of short lines, and a bufio.Scanner costs more per line.
type Lines struct {
	r          io.Reader
	buf        []byte
	start, end int // the unread data is buf[start:end]
	eof        bool
	line       int
	raw        []byte
	err        error
	back       bool
}

// NewLines reads r line by line.
func NewLines(r io.Reader) *Lines {
	return &Lines{r: r, buf: make([]byte, 64<<10)}
}

// Next advances to the next line; false at the end or on error (see Err).
func (l *Lines) Next() bool {
	if l.back {
		l.back = false
		return true
	}
	// from: where to look for the line feed; the bytes before have none.
	for empty, from := 0, l.start; ; {
		if i := bytes.IndexByte(l.buf[from:l.end], '\n'); i >= 0 {
			l.raw = l.buf[l.start : from+i+1]
			l.start = from + i + 1
			l.line++
			return true
		}
		from = l.end
		if l.eof {
			if l.start == l.end || l.err != nil {
				return false
			}
			l.raw = l.buf[l.start:l.end] // the last line, without a line feed
			l.start = l.end
			l.line++
			return true
		}
		// Keep the start of the line and read more after it.
		if l.start > 0 {
			from -= l.start
			l.end = copy(l.buf, l.buf[l.start:l.end])
			l.start = 0
		}
		if l.end == len(l.buf) {
			if len(l.buf) >= MaxLine {
				l.err = bufio.ErrTooLong
				return false
			}
			l.buf = append(l.buf, make([]byte, min(len(l.buf), MaxLine-len(l.buf)))...)
		}
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		switch {
		case err == io.EOF:
			l.eof = true
		case err != nil:
			l.eof, l.err = true, err
		case n == 0:
			if empty++; empty == 100 {
				l.eof, l.err = true, io.ErrNoProgress
			}
		}
	}
}

// Back makes the next call to Next return the current line again.
func (l *Lines) Back() { l.back = true }

// Line is the 1-based number of the current line.
func (l *Lines) Line() int { return l.line }

// Raw is the current line with its terminator.
func (l *Lines) Raw() string { return string(l.raw) }

// RawBytes is Raw without a copy: valid until the next call to Next.
func (l *Lines) RawBytes() []byte { return l.raw }

// Text is the current line without LF or CRLF.
func (l *Lines) Text() string {
	b := l.raw
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return string(b)
}

// Err is the read error that ended the lines, if any. A line longer than
// MaxLine is reported as bufio.ErrTooLong.
func (l *Lines) Err() error { return l.err }
