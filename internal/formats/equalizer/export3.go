package equalizer

import (
	"fmt"
	"io"
	"strconv"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// export3 writes a v3 export (FORMATS.md §5.1). The header names the last
// frame, so the body is buffered until the end. Its lines are no bigger
// than the keyframes they come from, so it keeps them as text.
type export3 struct {
	w             io.Writer
	width, height int
	frames        int // largest frame+1 seen
	body          []byte
}

func newExport3(w io.Writer, o format.Options) track.Exporter { return &export3{w: w} }

func (e *export3) StartExport(w, h int) error {
	e.width, e.height, e.frames = w, h, 0
	e.body = e.body[:0]
	return nil
}

func (e *export3) StartTracker(name string) error {
	e.body = append(e.body, name...)
	e.body = append(e.body, '\n')
	return nil
}

// ExportPoint appends the line to the body: this runs per keyframe.
func (e *export3) ExportPoint(k track.Keyframe) error {
	b := append(e.body, '\t')
	b = strconv.AppendInt(b, int64(k.Frame+1), 10)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, '\t')
	b = format.AppendFixed(b, k.Y, 3)
	e.body = append(b, '\n')
	if k.Frame+1 > e.frames {
		e.frames = k.Frame + 1
	}
	return nil
}

func (e *export3) EndTracker() error { return nil }

func (e *export3) EndExport() error {
	fmt.Fprintf(e.w, "%s %d x %d * %d frames\n", header3, e.width, e.height, e.frames)
	e.w.Write(e.body) // the caller checks write errors at flush
	io.WriteString(e.w, "\n")
	return nil
}
