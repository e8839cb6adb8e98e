package shakescript

import (
	"bytes"
	"regexp"
)

// Shake writes a "// Shake v4…" banner (other writers a comment naming
// Shake) and a block of global settings at the top of every script.
var shakeHeader = regexp.MustCompile(`(?m)^(?:\s*//.*Shake|\s*#include\s*<nreal\.h>|\s*Set(?:TimeRange|Fps|DefaultWidth|DefaultHeight|FieldRendering)\s*\()`)

// headLines is how far from the top a header counts.
const headLines = 30

// declTypes start a variable or macro declaration ("curve float x = …",
// "image Macro(…) {…}").
var declTypes = map[string]bool{"image": true, "float": true, "int": true, "string": true, "curve": true, "void": true}

// sniffImporter scores a Shake script (FORMATS.md §11.5, §11.9): the
// statements of the head must all have a Shake shape, `Name = Func(…);`,
// `Func(…);` or a typed declaration, with only comments and `#include
// <nreal.h>` between them, and there must be one at least. Then a Shake
// banner or settings block near the top scores 2, else 1.
func sniffImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	n, ok := shakeStatements(head)
	if !ok || n == 0 {
		return 0 // a comment naming Shake alone is no script
	}
	top := head
	for i, lines := 0, 0; i < len(head); i++ {
		if head[i] == '\n' {
			lines++
			if lines == headLines {
				top = head[:i]
				break
			}
		}
	}
	if shakeHeader.Match(top) {
		return 2
	}
	return 1
}

// shakeStatements splits the head into top-level statements and checks the
// shape of each; it returns how many it checked. A statement cut by the end
// of the head must begin like one; it counts only where it was cut inside
// its argument list (a huge Tracker call).
func shakeStatements(head []byte) (int, bool) {
	var toks []string
	n := 0
	word := -1 // start of the identifier being read, or -1
	endWord := func(i int) {
		if word >= 0 {
			toks = append(toks, string(head[word:i]))
			word = -1
		}
	}
	check := func() bool {
		ok := len(toks) == 0 || shakeShape(toks)
		if len(toks) > 0 {
			n++
		}
		toks = toks[:0]
		return ok
	}
	for i := 0; i < len(head); i++ {
		c := head[i]
		if isWord(c) {
			if word < 0 {
				word = i
			}
			continue
		}
		endWord(i)
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c == '/' && i+1 < len(head) && (head[i+1] == '/' || head[i+1] == '*'):
			i = skipComment(head, i) - 1
		case c == '#' && len(toks) == 0:
			end := bytes.IndexByte(head[i:], '\n')
			if end < 0 {
				end = len(head) - i
			}
			if !bytes.Equal(bytes.Join(bytes.Fields(head[i:i+end]), nil), []byte("#include<nreal.h>")) {
				return n, false // a preprocessor line of another language, or a Markdown or shell comment
			}
			i += end
		case c == '"':
			i = skipString(head, i) - 1
			toks = append(toks, `""`)
		case c == '(':
			end, whole := skipNested(head, i, '(', ')')
			toks = append(toks, "()")
			if !whole {
				return n + 1, shakeShape(toks)
			}
			i = end - 1
		case c == '{':
			end, whole := skipNested(head, i, '{', '}')
			toks = append(toks, "{}")
			if !whole {
				return n + 1, shakeShape(toks)
			}
			i = end - 1
			if !check() { // a macro body ends its declaration
				return n, false
			}
		case c == ';':
			if !check() {
				return n, false
			}
		default:
			toks = append(toks, string(c))
		}
	}
	endWord(len(head))
	return n, shakePrefix(toks)
}

// shakeShape reports whether the tokens of one statement (identifiers,
// punctuation, "()" for an argument list, `""` for a string, "{}" for a
// block) have the shape of a Shake statement.
func shakeShape(t []string) bool {
	switch {
	case len(t) == 2 && isIdent(t[0]) && t[1] == "()": // SetFps(24)
		return true
	case len(t) == 4 && isIdent(t[0]) && t[1] == "=" && isIdent(t[2]) && t[3] == "()": // T = Tracker(…)
		return true
	case len(t) >= 2 && declTypes[t[0]] && isIdent(t[1]): // float x = 1, image M(…) {…}
		return true
	}
	return false
}

// shakePrefix reports whether the tokens of a statement cut short can
// begin a Shake statement.
func shakePrefix(t []string) bool {
	switch {
	case len(t) == 0:
		return true
	case !isIdent(t[0]):
		return false
	case len(t) == 1 || declTypes[t[0]] && isIdent(t[1]):
		return true
	}
	return t[1] == "=" && (len(t) == 2 || len(t) == 3 && isIdent(t[2]))
}

// isIdent is a name: word characters, not starting with a digit.
func isIdent(s string) bool {
	return s != "" && isWord(s[0]) && (s[0] < '0' || s[0] > '9')
}

// skipComment returns the index after the comment that starts at i.
func skipComment(b []byte, i int) int {
	if b[i+1] == '/' {
		if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(b)
	}
	if j := bytes.Index(b[i+2:], []byte("*/")); j >= 0 {
		return i + 2 + j + 2
	}
	return len(b)
}

// skipString returns the index after the string literal that starts at i.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// skipNested returns the index after the bracket that closes the one at i,
// passing over strings and comments; whole is false when the head ends
// first.
func skipNested(b []byte, i int, open, close byte) (end int, whole bool) {
	depth := 0
	for j := i; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			j = skipString(b, j) - 1
		case c == '/' && j+1 < len(b) && (b[j+1] == '/' || b[j+1] == '*'):
			j = skipComment(b, j) - 1
		case c == open:
			depth++
		case c == close:
			depth--
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return len(b), false
}
