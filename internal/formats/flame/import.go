package flame

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// The importer (FORMATS.md §4.4) reads only key frames and key values of
// the shift and ref channels; curves are never evaluated. Trackers come out
// in sorted channel-path order, so all channels are read before the first
// tracker can be emitted.

// formatID names the importer in errors.
const formatID = "FlameStabilizer"

// key is one channel key: the file frame, truncated to an integer, and its value.
type key struct {
	frame int
	value float64
}

// lines reads raw lines (terminator kept: a channel line must end in LF)
// without copying them.
type lines struct{ *format.Lines }

func newLines(r io.Reader) *lines { return &lines{format.NewLines(r)} }

// next returns the next line, valid until the following call, or nil at
// the end of the input.
func (l *lines) next() []byte {
	if !l.Next() {
		return nil
	}
	return l.RawBytes()
}

// err is the read error that ended the lines, as a ParseError.
func (l *lines) err() error {
	if err := l.Err(); err != nil {
		return &format.ParseError{Format: formatID, Line: l.Line() + 1, Msg: "cannot read line", Err: err}
	}
	return nil
}

// class is a set of bytes, as in a regular expression's [...] or \d.
type class [256]bool

func newClass(extra string, ranges ...[2]byte) *class {
	var c class
	for _, r := range ranges {
		for b := int(r[0]); b <= int(r[1]); b++ {
			c[b] = true
		}
	}
	for i := 0; i < len(extra); i++ {
		c[extra[i]] = true
	}
	return &c
}

var (
	digits  = newClass("", [2]byte{'0', '9'})
	numbers = newClass("-.", [2]byte{'0', '9'})
	words   = newClass("_", [2]byte{'0', '9'}, [2]byte{'a', 'z'}, [2]byte{'A', 'Z'})
)

// Labels as byte slices, so that matching a line converts nothing.
var (
	labelFrameWidth  = []byte("FrameWidth ")
	labelFrameHeight = []byte("FrameHeight ")
	labelNode        = []byte("Node ")
	labelName        = []byte("Name ")
	labelChannel     = []byte("Channel ")
	labelSize        = []byte("Size ")
	labelFrame       = []byte("Frame ")
	labelValue       = []byte("Value ")
	labelEnd         = []byte("End")
)

// find is the unanchored match of `<label><one or more bytes of class>`:
// it returns the run of the leftmost occurrence that has one.
func find(line, label []byte, cl *class) ([]byte, bool) {
	for off := 0; ; {
		i := bytes.Index(line[off:], label)
		if i < 0 {
			return nil, false
		}
		start := off + i + len(label)
		end := start
		for end < len(line) && cl[line[end]] {
			end++
		}
		if end > start {
			return line[start:end], true
		}
		off += i + 1
	}
}

// channelPath matches a line containing `Channel <path>` ended by a line
// feed and returns the stripped path.
func channelPath(line []byte) (string, bool) {
	i := bytes.Index(line, labelChannel)
	if i < 0 || line[len(line)-1] != '\n' {
		return "", false
	}
	rest := line[i+len(labelChannel) : len(line)-1]
	if len(rest) == 0 {
		return "", false
	}
	return format.Strip(string(rest)), true
}

// useful reports whether a channel is one the trackers are built from.
func useful(path string) bool {
	return strings.Contains(path, "/shift/x") || strings.Contains(path, "/shift/y") ||
		strings.Contains(path, "/ref/x") || strings.Contains(path, "/ref/y")
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0
}

// isEnd reports whether the stripped line is exactly End.
func isEnd(line []byte) bool {
	i, j := 0, len(line)
	for i < j && isSpace(line[i]) {
		i++
	}
	for j > i && isSpace(line[j-1]) {
		j--
	}
	return string(line[i:j]) == "End"
}

// number converts a run of '-', digits and '.' with the lenient float().
func number(b []byte) float64 {
	var one [1]float64
	if v, ok := format.PlainNumbers(b, one[:0]); ok && len(v) == 1 {
		return v[0] // the usual "939.407", without a string
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return format.Float(string(b))
	}
	return v
}

