package aekeyframes

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// kind is what a block's rows are to the importer.
type kind int

const (
	ignored    kind = iota // rows are skipped unread
	point                  // Position, Anchor Point, a corner: x, y
	feature                // Motion Trackers Feature Center: x, y
	attach                 // Motion Trackers Attach Point: x, y
	confidence             // Motion Trackers Confidence: percent
)

// block is one block header and what its rows gave.
type block struct {
	header string // the header's fields joined by spaces, for messages
	kind   kind
	tr     *tracker // nil for ignored blocks
	open   bool     // a column line or a row was seen: no column line follows
	keys   int      // keyframe rows
}

// tracker gathers the rows of the blocks that make one tracker, with y
// as written: the comp height is only known at the end of the file.
type tracker struct {
	name   string           // before sanitising and making it unique
	points []track.Keyframe // Position, Anchor Point, corner or Feature Center rows
	attach []track.Keyframe // Attach Point rows
	conf   map[int]float64  // frame -> Confidence percent, the last row wins
}

// trackerKey is a Motion Trackers point of a copied layer.
type trackerKey struct {
	layer        int
	tracker, pnt string
}

// streamIndex is the ", #2" with which the clipboard numbers streams.
var streamIndex = regexp.MustCompile(` #([0-9]+)$`)

// corners maps a corner field without its stream index, lower-cased, to
// the tracker name the Flame cornerpin exporters use (FORMATS.md §4.14.5).
var corners = map[string]string{
	"upper left": "top_left", "top left": "top_left", "cc power pin-0002": "top_left",
	"upper right": "top_right", "top right": "top_right", "cc power pin-0003": "top_right",
	"lower left": "bottom_left", "bottom left": "bottom_left", "cc power pin-0004": "bottom_left",
	"lower right": "bottom_right", "bottom right": "bottom_right", "cc power pin-0005": "bottom_right",
}

// importer is the state of one import.
type importer struct {
	s        *format.Session
	layer    int
	blocks   []*block
	cur      *block // the open block, nil before the first and after Layer
	trackers []*tracker
	points   map[trackerKey]*tracker
	header   map[string]string // header fields: key -> value, a later one wins
}

// importKeyframes reads AE keyframe data (FORMATS.md §4.14): the
// signature, header fields, then blocks, of which Position, Anchor Point,
// Motion Trackers points and corner pin corners become trackers.
func importKeyframes(r io.Reader, s *format.Session) error {
	im := &importer{s: s, layer: 1, points: map[trackerKey]*tracker{}, header: map[string]string{}}
	ls := newLines(r)
	if err := im.readSignature(ls); err != nil {
		return err
	}
	if err := im.readBlocks(ls); err != nil {
		return err
	}
	return im.finish()
}

func (im *importer) readSignature(ls *lines) error {
	for ls.next() {
		l := format.Strip(ls.text)
		if l == "" {
			continue
		}
		if !signature.MatchString(l) {
			return format.Errorf(id, ls.line, `expected "Adobe After Effects <version> Keyframe Data"`)
		}
		return nil
	}
	if err := ls.err(); err != nil {
		return err
	}
	return format.Errorf(id, ls.line+1, `expected "Adobe After Effects <version> Keyframe Data", got the end of the file`)
}

func (im *importer) readBlocks(ls *lines) error {
	for ls.next() {
		raw := ls.text
		l := format.Strip(raw)
		switch {
		case l == "":
			// Blank lines separate blocks but never end one.
		case !indented(raw):
			switch {
			case l == "End of Keyframe Data":
				return nil
			case l == "Layer":
				im.layer++
				im.cur = nil
			case l == "Expression Data":
				if err := skipExpression(ls); err != nil {
					return err
				}
			case strings.ContainsRune("0123456789+-.", rune(l[0])):
				return format.Errorf(id, ls.line, "a keyframe row must be indented with a TAB, got %q", excerpt(l))
			default:
				im.open(headerFields(l))
			}
		case im.cur == nil:
			f := headerFields(l)
			if len(f) >= 2 {
				im.header[f[0]] = f[1]
			}
		default:
			if err := im.row(raw, ls.line); err != nil {
				return err
			}
		}
	}
	return ls.err()
}

