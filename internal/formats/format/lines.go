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
// Raw() keeps them, for the formats whose quirks depend on them.
type Lines struct {
	sc   *bufio.Scanner
	line int
	raw  []byte
	err  error
	back bool
}

// NewLines reads r line by line.
func NewLines(r io.Reader) *Lines {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), MaxLine)
	sc.Split(scanRawLines)
	return &Lines{sc: sc}
}

func scanRawLines(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// Next advances to the next line; false at the end or on error (see Err).
func (l *Lines) Next() bool {
	if l.back {
		l.back = false
		return true
	}
	if !l.sc.Scan() {
		l.err = l.sc.Err()
		return false
	}
	l.line++
	l.raw = l.sc.Bytes()
	return true
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