// frameLimit keeps frames far from integer overflow; no real setup gets near.
const frameLimit = 1 << 53

func frameOf(b []byte) int {
	return int(math.Trunc(math.Max(-frameLimit, math.Min(frameLimit, number(b)))))
}

func importImporter(r io.Reader, s *format.Session) error {
	l := newLines(r)
	w, h, ok := scanSize(l)
	if err := l.err(); err != nil {
		return err
	}
	s.Width, s.Height = 0, 0
	if ok {
		s.Width, s.Height = w, h
	}
	channels, err := readChannels(l, s)
	if err != nil {
		return err
	}
	return assemble(channels, s)
}

// scanSize reads lines until both FrameWidth and FrameHeight are known.
func scanSize(l *lines) (w, h int, ok bool) {
	var haveW, haveH bool
	for !(haveW && haveH) {
		line := l.next()
		if line == nil {
			return 0, 0, false
		}
		if d, found := find(line, labelFrameWidth, digits); found {
			w, haveW = format.Int(string(d)), true
		} else if d, found := find(line, labelFrameHeight, digits); found {
			h, haveH = format.Int(string(d)), true
		}
	}
	return w, h, true
}

// readChannels collects the keys of every shift and ref channel by path.
func readChannels(l *lines, s *format.Session) (map[string][]key, error) {
	channels := make(map[string][]key)
	prefix := ""
	for line := l.next(); line != nil; line = l.next() {
		if _, ok := find(line, labelNode, words); ok {
			continue
		}
		if name, ok := find(line, labelName, words); ok {
			// Never seen in stabilizer setups; kept as the reference does it.
			prefix = string(name) + "/"
			continue
		}
		path, ok := channelPath(line)
		if !ok || !useful(path) {
			continue
		}
		path = prefix + path
		s.Report(`Parsing channel "` + path + `"`)
		keys, err := readChannel(l, path)
		if err != nil {
			return nil, err
		}
		channels[path] = keys
	}
	return channels, l.err()
}

