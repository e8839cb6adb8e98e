package matchmover

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// rzmlID is RZMLImporter.ID.
const rzmlID = "MatchMoverRZML"

// sniffRZMLImporter scores an RZML file: an XML document whose root element
// is RZML. The XML declaration, comments and a DOCTYPE may come first; an
// RZML named anywhere else (in a comment, inside another root) does not count.
func sniffRZMLImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	for {
		head = bytes.TrimLeft(head, " \t\r\n")
		var end []byte
		switch {
		case bytes.HasPrefix(head, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(head, []byte("<!--")):
			end = []byte("-->")
		case bytes.HasPrefix(head, []byte("<!")):
			end = []byte(">")
		}
		if end == nil {
			break
		}
		i := bytes.Index(head, end)
		if i < 0 {
			return 0
		}
		head = head[i+len(end):]
	}
	if len(head) < 5 || !bytes.EqualFold(head[:5], []byte("<RZML")) {
		return 0
	}
	if len(head) > 5 && !strings.ContainsRune(" \t\r\n>/", rune(head[5])) {
		return 0 // <RZMLfoo>
	}
	return 2
}

// importRZMLImporter streams an RZML file (FORMATS.md §4.6).
func importRZMLImporter(r io.Reader, s *format.Session) error {
	const id = rzmlID
	// The size comes from SHOT; a file without one gives 0 × 0.
	s.Width, s.Height = 0, 0

	d := xml.NewDecoder(bufio.NewReader(r))
	d.CharsetReader = charsetReader

	var (
		byID    = map[string]*rzmlTracker{}
		order   []*rzmlTracker
		inIPLN  int
		frame   int
		sawRZML bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if sawRZML {
				return format.Errorf(id, 0, "the RZML element never closes")
			}
			return format.Errorf(id, 0, "no RZML element found")
		}
		if err != nil {
			line, _ := d.InputPos()
			var syn *xml.SyntaxError
			if errors.As(err, &syn) {
				line = syn.Line
				err = errors.New(syn.Msg)
			}
			return &format.ParseError{Format: id, Line: line, Msg: "malformed XML", Err: err}
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			switch {
			case strings.EqualFold(name, "RZML"):
				sawRZML = true
			case strings.EqualFold(name, "SHOT"):
				s.Width = format.Int(attr(el, "w"))
				s.Height = format.Int(attr(el, "h"))
			case strings.EqualFold(name, "IPLN"):
				inIPLN++
			case inIPLN > 0 && strings.EqualFold(name, "IFRM"):
				if t, ok := attrOK(el, "t"); ok {
					frame = format.Int(t)
				}
			case inIPLN > 0 && strings.EqualFold(name, "M"):
				key := attr(el, "i")
				t := byID[key]
				if t == nil {
					t = &rzmlTracker{name: key}
					byID[key] = t
					order = append(order, t)
				}
				t.keys = append(t.keys, track.Keyframe{
					Frame:    frame,
					X:        format.Float(attr(el, "x")),
					Y:        float64(s.Height) - format.Float(attr(el, "y")),
					Residual: format.Float(attr(el, "tt")),
				})
			}
		case xml.EndElement:
			name := el.Name.Local
			switch {
			case strings.EqualFold(name, "IPLN"):
				if inIPLN > 0 {
					inIPLN--
				}
			case strings.EqualFold(name, "RZML"):
				for _, rt := range order {
					if len(rt.keys) == 0 {
						continue
					}
					t := track.New(rt.name)
					t.Keyframes = track.SortKeyframes(rt.keys)
					if err := s.Emit(t); err != nil {
						return err
					}
				}
				return nil
			}
		}
	}
}

// rzmlTracker gathers the marks of one marker id until the file ends.
type rzmlTracker struct {
	name string
	keys []track.Keyframe
}

func attrOK(el xml.StartElement, name string) (string, bool) {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func attr(el xml.StartElement, name string) string {
	v, _ := attrOK(el, name)
	return v
}

// charsetReader lets the decoder read the single-byte encodings MatchMover
// declares (ISO-8859-1): every byte becomes the code point of the same
// value, which is exact for Latin-1 and keeps the ASCII numbers and ids
// intact for its relatives.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	}
	c := strings.ToLower(charset)
	if strings.HasPrefix(c, "iso-8859") || strings.HasPrefix(c, "iso8859") || strings.HasPrefix(c, "latin") ||
		strings.HasPrefix(c, "windows-125") || strings.HasPrefix(c, "cp125") {
		return &latin1Reader{r: input}, nil
	}
	return nil, fmt.Errorf("unsupported character encoding %q", charset)
}

// latin1Reader turns Latin-1 bytes into UTF-8.
type latin1Reader struct {
	r       io.Reader
	scratch []byte
	pending []byte // only when asked for a single byte of a two-byte rune
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	// Each byte becomes at most two: read half of what p holds.
	m := max(len(p)/2, 1)
	if cap(l.scratch) < m {
		l.scratch = make([]byte, m)
	}
	k, err := l.r.Read(l.scratch[:m])
	n := 0
	put := func(c byte) {
		if n < len(p) {
			p[n] = c
			n++
		} else {
			l.pending = append(l.pending, c)
		}
	}
	for _, b := range l.scratch[:k] {
		if b < utf8.RuneSelf {
			put(b)
			continue
		}
		put(0xC0 | b>>6)
		put(0x80 | b&0x3F)
	}
	return n, err
}
