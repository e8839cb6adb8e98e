package aekeyframes

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

	"tracksgo/internal/formats/format"
)

const id = "AEKeyframes" // Importer.ID; naming it here would be an initialisation cycle

// bom is the UTF-8 byte order mark some editors put before the text.
var bom = []byte("\xef\xbb\xbf")

// signature is the first non-blank line, stripped (FORMATS.md §4.14.1).
var signature = regexp.MustCompile(`^Adobe After Effects [0-9]+(\.[0-9]+)? Keyframe Data$`)

// sniff claims a file whose first non-blank line is the signature. That
// line alone decides: nothing else starts with it, and a pasted keyframe
// block with a flaw further down is better told what is wrong with it
// (the importer's errors) than "unknown format".
func sniff(head []byte) int {
	head = bytes.TrimPrefix(head, bom)
	for len(head) > 0 {
		line := head
		head = nil
		if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
			line, head = line[:i], line[i+1:]
		}
		l := format.Strip(string(line))
		if l == "" {
			continue
		}
		if signature.MatchString(l) {
			return 2
		}
		return 0
	}
	return 0
}

// splitLines ends lines at LF, CRLF or a lone CR (classic Mac OS text).
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF:
		if len(data) == 0 {
			return 0, nil, nil
		}
		return len(data), data, nil
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data):
		if data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}
		return i + 1, data[:i], nil
	case atEOF:
		return i + 1, data[:i], nil
	default:
		return 0, nil, nil // a CR at the end of the buffer: is an LF next?
	}
}

// lines reads the text line by line, counting lines for error messages.
type lines struct {
	sc   *bufio.Scanner
	line int
	text string
}

func newLines(r io.Reader) *lines {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), format.MaxLine)
	sc.Split(splitLines)
	return &lines{sc: sc}
}

func (l *lines) next() bool {
	if !l.sc.Scan() {
		return false
	}
	l.line++
	l.text = l.sc.Text()
	if l.line == 1 {
		l.text = strings.TrimPrefix(l.text, string(bom))
	}
	return true
}

// err is the read error that ended the lines, if any, at the line that
// could not be read.
func (l *lines) err() error {
	err := l.sc.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return format.Errorf(id, l.line+1, "line longer than %d bytes", format.MaxLine)
	}
	return &format.ParseError{Format: id, Line: l.line + 1, Msg: "cannot read", Err: err}
}

// isSpace is the ASCII whitespace that separates fields of a line without TAB.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// headerFields splits an unindented line (or a header field) on TAB,
// strips every field and drops the empty ones at the end.
func headerFields(l string) []string {
	f := strings.Split(format.Strip(l), "\t")
	for i := range f {
		f[i] = format.Strip(f[i])
	}
	for len(f) > 0 && f[len(f)-1] == "" {
		f = f[:len(f)-1]
	}
	return f
}

// rowFields splits an indented line inside a block into the frame field
// and the values (FORMATS.md §4.14.2). Single TABs separate fields, so
// that a static row "<TAB><TAB>40<TAB>40" keeps its empty frame field.
func rowFields(l string) (frame string, values []string) {
	var f []string
	if i := strings.IndexByte(l, '\t'); i >= 0 {
		f = strings.Split(l, "\t")
		if format.Strip(l[:i]) != "" {
			f = append([]string{""}, f...)
		}
	} else {
		f = append([]string{""}, strings.FieldsFunc(l, isSpace)...)
	}
	if len(f) > 1 {
		frame = format.Strip(f[1])
	}
	if len(f) > 2 {
		values = f[2:]
		for i := range values {
			values[i] = format.Strip(values[i])
		}
		for len(values) > 0 && values[len(values)-1] == "" {
			values = values[:len(values)-1]
		}
	}
	return frame, values
}

// indented: the line's first character is a TAB or a space.
func indented(l string) bool {
	return l != "" && (l[0] == '\t' || l[0] == ' ')
}

// excerpt is text to quote in a message, shortened when long.
func excerpt(s string) string {
	const most = 60
	if len(s) <= most {
		return s
	}
	return s[:most] + "…"
}