// readChannel reads one channel body up to its End line.
func readChannel(l *lines, path string) ([]key, error) {
	start := l.Line()
	var keys []key
	for line := l.next(); line != nil; line = l.next() {
		if isEnd(line) {
			return keys, nil
		}
		d, ok := find(line, labelSize, digits)
		if !ok {
			continue // base value, extrapolation and the rest are not needed
		}
		n := format.Int(string(d))
		// Room for the keys the channel announces (a hostile count gets
		// no more than a file of that size could hold).
		keys = slices.Grow(keys, min(max(n, 0), 1<<16))
		for i := 0; i < n; i++ {
			k, err := readKey(l, path, i)
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return nil, format.Errorf(formatID, l.Line(), "channel %q opened at line %d: unexpected end of file, expected End", path, start)
}

// The initials of the labels of a key block, as bits.
const (
	hasE = 1 << iota
	hasF
	hasV
)

var initials = [256]byte{'E': hasE, 'F': hasF, 'V': hasV}

// labelInitials tells which of the initials line holds, 8 bytes at a time.
func labelInitials(line []byte) byte {
	if len(line) < 8 {
		var has byte
		for _, c := range line {
			has |= initials[c]
		}
		return has
	}
	// The last 8 bytes, then 8 at a time from the start: the two may
	// overlap, which does no harm to a set of initials.
	has := initialsOf(binary.LittleEndian.Uint64(line[len(line)-8:]))
	for ; len(line) > 8; line = line[8:] {
		has |= initialsOf(binary.LittleEndian.Uint64(line))
	}
	return has
}

// initialsOf tells which of the initials the 8 bytes of x hold. A byte
// of x^c·ones is 0 where x holds c; (y-ones)&^y&highs is non-zero exactly
// when some byte of y is 0.
func initialsOf(x uint64) (has byte) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if y := x ^ 'E'*ones; (y-ones)&^y&highs != 0 {
		has |= hasE
	}
	if y := x ^ 'F'*ones; (y-ones)&^y&highs != 0 {
		has |= hasF
	}
	if y := x ^ 'V'*ones; (y-ones)&^y&highs != 0 {
		has |= hasV
	}
	return has
}

// readKey reads one key block up to the line containing End.
func readKey(l *lines, path string, i int) (key, error) {
	k := key{frame: 1}
	for line := l.next(); line != nil; line = l.next() {
		// One look at the bytes tells which labels may be there, so that
		// most lines are searched for none (every line of every key
		// passes here).
		has := labelInitials(line)
		if has&hasE != 0 && bytes.Contains(line, labelEnd) {
			return k, nil
		}
		if has&hasF != 0 {
			if d, ok := find(line, labelFrame, numbers); ok {
				k.frame = frameOf(d)
			}
		}
		if has&hasV != 0 {
			if d, ok := find(line, labelValue, numbers); ok {
				k.value = number(d)
			}
		}
	}
	if err := l.err(); err != nil {
		return k, err
	}
	return k, format.Errorf(formatID, l.Line(), "key %d of channel %q: unexpected end of file, expected End", i, path)
}

// normalize orders keys by frame, the last key of a repeated frame winning.
func normalize(keys []key) []key {
	if !sort.SliceIsSorted(keys, func(i, j int) bool { return keys[i].frame < keys[j].frame }) {
		sort.SliceStable(keys, func(i, j int) bool { return keys[i].frame < keys[j].frame })
	}
	out := keys[:0]
	for _, k := range keys {
		if n := len(out); n > 0 && out[n-1].frame == k.frame {
			out[n-1] = k
			continue
		}
		out = append(out, k)
	}
	return out
}

// tuple is a frame with keys in both the x and the y channel.
type tuple struct {
	frame int
	x, y  float64
}

// zip pairs the keys of two normalized channels that share a frame.
func zip(xs, ys []key) []tuple {
	var out []tuple
	for i, j := 0, 0; i < len(xs) && j < len(ys); {
		switch {
		case xs[i].frame < ys[j].frame:
			i++
		case xs[i].frame > ys[j].frame:
			j++
		default:
			out = append(out, tuple{xs[i].frame, xs[i].value, ys[j].value})
			i++
			j++
		}
	}
	return out
}

// base is the first ref tuple at a frame the shift channels also have,
// else the first ref tuple.
func base(ref, shift []tuple) tuple {
	for i, j := 0, 0; i < len(ref) && j < len(shift); {
		switch {
		case ref[i].frame < shift[j].frame:
			i++
		case ref[i].frame > shift[j].frame:
			j++
		default:
			return ref[i]
		}
	}
	return ref[0]
}

// assemble builds a tracker from every ref/x channel, in path order.
func assemble(channels map[string][]key, s *format.Session) error {
	var refs []string
	for path, keys := range channels {
		channels[path] = normalize(keys)
		if strings.HasSuffix(path, "/ref/x") {
			refs = append(refs, path)
		}
	}
	sort.Strings(refs)
	for _, path := range refs {
		name := path[:strings.IndexByte(path, '/')]
		shift := zip(channels[name+"/shift/x"], channels[name+"/shift/y"])
		ref := zip(channels[name+"/ref/x"], channels[name+"/ref/y"])
		if len(shift) == 0 || len(ref) == 0 {
			continue // Flame writes unused trackers with empty channels
		}
		b := base(ref, shift)
		t := track.New(name)
		t.Keyframes = make([]track.Keyframe, len(shift))
		for i, p := range shift {
			// Flame frames start at 1, and the shift is the inverted offset
			// from the reference position.
			t.Keyframes[i] = track.Keyframe{Frame: p.frame - 1, X: b.x - p.x, Y: b.y - p.y}
		}
		if err := s.Emit(t); err != nil {
			return err
		}
	}
	return nil
}
