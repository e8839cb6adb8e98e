package equalizer

import (
	"bytes"
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// export3 writes a v3 export (FORMATS.md §5.1). The header names the last
// frame, so the body is buffered until the end.
type export3 struct {
	w             io.Writer
	width, height int
	frames        int // largest frame+1 seen
	body          bytes.Buffer
}

func newExport3(w io.Writer, o format.Options) track.Exporter { return &export3{w: w} }

func (e *export3) StartExport(w, h int) error {
	e.width, e.height, e.frames = w, h, 0
	e.body.Reset()
	return nil
}

func (e *export3) StartTracker(name string) error {
	e.body.WriteString(name)
	e.body.WriteByte('\n')
	return nil
}

func (e *export3) ExportPoint(k track.Keyframe) error {
	fmt.Fprintf(&e.body, "\t%d\t%.3f\t%.3f\n", k.Frame+1, k.X, k.Y)
	if k.Frame+1 > e.frames {
		e.frames = k.Frame + 1
	}
	return nil
}

func (e *export3) EndTracker() error { return nil }

func (e *export3) EndExport() error {
	fmt.Fprintf(e.w, "%s %d x %d * %d frames\n", header3, e.width, e.height, e.frames)
	e.body.WriteTo(e.w)
	io.WriteString(e.w, "\n")
	return nil
}