// skipExpression skips free text up to and including "End of Expression Data".
func skipExpression(ls *lines) error {
	for ls.next() {
		if format.Strip(ls.text) == "End of Expression Data" {
			return nil
		}
	}
	return ls.err()
}

// open starts a block and finds the tracker its rows go to.
func (im *importer) open(f []string) {
	b := &block{header: strings.Join(f, " ")}
	im.blocks = append(im.blocks, b)
	im.cur = b
	switch {
	case len(f) == 1 && f[0] == "Position", len(f) == 2 && f[0] == "Transform" && f[1] == "Position":
		b.kind, b.tr = point, im.add("Position")
	case len(f) == 1 && f[0] == "Anchor Point", len(f) == 2 && f[0] == "Transform" && f[1] == "Anchor Point":
		b.kind, b.tr = point, im.add("Anchor Point")
	case len(f) >= 4 && f[0] == "Motion Trackers":
		switch f[3] {
		case "Feature Center":
			b.kind = feature
		case "Attach Point":
			b.kind = attach
		case "Confidence":
			b.kind = confidence
		default:
			return
		}
		k := trackerKey{im.layer, f[1], f[2]}
		if b.tr = im.points[k]; b.tr == nil {
			b.tr = im.add(unnumbered(f[1]) + " " + unnumbered(f[2]))
			im.points[k] = b.tr
		}
	case len(f) == 3 && f[0] == "Effects":
		effect := strings.ToLower(streamIndex.ReplaceAllString(f[1], ""))
		if effect != "corner pin" && effect != "cc power pin" {
			return
		}
		if name, ok := corners[strings.ToLower(streamIndex.ReplaceAllString(f[2], ""))]; ok {
			b.kind, b.tr = point, im.add(name)
		}
	}
	if b.tr != nil {
		im.s.Report("Reading " + b.header)
	}
}

// unnumbered turns the clipboard's "Tracker #1" into AE's "Tracker 1".
func unnumbered(s string) string {
	return streamIndex.ReplaceAllString(s, " $1")
}

func (im *importer) add(name string) *tracker {
	t := &tracker{name: name}
	im.trackers = append(im.trackers, t)
	return t
}

// frameLimit keeps frames far from integer overflow; no real shot gets near.
const frameLimit = 1 << 53

// row reads an indented line of the open block.
func (im *importer) row(raw string, line int) error {
	b := im.cur
	frame, values := rowFields(raw)
	if !b.open && strings.HasPrefix(frame, "Frame") {
		b.open = true // the column line: x and y are always the first two values
		return nil
	}
	b.open = true
	if b.kind == ignored || frame == "" {
		return nil // rows of other properties, and static values, give no keyframe
	}
	fv, ok := number(frame)
	if !ok || math.Abs(fv) >= frameLimit {
		return format.Errorf(id, line, "expected a frame number, got %q", excerpt(frame))
	}
	k := track.Keyframe{Frame: int(math.Trunc(fv))}
	if b.kind == confidence {
		if len(values) < 1 {
			return format.Errorf(id, line, "expected a confidence value after the frame, got %d value(s)", len(values))
		}
		c, err := value(values[0], line)
		if err != nil {
			return err
		}
		if b.tr.conf == nil {
			b.tr.conf = map[int]float64{}
		}
		b.tr.conf[k.Frame] = c
		b.keys++
		return nil
	}
	if len(values) < 2 {
		return format.Errorf(id, line, "expected X and Y after the frame, got %d value(s)", len(values))
	}
	var err error
	if k.X, err = value(values[0], line); err != nil {
		return err
	}
	if k.Y, err = value(values[1], line); err != nil {
		return err
	}
	if b.kind == attach {
		b.tr.attach = append(b.tr.attach, k)
	} else {
		b.tr.points = append(b.tr.points, k)
	}
	b.keys++
	return nil
}

