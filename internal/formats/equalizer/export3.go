package equalizer

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// blockSize is the size of the blocks buffered exports are kept in: they
// never move once written, where one growing buffer would be copied over
// and over.
const blockSize = 64 << 10

// export3 writes a v3 export (FORMATS.md §5.1). The header names the last
// frame, so the body is buffered until the end. Streamed lines are no
// bigger than the keyframes they come from, so it keeps them as text; a
// tracker that comes whole is kept as it is, and written at the end.
type export3 struct {
	w             io.Writer
	width, height int
	frames        int      // largest frame+1 seen
	body          []piece3 // what follows the header, in order
	buf           []byte   // a whole tracker's lines, reused
}

// piece3 is a block of lines, or a tracker kept whole.
type piece3 struct {
	text []byte
	t    *track.Tracker
}

func newExport3(w io.Writer, o format.Options) track.Exporter { return &export3{w: w} }

func (e *export3) StartExport(w, h int) error {
	e.width, e.height, e.frames = w, h, 0
	e.body = nil
	return nil
}

// block returns the block to append to: the last one, or a new one when
// it has no room left for a typical line (a longer line just grows it).
func (e *export3) block() []byte {
	if n := len(e.body); n > 0 && e.body[n-1].t == nil && cap(e.body[n-1].text)-len(e.body[n-1].text) >= 128 {
		return e.body[n-1].text
	}
	e.body = append(e.body, piece3{text: make([]byte, 0, blockSize)})
	return e.body[len(e.body)-1].text
}

// StartTracker writes the name on its line.
func (e *export3) StartTracker(name string) error {
	b := appendName3(e.block(), name)
	e.body[len(e.body)-1].text = b
	return nil
}

// appendName3 appends a tracker's name line. A name sent by a tool that
// does not rebuild trackers (Prefix) may hold a line break, which would
// end the line early. And a reader takes only a line that starts with a
// word character for a name (§4.1), so another first character gets a '_'
// in front: else the tracker's keyframes would join the previous
// tracker's (FORMATS.md §11.8).
func appendName3(b []byte, name string) []byte {
	name = format.LineName(name)
	if name == "" || !isWordChar(name[0]) {
		b = append(b, '_')
	}
	b = append(b, name...)
	return append(b, '\n')
}

// ExportPoint appends the line to the body: this runs per keyframe.
func (e *export3) ExportPoint(k track.Keyframe) error {
	b := appendKey3(e.block(), k)
	e.body[len(e.body)-1].text = b
	if k.Frame+1 > e.frames {
		e.frames = k.Frame + 1
	}
	return nil
}

func appendKey3(b []byte, k track.Keyframe) []byte {
	b = append(b, '\t')
	b = format.AppendInt(b, k.Frame+1)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.Y, 3)
	return append(b, '\n')
}

// ExportWhole keeps a settled tracker instead of its lines.
func (e *export3) ExportWhole(t *track.Tracker) error {
	e.body = append(e.body, piece3{t: t})
	if n := t.Len(); n > 0 && t.Keyframes[n-1].Frame+1 > e.frames {
		e.frames = t.Keyframes[n-1].Frame + 1
	}
	return nil
}

func (e *export3) EndTracker() error { return nil }

func (e *export3) EndExport() error {
	fmt.Fprintf(e.w, "%s %d x %d * %d frames\n", header3, e.width, e.height, e.frames)
	for _, p := range e.body {
		if p.t == nil {
			e.w.Write(p.text) // the caller checks write errors at flush
			continue
		}
		b := appendName3(e.buf[:0], p.t.Name)
		for _, k := range p.t.Keyframes {
			if b = appendKey3(b, k); len(b) >= chunk {
				e.w.Write(b)
				b = b[:0]
			}
		}
		e.w.Write(b)
		e.buf = b[:0]
	}
	e.body = nil
	io.WriteString(e.w, "\n")
	return nil
}
