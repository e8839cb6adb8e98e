package format

import "fmt"

// ParseError is malformed input: which format, where, and what was expected.
type ParseError struct {
	Format string // importer id
	Line   int    // 1-based line, 0 if unknown
	Msg    string
	Err    error // optional cause
}

func (e *ParseError) Error() string {
	s := e.Format
	if e.Line > 0 {
		s += fmt.Sprintf(": line %d", e.Line)
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errorf builds a ParseError at a line.
func Errorf(formatID string, line int, msg string, args ...any) error {
	return &ParseError{Format: formatID, Line: line, Msg: fmt.Sprintf(msg, args...)}
}
