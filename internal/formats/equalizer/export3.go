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
// frame, so the body is buffered until the end. Its lines are no bigger
// than the keyframes they come from, so it keeps them as text.
type export3 struct {
	w             io.Writer
	width, height int
	frames        int      // largest frame+1 seen
	body          [][]byte // the text after the header, in blocks
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
	if n := len(e.body); n > 0 && cap(e.body[n-1])-len(e.body[n-1]) >= 128 {
		return e.body[n-1]
	}
	e.body = append(e.body, make([]byte, 0, blockSize))
	return e.body[len(e.body)-1]
}

// StartTracker writes the name on its line. A name sent by a tool that
// does not rebuild trackers (Prefix) may hold a line break, which would end
// the line early. And a reader takes only a line that starts with a word
// character for a name (§4.1), so another first character gets a '_' in
// front: else the tracker's keyframes would join the previous tracker's
// (FORMATS.md §11.8).
func (e *export3) StartTracker(name string) error {
	name = format.LineName(name)
	b := e.block()
	if name == "" || !isWordChar(name[0]) {
		b = append(b, '_')
	}
	b = append(b, name...)
	e.body[len(e.body)-1] = append(b, '\n')
	return nil
}

// ExportPoint appends the line to the body: this runs per keyframe.
func (e *export3) ExportPoint(k track.Keyframe) error {
	b := append(e.block(), '\t')
	b = format.AppendInt(b, k.Frame+1)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.Y, 3)
	e.body[len(e.body)-1] = append(b, '\n')
	if k.Frame+1 > e.frames {
		e.frames = k.Frame + 1
	}
	return nil
}

func (e *export3) EndTracker() error { return nil }

func (e *export3) EndExport() error {
	fmt.Fprintf(e.w, "%s %d x %d * %d frames\n", header3, e.width, e.height, e.frames)
	for _, b := range e.body {
		e.w.Write(b) // the caller checks write errors at flush
	}
	e.body = nil
	io.WriteString(e.w, "\n")
	return nil
}
