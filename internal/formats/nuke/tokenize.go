package nuke

import (
	"io"

	"tracksgo/internal/formats/format"
)

// formatID names the format in errors; it is Importer.ID, which cannot be
// referred to from here without an initialisation cycle.
const formatID = "NukeScript"

// maxDepth bounds list nesting: real scripts nest a handful of levels, and
// a hostile file must get an error rather than an ever-growing level stack.
const maxDepth = 1000

// kind is what an element of a parsed command is.
type kind uint8

const (
	word        kind = iota // a bare word or a quoted string
	braceList               // { … }
	bracketList             // [ … ]
	command                 // one command of a list of commands
)

// elem is one element of a parsed top-level command. A word is the span
// text[lo:hi] of the tokenizer's text arena; a list or a command is the run
// elems[lo:hi] of its children, which are stored contiguously.
type elem struct {
	kind kind
	// cmds marks a list that held a command-ending LF: its children are
	// commands rather than words and lists (FORMATS.md §4.8.1).
	cmds   bool
	lo, hi int
}

// level is one open list, or the top level (closer 0).
type level struct {
	closer  byte
	kind    kind
	line    int  // where the list opened, for errors
	mark    int  // len(stack) when the list opened: its content starts here
	cmdMark int  // where the current command starts in stack
	hadCmd  bool // a LF has ended a command in this list
}

// tokenizer splits a Nuke script into top-level commands with the TCL-like
// rules of FORMATS.md §4.8.1. It reads the input in chunks and keeps only
// the command being parsed, and of the commands only those whose first word
// keep accepts: everything else is scanned (for its structure) but not stored.
type tokenizer struct {
	r    io.Reader
	buf  []byte
	pos  int
	rerr error // read error or io.EOF, once the buffer is drained
	line int   // current line, 1-based

	keep func(class []byte) bool

	text    []byte // bytes of the words of the current command
	elems   []elem // children of closed lists and commands
	stack   []elem // elements of the lists still open, outermost first
	levels  []level
	inWord  bool
	wordLo  int
	discard bool // the current command is not kept
}

func newTokenizer(r io.Reader, keep func([]byte) bool) *tokenizer {
	return &tokenizer{
		r:      r,
		buf:    make([]byte, 0, 64<<10),
		line:   1,
		keep:   keep,
		levels: make([]level, 1, 16),
	}
}

// readByte returns the next input byte; false at the end or on a read
// error (see rerr).
func (t *tokenizer) readByte() (byte, bool) {
	if t.pos < len(t.buf) {
		c := t.buf[t.pos]
		t.pos++
		return c, true
	}
	return t.fill()
}

func (t *tokenizer) fill() (byte, bool) {
	for empty := 0; t.rerr == nil; empty++ {
		if empty == 100 { // a reader that never makes progress must not hang us
			t.rerr = io.ErrNoProgress
			break
		}
		n, err := t.r.Read(t.buf[:cap(t.buf)])
		t.buf, t.pos = t.buf[:n], 0
		if err != nil {
			t.rerr = err
		}
		if n > 0 {
			t.pos = 1
			return t.buf[0], true
		}
	}
	return 0, false
}

// word returns the text of a word element.
func (t *tokenizer) word(e elem) []byte { return t.text[e.lo:e.hi] }

// children returns the children of a list or command element.
func (t *tokenizer) children(e elem) []elem {
	if e.kind == word {
		return nil
	}
	return t.elems[e.lo:e.hi]
}

// next returns the next kept top-level command, valid until the following
// call, or io.EOF after the last one.
func (t *tokenizer) next() ([]elem, error) {
	t.reset()
	for {
		c, ok := t.readByte()
		if !ok {
			return t.atEnd()
		}
		lv := &t.levels[len(t.levels)-1]
		switch c {
		case lv.closer:
			if lv.closer == 0 { // a NUL byte at the top level is a word byte
				t.wordByte(c)
				continue
			}
			t.endWord()
			t.closeList()
		case ' ':
			t.endWord()
		case '\n':
			t.endWord()
			t.line++
			if len(t.levels) == 1 {
				if t.discard {
					t.reset()
				} else if len(t.stack) > 0 {
					return t.stack, nil
				}
			} else if !t.discard && len(t.stack) > lv.cmdMark {
				t.endCommand(lv)
			}
		case '\r':
			// Ignored outside quoted strings: Windows line endings.
		case '{':
			t.endWord()
			if err := t.open('}', braceList); err != nil {
				return nil, err
			}
		case '[':
			t.endWord()
			if err := t.open(']', bracketList); err != nil {
				return nil, err
			}
		case '"', '\'':
			t.endWord()
			if err := t.quoted(c); err != nil {
				return nil, err
			}
		default:
			t.wordByte(c)
			// Take the rest of the word from the buffer in one go.
			i := t.pos
			for i < len(t.buf) && !special[t.buf[i]] {
				i++
			}
			if !t.discard {
				t.text = append(t.text, t.buf[t.pos:i]...)
			}
			t.pos = i
		}
	}
}

