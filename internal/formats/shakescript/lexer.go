package shakescript

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
)

// Limits of FORMATS.md §4.10.1: past them the input is not a Shake script.
const (
	maxBuffer = 32000
	maxDepth  = 127
	// maxNesting bounds how deep atoms nest in one another. Frames nest at
	// most maxDepth deep, but v@f tags chain without opening frames
	// (1@2@3…), and everything that walks atoms recurses.
	maxNesting = 4 * maxDepth
)

// kind tells what a lexed atom is.
type kind uint8

const (
	kInt         kind = iota // only digits
	kFloat                   // only '-', digits and '.'
	kString                  // started with a double quote
	kAtom                    // anything else, kept as text
	kValueAt                 // v@f: args[0] is the value (or absent), frame the frame
	kCall                    // name(args…), before evaluation
	kExpr                    // a {…} expression, contents discarded
	kArray                   // […]
	kAssign                  // [type] name = value: text is the name, typ the type
	kResult                  // an evaluated call: val holds what it returned
	kUnknownFunc             // a call we cannot evaluate
)

// node is one atom of the lexer's stacks.
type node struct {
	kind  kind
	num   float64 // kInt, kFloat
	text  string  // kString, kAtom, kCall name, kAssign variable name
	typ   string  // kAssign variable type
	frame int     // kValueAt
	line  int     // kCall: where the call opened, for errors
	args  []*node // kCall arguments, kArray elements, kValueAt/kAssign value (0 or 1)
	val   any     // kResult
	nest  int     // how deep atoms nest in this one
	// trk says a tracker node's result is in here at some depth: such
	// items are harvested instead of pushed (§4.10.2).
	trk bool
}

// frame is one nesting level of the lexer (§4.10.1).
type frame struct {
	buf     []byte
	stack   []*node
	comment bool
	single  bool // S: stop at the end of one statement or argument
	depth   int
}

// lexer reads a whole script character by character. With an evaluator
// it evaluates calls and harvests trackers as it goes; without one it only
// builds the atom tree (the lexer examples of the spec are written so).
type lexer struct {
	r    *bufio.Reader
	line int // 1-based line of the character being handled
	ev   *evaluator
}

func newLexer(r io.Reader, ev *evaluator) *lexer {
	return &lexer{r: bufio.NewReaderSize(r, 64<<10), line: 1, ev: ev}
}

// run lexes the whole input with one top-level frame and returns its atoms.
func (lx *lexer) run() ([]*node, error) {
	top := &frame{}
	if err := lx.parse(top); err != nil {
		return nil, err
	}
	return top.stack, nil
}

func (lx *lexer) errorf(msg string, args ...any) error {
	return format.Errorf(formatID, lx.line, msg, args...)
}

// parse reads characters into f until f stops: at the end of input, or at
// a character that closes it. The closing character belongs to f.
func (lx *lexer) parse(f *frame) error {
	for {
		c, err := lx.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return &format.ParseError{Format: formatID, Line: lx.line, Msg: "read error", Err: err}
		}
		if len(f.buf) > maxBuffer {
			return lx.errorf("Atom buffer overflow at %d bytes, this is definitely not a Shake script", maxBuffer)
		}
		if f.depth > maxDepth {
			return lx.errorf("Stack overflow at level %d, this is probably a LISP program uploaded by accident", maxDepth)
		}
		stop, err := lx.step(f, c)
		if c == '\n' {
			lx.line++
		}
		if err != nil {
			return err
		}
		if stop {
			break
		}
	}
	if f.comment {
		f.comment = false
		f.buf = f.buf[:0]
		return nil
	}
	return lx.consume(f)
}

// step applies the character rules of §4.10.1, first match wins, and
// reports whether c stops the frame.
func (lx *lexer) step(f *frame, c byte) (bool, error) {
	switch {
	case c == '/' && len(f.buf) > 0 && f.buf[len(f.buf)-1] == '/':
		f.buf = f.buf[:len(f.buf)-1]
		if err := lx.consume(f); err != nil {
			return false, err
		}
		f.comment = true
	case f.comment && c == '\n':
		f.comment = false
		f.buf = f.buf[:0]
	case f.comment:
		f.buf = append(f.buf, c)
	case c == '(' && len(f.buf) > 0:
		line := lx.line
		child := &frame{depth: f.depth + 1}
		if err := lx.parse(child); err != nil {
			return false, err
		}
		call := &node{kind: kCall, text: format.Strip(string(f.buf)), line: line, args: child.stack}
		f.buf = f.buf[:0]
		return false, lx.push(f, call)
	case c == '{':
		child := &frame{single: true, depth: f.depth + 1}
		if err := lx.parse(child); err != nil {
			return false, err
		}
		return false, lx.push(f, &node{kind: kExpr})
	case c == '[':
		// The reference starts arrays at depth 0; counting them like any
		// other frame keeps the recursion bounded whatever the input.
		child := &frame{depth: f.depth + 1}
		if err := lx.parse(child); err != nil {
			return false, err
		}
		return false, lx.push(f, &node{kind: kArray, args: child.stack})
	case c == '}':
		return true, nil
	case c == ']' || c == ')' || (c == ';' && f.single):
		return true, nil // the buffer is consumed when the frame stops
	case c == ',':
		return f.single, lx.consume(f)
	case c == '@':
		if err := lx.consume(f); err != nil {
			return false, err
		}
		f.buf = append(f.buf, '@')
	case c == '\n' || c == ';':
	case c == '=':
		typ, name := vardef(format.Strip(string(f.buf)))
		child := &frame{single: true, depth: f.depth + 1}
		if err := lx.parse(child); err != nil {
			return false, err
		}
		a := &node{kind: kAssign, text: name, typ: typ}
		if len(child.stack) > 0 {
			a.args = child.stack[:1:1]
		}
		f.buf = f.buf[:0]
		return false, lx.push(f, a)
	default:
		f.buf = append(f.buf, c)
	}
	return false, nil
}

