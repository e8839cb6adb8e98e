package pftrack

import (
	"io"
	"math"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// importID is Importer.ID (which the importer cannot name without an
// initialisation cycle).
const importID = "PFTrack"

// hasNameChars is the reference's name-line test (FORMATS.md §4.9, §10.4):
// literally the characters A, Z, a, z and the double quote, not letter ranges.
func hasNameChars(s string) bool {
	return strings.ContainsAny(s, `AZaz"`)
}

func isSpace(c byte) bool {
	return c == ' ' || c-'\t' <= '\r'-'\t' // \t \n \v \f \r
}

func isBlank(s string) bool { return format.Strip(s) == "" }

// chomp removes one line terminator: CRLF, LF or a lone CR (the last line
// of a file may end in CR alone).
func chomp(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// fields splits a line on ASCII whitespace into at most len(dst) fields.
func fields(s string, dst []string) []string {
	dst = dst[:0]
	for i := 0; i < len(s) && len(dst) < cap(dst); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j])
		}
		i = j
	}
	return dst
}

// importImporter reads a .2dt file of any of its dialects (FORMATS.md §4.9).
func importImporter(r io.Reader, s *format.Session) error {
	p := &parser{ln: format.NewLines(r), s: s}
	for p.ln.Next() {
		line := chomp(p.ln.Raw())
		if strings.HasPrefix(line, "#") || !hasNameChars(line) {
			continue
		}
		base := strings.ReplaceAll(format.Strip(line), `"`, "")
		if err := p.feature(base); err != nil {
			return err
		}
	}
	return p.readErr()
}

type parser struct {
	ln   *format.Lines
	s    *format.Session
	keys []track.Keyframe
	f    [4]string
	v    [4]float64
}

func (p *parser) readErr() error {
	if err := p.ln.Err(); err != nil {
		return &format.ParseError{Format: importID, Line: p.ln.Line() + 1, Msg: "cannot read the line", Err: err}
	}
	return nil
}

// next returns the next line without its terminator.
func (p *parser) next() (string, bool) {
	if !p.ln.Next() {
		return "", false
	}
	return chomp(p.ln.Raw()), true
}

// feature reads what follows a name line: one tracker in the v4 dialect,
// or one per camera in the camera dialect (v5, 2011, PFMatchit, stereo).
func (p *parser) feature(base string) error {
	nameLine := p.ln.Line()
	for {
		l1, ok := p.next()
		if !ok {
			if err := p.readErr(); err != nil {
				return err
			}
			return format.Errorf(importID, nameLine, "the file ends after tracker name %q, expected a keyframe count or a camera name", base)
		}
		l1Line := p.ln.Line()
		l2, hasL2 := p.next()
		if err := p.readErr(); err != nil {
			return err
		}
		if !hasNameChars(l1) && !format.IsUint(l2) {
			// v4: L1 is the count and L2 already the first keyframe.
			if hasL2 {
				p.ln.Back()
			}
			return p.tracker(base, format.Int(l1), l1Line)
		}
		name := base + "_" + strings.ReplaceAll(l1, `"`, "")
		if err := p.tracker(name, format.Int(l2), p.ln.Line()); err != nil {
			return err
		}
		// A non-blank line right after is the next camera of this feature.
		l, ok := p.next()
		if !ok || isBlank(l) {
			return p.readErr()
		}
		p.ln.Back()
	}
}

// tracker reads count keyframe lines and emits the tracker, even when empty.
func (p *parser) tracker(name string, count, countLine int) error {
	t := track.New(name)
	p.s.Report("Reading tracker " + t.Name)
	p.keys = p.keys[:0]
	for i := 0; i < count; i++ {
		if !p.ln.Next() {
			if err := p.readErr(); err != nil {
				return err
			}
			return format.Errorf(importID, countLine, "tracker %q should have %d keyframes, the file ends after %d", t.Name, count, i)
		}
		// The line as bytes: most keyframe lines parse without a copy.
		line := p.ln.RawBytes()
		if v, ok := format.PlainNumbers(line, p.v[:0]); ok && len(v) >= 3 && math.Abs(v[0]-1) < 1<<53 {
			p.keys = append(p.keys, keyframe(v))
			continue
		}
		k, err := p.key(chomp(string(line)))
		if err != nil {
			return err
		}
		p.keys = append(p.keys, k)
	}
	t.Keyframes = track.SortKeyframes(append([]track.Keyframe(nil), p.keys...))
	return p.s.Emit(t)
}

// key reads "frame x y residual" in any number syntax Float reads; the
// common lines of plain numbers take a faster way in tracker.
func (p *parser) key(line string) (track.Keyframe, error) {
	f := fields(line, p.f[:0])
	if len(f) < 3 || !strings.ContainsAny(f[0][:1], "0123456789+-.") {
		return track.Keyframe{}, format.Errorf(importID, p.ln.Line(), "expected a keyframe line \"frame x y residual\", got %q", clip(line))
	}
	v := p.v[:len(f)]
	for i, s := range f {
		v[i] = format.Float(s)
	}
	if math.Abs(v[0]-1) >= 1<<53 {
		return track.Keyframe{}, format.Errorf(importID, p.ln.Line(), "frame number %s out of range", clip(f[0]))
	}
	return keyframe(v), nil
}

// keyframe makes the keyframe of a line's numbers. PFTrack counts frames
// from 1 and puts 0 at the centre of the bottom-left pixel; the residual
// is stored ÷ 8.
func keyframe(v []float64) track.Keyframe {
	k := track.Keyframe{Frame: int(v[0] - 1), X: v[1] + 0.5, Y: v[2] + 0.5}
	if len(v) > 3 {
		k.Residual = v[3] * 8
	}
	return k
}

// clip shortens text quoted in an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