// special marks the bytes that may end a word; any other byte continues it.
var special = [256]bool{' ': true, '\n': true, '\r': true, '{': true, '}': true, '[': true, ']': true, '"': true, '\'': true}

func (t *tokenizer) reset() {
	t.text = t.text[:0]
	t.elems = t.elems[:0]
	t.stack = t.stack[:0]
	t.levels = t.levels[:1]
	t.inWord = false
	t.discard = false
}

// atEnd finishes the input: the last command may lack its LF, but every
// list must be closed.
func (t *tokenizer) atEnd() ([]elem, error) {
	if t.rerr != io.EOF {
		return nil, &format.ParseError{Format: formatID, Line: t.line, Msg: "read error", Err: t.rerr}
	}
	if n := len(t.levels); n > 1 {
		lv := t.levels[n-1]
		open := "{"
		if lv.closer == ']' {
			open = "["
		}
		return nil, format.Errorf(formatID, lv.line, "the %q opened on this line is never closed with %q (input ends on line %d)", open, string(lv.closer), t.line)
	}
	t.endWord()
	if t.discard || len(t.stack) == 0 {
		t.reset()
		return nil, io.EOF
	}
	// The next call resets and meets the end again.
	return t.stack, nil
}

func (t *tokenizer) wordByte(c byte) {
	if t.discard {
		return
	}
	if !t.inWord {
		t.inWord = true
		t.wordLo = len(t.text)
	}
	t.text = append(t.text, c)
}

func (t *tokenizer) endWord() {
	if t.inWord {
		t.inWord = false
		t.push(elem{kind: word, lo: t.wordLo, hi: len(t.text)})
	}
}

// push adds a finished element to the innermost open list. The first
// element of a top-level command decides whether the command is kept.
func (t *tokenizer) push(e elem) {
	if t.discard {
		return
	}
	if len(t.levels) == 1 && len(t.stack) == 0 && (e.kind != word || !t.keep(t.word(e))) {
		t.discard = true
		t.text = t.text[:0]
		return
	}
	t.stack = append(t.stack, e)
}

func (t *tokenizer) open(closer byte, k kind) error {
	if len(t.levels) > maxDepth {
		return format.Errorf(formatID, t.line, "lists nested deeper than %d levels", maxDepth)
	}
	if len(t.levels) == 1 && len(t.stack) == 0 {
		// A command starting with a list is no node: skip its content.
		t.discard = true
	}
	t.levels = append(t.levels, level{closer: closer, kind: k, line: t.line, mark: len(t.stack), cmdMark: len(t.stack)})
	return nil
}

// endCommand wraps the elements of the current command of lv into one
// command element.
func (t *tokenizer) endCommand(lv *level) {
	lo := len(t.elems)
	t.elems = append(t.elems, t.stack[lv.cmdMark:]...)
	t.stack = append(t.stack[:lv.cmdMark], elem{kind: command, lo: lo, hi: len(t.elems)})
	lv.cmdMark = len(t.stack)
	lv.hadCmd = true
}

func (t *tokenizer) closeList() {
	lv := &t.levels[len(t.levels)-1]
	if !t.discard {
		if lv.hadCmd && len(t.stack) > lv.cmdMark {
			t.endCommand(lv) // the last command needs no LF
		}
		lo := len(t.elems)
		t.elems = append(t.elems, t.stack[lv.mark:]...)
		t.stack = t.stack[:lv.mark]
		e := elem{kind: lv.kind, cmds: lv.hadCmd, lo: lo, hi: len(t.elems)}
		t.levels = t.levels[:len(t.levels)-1]
		t.push(e)
		return
	}
	t.levels = t.levels[:len(t.levels)-1]
}

// quoted reads a string up to the next quote byte q. A backslash makes the
// next byte literal; as in the reference, the test is whether the text read
// so far ends in a backslash, so an escaped backslash escapes again.
func (t *tokenizer) quoted(q byte) error {
	start := t.line
	lo := len(t.text)
	esc := false
	for {
		c, ok := t.readByte()
		if !ok {
			if t.rerr != io.EOF {
				return &format.ParseError{Format: formatID, Line: t.line, Msg: "read error", Err: t.rerr}
			}
			return format.Errorf(formatID, start, "the string opened with %c on this line is never closed (input ends on line %d)", q, t.line)
		}
		if c == '\n' {
			t.line++
		}
		switch {
		case esc:
			if !t.discard {
				t.text[len(t.text)-1] = c
			}
			esc = c == '\\'
		case c == q:
			if !t.discard {
				t.push(elem{kind: word, lo: lo, hi: len(t.text)})
			}
			return nil
		default:
			if !t.discard {
				t.text = append(t.text, c)
			}
			esc = c == '\\'
		}
	}
}
