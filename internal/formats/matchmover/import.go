package matchmover

import (
	"bytes"
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// rz2ID is Importer.ID (which the importer cannot name without an
// initialisation cycle).
const rz2ID = "MatchMover"

// The two errors FORMATS.md §4.5 names.
const (
	errNoDimensions = "Cannot detect the dimensions of the comp from the file"
	errNoData       = "No tracker data after detecting format"
)

// sniffImporter scores an .rz2 file: it opens with an imageSequence block.
func sniffImporter(head []byte) int {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		// The keyword, then the sequence's name (or the end of the head).
		rest, ok := bytes.CutPrefix(line, []byte("imageSequence"))
		if ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t') {
			return 2
		}
		return 0
	}
	return 0
}

// importImporter reads an .rz2 file (FORMATS.md §4.5).
func importImporter(r io.Reader, s *format.Session) error {
	const id = rz2ID
	ln := format.NewLines(r)
	for i := 0; i < 3; i++ {
		if !ln.Next() {
			if err := ln.Err(); err != nil {
				return readError(id, ln, err)
			}
			return format.Errorf(id, ln.Line(), "%s: the file ends before the third line", errNoDimensions)
		}
	}
	// The third line holds the size (and usually the sequence).
	line := ln.Text()
	w, h, ok := twoInts(line)
	if !ok {
		return format.Errorf(id, ln.Line(), "%s: expected width and height on the third line", errNoDimensions)
	}
	s.Width, s.Height = w, h
	s.Sized()

	// The sequence path may span lines; the block ends at "}".
	first := 0
	for {
		if strings.Contains(line, "}") {
			break
		}
		if f, ok := sequenceStart(line); ok {
			first = f
			break
		}
		if !ln.Next() {
			if err := ln.Err(); err != nil {
				return readError(id, ln, err)
			}
			break
		}
		line = ln.Text()
	}
	if !ln.Next() {
		if err := ln.Err(); err != nil {
			return readError(id, ln, err)
		}
		return format.Errorf(id, ln.Line(), errNoData)
	}
	ln.Back()

	var keys []keyAt
	for ln.Next() {
		line := ln.Text()
		if !strings.HasPrefix(line, "pointTrack") {
			continue
		}
		t := track.New(firstQuoted(line))
		s.Report("Reading tracker " + t.Name)
		opened := ln.Line()
		closed := false
		keys = keys[:0]
		for ln.Next() {
			if k, ok := fastKey(ln.RawBytes(), first, h); ok {
				keys = append(keys, keyAt{k, ln.Line()})
				continue
			}
			line := ln.Text()
			if strings.Contains(line, "}") {
				closed = true
				break
			}
			if !isKeyLine(line) {
				continue
			}
			k, ok := parseKey(line, first, h)
			if !ok {
				return format.Errorf(id, ln.Line(), "expected a keyframe line: frame, x and y separated by whitespace, got %q", clip(line))
			}
			keys = append(keys, keyAt{k, ln.Line()})
		}
		if !closed {
			if err := ln.Err(); err != nil {
				return readError(id, ln, err)
			}
			return format.Errorf(id, opened, "Track didn't close: no \"}\" ends tracker %q", t.Name)
		}
		kfs, dup := strictKeys(keys)
		if dup != nil {
			return &format.ParseError{Format: id, Line: dup.line, Msg: "frame repeated within a tracker",
				Err: &track.DuplicateFrameError{Tracker: t.Name, Frame: dup.Frame}}
		}
		t.Keyframes = kfs
		if err := s.Emit(t); err != nil {
			return err
		}
	}
	if err := ln.Err(); err != nil {
		return readError(id, ln, err)
	}
	return nil
}

func readError(id string, ln *format.Lines, err error) error {
	return &format.ParseError{Format: id, Line: ln.Line() + 1, Msg: "cannot read the line", Err: err}
}

// clip shortens a line quoted in an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isSpace is Ruby's \s, which the MatchMover rules of the reference use.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isNum is a character of a MatchMover number: [-\d.].
func isNum(c byte) bool { return c == '-' || c == '.' || isDigit(c) }

// twoInts returns the first two runs of digits of s.
func twoInts(s string) (int, int, bool) {
	var n [2]int
	found := 0
	for i := 0; i < len(s) && found < 2; {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		n[found] = format.Int(s[i:j])
		found++
		i = j
	}
	return n[0], n[1], found == 2
}

// sequenceStart finds "b( first length step )" with single spaces.
func sequenceStart(s string) (int, bool) {
	for i := 0; ; {
		j := strings.Index(s[i:], "b( ")
		if j < 0 {
			return 0, false
		}
		p := i + j + 3
		first, p, ok1 := seqInt(s, p)
		ok := ok1 && p < len(s) && s[p] == ' '
		if ok {
			_, p, ok = seqInt(s, p+1)
		}
		ok = ok && p < len(s) && s[p] == ' '
		if ok {
			_, p, ok = seqInt(s, p+1)
		}
		if ok && strings.HasPrefix(s[p:], " )") {
			return first, true
		}
		i += j + 1
	}
}