// number parses a strict decimal number (FORMATS.md §4.14.2): no inf,
// nan, hex or underscores, and nothing beyond float64's range.
func number(s string) (float64, bool) {
	if !format.IsNumber(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && (math.IsInf(v, 0) || math.IsNaN(v)) {
		return 0, false
	}
	return v, true
}

func value(s string, line int) (float64, error) {
	v, ok := number(s)
	if !ok {
		return 0, format.Errorf(id, line, "expected a number, got %q", excerpt(s))
	}
	return v, nil
}

// finish picks each tracker's keyframes, settles the comp size, names the
// trackers and emits them in the order of their first block.
func (im *importer) finish() error {
	type result struct {
		name string
		keys []track.Keyframe
		conf map[int]float64
	}
	var out []result
	for _, t := range im.trackers {
		keys := t.points
		if len(keys) == 0 {
			keys = t.attach // Feature Center is the track; Attach Point where it is missing
		}
		if len(keys) > 0 {
			out = append(out, result{t.name, keys, t.conf})
		}
	}
	if len(out) == 0 {
		return &format.UserError{Code: format.CodeNoTrackersRecovered, Msg: id + ": " + im.noTrack()}
	}
	if err := im.size(); err != nil {
		return err
	}
	h := float64(im.s.Height)
	taken := map[string]bool{}
	for _, r := range out {
		name := unique(track.SanitizeName(r.name), taken)
		t := track.New(name)
		t.Keyframes = r.keys
		for i := range t.Keyframes {
			k := &t.Keyframes[i]
			k.Y = h - k.Y // AE's Y grows down from the top-left corner
			if c, ok := r.conf[k.Frame]; ok {
				k.Residual = max(0, 1-c/100)
			}
		}
		if err := im.s.EmitUnordered(t); err != nil {
			return err
		}
	}
	return nil
}

// unique makes a name that an earlier tracker took free with _2, _3, …
func unique(name string, taken map[string]bool) string {
	n := name
	for i := 2; taken[n]; i++ {
		n = fmt.Sprintf("%s_%d", name, i)
	}
	taken[n] = true
	return n
}

// maxSize bounds a usable Source Width/Height: a larger one is no frame
// size, and would overflow an int on the way.
const maxSize = 1 << 30

// size takes Source Width and Source Height when both are greater than 1
// (rounded, halves away from zero), else keeps the user's size, which is
// then required (FORMATS.md §4.14.7).
func (im *importer) size() error {
	ws, wok := im.header["Source Width"]
	hs, hok := im.header["Source Height"]
	w, wnum := number(ws)
	h, hnum := number(hs)
	if wok && hok && wnum && hnum && w > 1 && h > 1 && w <= maxSize && h <= maxSize {
		im.s.Width, im.s.Height = int(math.Round(w)), int(math.Round(h))
		im.s.Sized()
		return nil
	}
	if im.s.Width > 0 && im.s.Height > 0 {
		im.s.Sized()
		return nil
	}
	given := func(key, v string, ok bool) string {
		if !ok {
			return "no " + key
		}
		return key + " " + excerpt(v)
	}
	return format.SizeRequired("the keyframe data gives " + given("Source Width", ws, wok) +
		" and " + given("Source Height", hs, hok) + ", not a frame size")
}

// noTrack says that the data holds nothing to track and lists what it
// holds, so that the user learns it was read as AE keyframe data.
func (im *importer) noTrack() string {
	const most = 20 // headers listed; a long paste ends in "and N more"
	var order []string
	keys := map[string]int{}
	imported := map[string]bool{}
	for _, b := range im.blocks {
		if _, ok := keys[b.header]; !ok {
			order = append(order, b.header)
		}
		keys[b.header] += b.keys
		imported[b.header] = imported[b.header] || b.kind != ignored
	}
	var found []string
	for i, h := range order {
		if i == most {
			found = append(found, fmt.Sprintf("and %d more", len(order)-most))
			break
		}
		if imported[h] {
			found = append(found, fmt.Sprintf("%s (%d keyframes)", excerpt(h), keys[h]))
		} else {
			found = append(found, excerpt(h))
		}
	}
	list := "nothing"
	if len(found) > 0 {
		list = strings.Join(found, ", ")
	}
	return "no 2D track in this keyframe data: only Position, Anchor Point, Motion Trackers Feature Center/Attach Point " +
		"and Corner Pin/CC Power Pin corners with keyframes are imported; found: " + list
}
