package boujou

import (
	"bufio"
	"errors"
	"strings"

	"tracksgo/internal/formats/format"
)

// headLines splits the start of a file into lines without terminators. A
// head that does not end in LF may have been cut mid-line, so its last line
// is dropped unless it is the only one.
func headLines(head []byte) []string {
	s := string(head)
	cut := !strings.HasSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\n")
	ls := strings.Split(s, "\n")
	if cut && len(ls) > 1 {
		ls = ls[:len(ls)-1]
	}
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// readError turns the error that ended a line reader into a ParseError.
func readError(id string, l *format.Lines) error {
	err := l.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return format.Errorf(id, l.Line()+1, "line longer than %d bytes", format.MaxLine)
	}
	return &format.ParseError{Format: id, Line: l.Line() + 1, Msg: "cannot read", Err: err}
}
