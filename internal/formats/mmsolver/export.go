package mmsolver

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes a version 1 file (FORMATS.md §5.22). The file starts with
// the number of points and each point with its number of rows, so the
// trackers wait for the end of the export.
type exporter struct {
	w      io.Writer
	width  int
	height int
	names  []string
	keys   [][]track.Keyframe // per tracker: a copy of its keyframes, or a whole tracker's own
	buf    []byte
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w} }

func (e *exporter) StartExport(w, h int) error {
	if w <= 0 || h <= 0 {
		// UV coordinates are pixels divided by the size: without one there
		// is nothing to write.
		return fmt.Errorf("%s export: the comp size is needed to normalise the coordinates (got %dx%d)", id, w, h)
	}
	e.width, e.height = w, h
	e.names, e.keys = e.names[:0], e.keys[:0]
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.names = append(e.names, lineName(name))
	e.keys = append(e.keys, nil)
	return nil
}

// ExportWhole keeps a settled tracker's keyframes instead of a copy.
func (e *exporter) ExportWhole(t *track.Tracker) error {
	e.names = append(e.names, lineName(t.Name))
	e.keys = append(e.keys, t.Keyframes)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	if n := len(e.keys); n > 0 {
		e.keys[n-1] = append(e.keys[n-1], k)
	}
	return nil
}

func (e *exporter) EndTracker() error { return nil }

// chunk bounds the buffered lines of a long tracker.
const chunk = 32 << 10

// EndExport writes every point: "frame u v weight" rows with the frame
// plus one (the inverse of the import) and a weight of 1.
func (e *exporter) EndExport() error {
	w, h := float64(e.width), float64(e.height)
	b := format.AppendInt(e.buf[:0], len(e.names))
	b = append(b, '\n')
	for i, name := range e.names {
		b = append(b, name...)
		b = append(b, '\n')
		b = format.AppendInt(b, len(e.keys[i]))
		b = append(b, '\n')
		for _, k := range e.keys[i] {
			b = format.AppendInt(b, k.Frame+1)
			b = append(b, ' ')
			b = format.AppendFixed(b, k.X/w, 15)
			b = append(b, ' ')
			b = format.AppendFixed(b, k.Y/h, 15)
			b = append(b, " 1.00000000\n"...)
			if len(b) >= chunk {
				e.w.Write(b) // the caller checks write errors at flush
				b = b[:0]
			}
		}
	}
	e.w.Write(b)
	e.buf = b[:0]
	e.names, e.keys = e.names[:0], nil
	return nil
}

// lineName is a name as a .uv file can hold it (FORMATS.md §11.8): on a
// line of its own, which readers strip, and in UTF-8, which mmSolver's
// readers decode the whole file as. Each run of white space or line
// separators (what Python's splitlines and strip see, beyond ASCII too)
// becomes one '_', and so does each byte that is not UTF-8. Plain names
// are written as they are.
func lineName(s string) string {
	if format.Plain(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	sep := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f:
			if !sep {
				b = append(b, '_')
			}
			sep = true
		case r == utf8.RuneError && n == 1:
			b = append(b, '_')
			sep = false
		default:
			b = append(b, s[i:i+n]...)
			sep = false
		}
		i += n
	}
	return string(b)
}
