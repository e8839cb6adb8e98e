package format

import (
	"bufio"
	"errors"
	"strings"
)

// HeadLines splits the start of a file (as given to Sniff) into lines
// without terminators. A head that does not end in LF may have been cut
// mid-line, so its last line is dropped unless it is the only one.
func HeadLines(head []byte) []string {
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

// Error turns the error that ended the lines, if any, into a ParseError of
// the format id at the line that could not be read.
func (l *Lines) Error(id string) error {
	err := l.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return Errorf(id, l.Line()+1, "line longer than %d bytes", MaxLine)
	}
	return &ParseError{Format: id, Line: l.Line() + 1, Msg: "cannot read", Err: err}
}

// IsUint reports whether s is a run of decimal digits.
func IsUint(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsInt reports whether s is an optionally signed run of decimal digits.
func IsInt(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return IsUint(s)
}

// IsNumber reports whether s is exactly a decimal number: optional sign,
// digits with an optional fraction, optional exponent.
func IsNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	n := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n++
		}
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
		if i == e {
			return false
		}
	}
	return i == len(s)
}