// seqInt reads an optionally negative run of digits at p.
func seqInt(s string, p int) (int, int, bool) {
	start := p
	if p < len(s) && s[p] == '-' {
		p++
	}
	d := p
	for p < len(s) && isDigit(s[p]) {
		p++
	}
	if p == d {
		return 0, start, false
	}
	return format.Int(s[start:p]), p, true
}

// firstQuoted is the text between the first two double quotes, or "".
func firstQuoted(s string) string {
	i := strings.IndexByte(s, '"')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(s[i+1:], '"')
	if j < 0 {
		return ""
	}
	return s[i+1 : i+1+j]
}

// isKeyLine: whitespace, then a digit, at the start of the line.
func isKeyLine(s string) bool {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i > 0 && i < len(s) && isDigit(s[i])
}

// fastKey reads the usual key line, "\t16\t 661.160  337.373  p+( 0.912 )"
// with plain numbers and an optional correlation, in one pass and
// without a copy. ok is false for any other line, which then takes the
// general way (isKeyLine, parseKey) that gives the same for these.
func fastKey(b []byte, first, h int) (track.Keyframe, bool) {
	i := format.SkipSpace(b, 0)
	if i == 0 || i == len(b) || !isDigit(b[i]) {
		return track.Keyframe{}, false
	}
	frame := 0
	for start := i; i < len(b) && isDigit(b[i]); i++ {
		if i-start == 9 {
			return track.Keyframe{}, false // Int's way with long numbers
		}
		frame = frame*10 + int(b[i]-'0')
	}
	var xy [2]float64
	for n := range xy {
		j := format.SkipSpace(b, i)
		v, end, ok := format.ScanPlain(b, j)
		if j == i || !ok || end < len(b) && !isSpace(b[end]) {
			return track.Keyframe{}, false
		}
		xy[n], i = v, end
	}
	k := track.Keyframe{Frame: frame - first, X: xy[0], Y: float64(h) - xy[1]}
	if i = format.SkipSpace(b, i); i == len(b) {
		return k, true
	}
	// "p+( c )" or "p*( c )", then nothing but whitespace
	if len(b)-i < 3 || b[i] != 'p' || b[i+1] != '+' && b[i+1] != '*' || b[i+2] != '(' {
		return track.Keyframe{}, false
	}
	i += 3
	j := format.SkipSpace(b, i)
	c, end, ok := format.ScanPlain(b, j)
	if j == i || !ok || end == len(b) || !isSpace(b[end]) {
		return track.Keyframe{}, false
	}
	if i = format.SkipSpace(b, end); i == len(b) || b[i] != ')' || format.SkipSpace(b, i+1) != len(b) {
		return track.Keyframe{}, false
	}
	k.Residual = 1 - c
	return k, true
}

// parseKey reads "frame x y" (the first place in the line where a run of
// digits, whitespace, a number, whitespace and a number follow each other)
// and the correlation of "p+( v )" or "p*( v )".
func parseKey(line string, first, h int) (track.Keyframe, bool) {
	s := strip(line)
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			continue
		}
		p := i
		for p < len(s) && isDigit(s[p]) {
			p++
		}
		frame := s[i:p]
		x, p, ok := spacedNum(s, p)
		if !ok {
			continue
		}
		y, _, ok := spacedNum(s, p)
		if !ok {
			continue
		}
		k := track.Keyframe{
			Frame: format.Int(frame) - first,
			X:     format.Float(x),
			Y:     float64(h) - format.Float(y),
		}
		if c, ok := correlation(s); ok {
			k.Residual = 1 - format.Float(c)
		}
		return k, true
	}
	return track.Keyframe{}, false
}

// spacedNum reads one or more whitespace characters and then a number run.
func spacedNum(s string, p int) (string, int, bool) {
	q := p
	for q < len(s) && isSpace(s[q]) {
		q++
	}
	if q == p {
		return "", p, false
	}
	e := q
	for e < len(s) && isNum(s[e]) {
		e++
	}
	if e == q {
		return "", p, false
	}
	return s[q:e], e, true
}

// correlation finds the value of the first "p+( v )" or "p*( v )".
func correlation(s string) (string, bool) {
	for off := 0; ; {
		j := strings.IndexByte(s[off:], '(')
		if j < 0 {
			return "", false
		}
		open := off + j
		off = open + 1
		if open < 2 || s[open-2] != 'p' || (s[open-1] != '+' && s[open-1] != '*') {
			continue
		}
		v, p, ok := spacedNum(s, open+1)
		if !ok {
			continue
		}
		q := p
		for q < len(s) && isSpace(s[q]) {
			q++
		}
		if q > p && q < len(s) && s[q] == ')' {
			return v, true
		}
	}
}

// strip is format.Strip without the closure, for the hot key lines.
func strip(s string) string {
	i, j := 0, len(s)
	for i < j && (isSpace(s[i]) || s[i] == 0) {
		i++
	}
	for j > i && (isSpace(s[j-1]) || s[j-1] == 0) {
		j--
	}
	return s[i:j]
}
