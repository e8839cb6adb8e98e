package equalizer

import (
	"bytes"
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// export4 writes a v4 export (FORMATS.md §5.2). The file starts with the
// number of trackers and each tracker with its number of points, so points
// wait for their tracker's end and trackers for the end of the export.
type export4 struct {
	w        io.Writer
	trackers int
	name     string
	points   int
	cur      bytes.Buffer // points of the open tracker
	body     bytes.Buffer // finished trackers
}

func newExport4(w io.Writer, o format.Options) track.Exporter { return &export4{w: w} }

func (e *export4) StartExport(w, h int) error {
	e.trackers = 0
	e.body.Reset()
	return nil
}

func (e *export4) StartTracker(name string) error {
	e.name, e.points = name, 0
	e.cur.Reset()
	return nil
}

func (e *export4) ExportPoint(k track.Keyframe) error {
	fmt.Fprintf(&e.cur, "%d %.15f %.15f\n", k.Frame+1, k.X, k.Y)
	e.points++
	return nil
}

func (e *export4) EndTracker() error {
	e.trackers++
	fmt.Fprintf(&e.body, "%s\n0\n%d\n", e.name, e.points) // colour 0 is red
	e.cur.WriteTo(&e.body)
	return nil
}

func (e *export4) EndExport() error {
	fmt.Fprintf(e.w, "%d\n", e.trackers)
	e.body.WriteTo(e.w)
	return nil
}