// consume turns the buffer into an atom, if it holds any, and pushes it.
func (lx *lexer) consume(f *frame) error {
	s := format.Strip(string(f.buf))
	f.buf = f.buf[:0]
	if s == "" {
		return nil
	}
	return lx.push(f, classify(s, f))
}

// classify makes an atom of stripped, non-empty text (§4.10.1). A v@f
// frame tag takes the atom before it off the frame's stack as its value.
func classify(s string, f *frame) *node {
	switch {
	case onlyOf(s, "0123456789"):
		return &node{kind: kInt, num: number(s)}
	case s[0] == '"':
		s = strings.TrimSuffix(s[1:], `"`)
		return &node{kind: kString, text: strings.ReplaceAll(s, `\"`, `"`)}
	case onlyOf(s, "-0123456789."):
		return &node{kind: kFloat, num: number(s)}
	case isFrameTag(s):
		n := &node{kind: kValueAt, frame: format.Int(s[1:])}
		if k := len(f.stack); k > 0 {
			v := f.stack[k-1]
			f.stack = f.stack[:k-1]
			n.args = []*node{v}
			n.trk = v.trk
			n.nest = v.nest + 1
		}
		return n
	}
	return &node{kind: kAtom, text: s}
}

// number is float() of text made of '-', digits and '.': a well formed
// number parses directly (most do), anything else leniently.
func number(s string) float64 {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v
	}
	return format.Float(s)
}

func onlyOf(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// isFrameTag reports whether s is "@", an optional "-" and digits, then anything.
func isFrameTag(s string) bool {
	if s[0] != '@' {
		return false
	}
	s = strings.TrimPrefix(s[1:], "-")
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// vardef splits a variable spec: the name is the trailing run of word
// characters, the type the rest (default image).
func vardef(spec string) (typ, name string) {
	i := len(spec)
	for i > 0 && isWord(spec[i-1]) {
		i--
	}
	typ = format.Strip(spec[:i])
	if typ == "" {
		typ = "image"
	}
	return typ, spec[i:]
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// push puts an atom on the frame's stack. With an evaluator, items holding
// a tracker node's result are harvested instead, and calls are replaced by
// what they evaluate to.
func (lx *lexer) push(f *frame, n *node) error {
	if n.kind == kCall || n.kind == kArray || n.kind == kAssign {
		for _, a := range n.args {
			n.trk = n.trk || a.trk
			n.nest = max(n.nest, a.nest+1)
		}
	}
	if n.nest > maxNesting {
		return lx.errorf("values nested more than %d levels deep, this is not a Shake script", maxNesting)
	}
	if lx.ev != nil {
		if n.trk {
			return lx.ev.harvest(n)
		}
		if n.kind == kCall {
			r, err := lx.ev.call(n)
			if err != nil {
				return err
			}
			r.nest = n.nest // values keep the shape of the arguments
			n = r
		}
	}
	f.stack = append(f.stack, n)
	return nil
}

// brief is String cut short, for error messages.
func (n *node) brief() string {
	s := n.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// String writes an atom the way the spec writes lexer results, for tests
// and error messages.
func (n *node) String() string {
	if n == nil {
		return "nothing"
	}
	list := func(ns []*node) string {
		s := make([]string, len(ns))
		for i, a := range ns {
			s[i] = a.String()
		}
		return strings.Join(s, ", ")
	}
	switch n.kind {
	case kInt, kFloat:
		return strconv.FormatFloat(n.num, 'g', -1, 64)
	case kString:
		return strconv.Quote(n.text)
	case kAtom:
		return "ATOM " + n.text
	case kValueAt:
		var v *node
		if len(n.args) > 0 {
			v = n.args[0]
		}
		return fmt.Sprintf("VALUE_AT(%d, %s)", n.frame, v)
	case kCall:
		if len(n.args) == 0 {
			return "CALL(" + n.text + ")"
		}
		return "CALL(" + n.text + ", " + list(n.args) + ")"
	case kExpr:
		return "EXPR"
	case kArray:
		return "ARRAY[" + list(n.args) + "]"
	case kAssign:
		var v *node
		if len(n.args) > 0 {
			v = n.args[0]
		}
		return fmt.Sprintf("ASSIGN(vardef(%s, %s), %s)", n.typ, n.text, v)
	case kResult:
		return fmt.Sprintf("RESULT(%v)", n.val)
	case kUnknownFunc:
		return "UNKNOWN_FUNC"
	}
	return "?"
}

// formatID is Importer.ID, which the error paths cannot refer to without
// an initialisation cycle.
const formatID = "ShakeScript"
