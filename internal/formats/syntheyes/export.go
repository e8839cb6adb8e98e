package syntheyes

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes "Tracker 2-D paths" (FORMATS.md §5.19), streaming.
type exporter struct {
	w             io.Writer
	width, height int
	first         bool
	last          int
	line          []byte // reused for every point line; starts with the tracker's prefix
	prefix        int    // length of that prefix
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w} }

func (e *exporter) StartExport(w, h int) error {
	e.width, e.height = w, h
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.first = true
	// Every point line of the tracker starts with its name, in one field:
	// a name sent by a tool that does not rebuild trackers (Prefix) may
	// hold white space, which would split the line's fields or end it
	// (FORMATS.md §11.8).
	e.line = append(append(e.line[:0], camel(format.FieldName(name))...), ' ')
	e.prefix = len(e.line)
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	// Status 15 (re)enables the tracker: at its start and after a gap.
	status := 7
	if e.first || k.Frame != e.last+1 {
		status = 15
	}
	e.first, e.last = false, k.Frame
	u := toUV(k.X, e.width)
	v := -1 * toUV(k.Y, e.height)
	b := format.AppendInt(e.line[:e.prefix], k.Frame)
	b = append(b, ' ')
	b = format.AppendFixed(b, u, 6)
	b = append(b, ' ')
	b = format.AppendFixed(b, v, 6)
	b = append(b, ' ')
	b = format.AppendInt(b, status)
	b = append(b, '\n')
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error { return nil }
func (e *exporter) EndExport() error  { return nil }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// camel camel-cases a tracker name the way SynthEyes likes it: "/x"
// becomes "::X", the first byte is upper-cased, and "_x" becomes "X".
// Only ASCII letters change case; names are byte strings.
func camel(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			b.WriteString("::")
			if i+1 < len(name) {
				i++
				b.WriteByte(upper(name[i]))
			}
			continue
		}
		b.WriteByte(name[i])
	}
	s := b.String()
	if s == "" {
		return s
	}
	b.Reset()
	b.WriteByte(upper(s[0]))
	for i := 1; i < len(s); i++ {
		if s[i] == '_' && i+1 < len(s) {
			i++
			b.WriteByte(upper(s[i]))
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
