package shaketext

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes Shake tracker text (FORMATS.md §5.18), streaming. With
// autotrack set it writes the Nuke CameraTracker flavour (§5.14), which
// renames the trackers autotrack0, autotrack1, …
type exporter struct {
	w         io.Writer
	autotrack bool
	trackers  int
	line      []byte // reused for every point line
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w} }

func newNukeCameraExporter(w io.Writer, o format.Options) track.Exporter {
	return &exporter{w: w, autotrack: true}
}

func (e *exporter) StartExport(w, h int) error {
	e.trackers = 0
	return nil
}

func (e *exporter) StartTracker(name string) error {
	if e.autotrack {
		name = fmt.Sprintf("autotrack%d", e.trackers)
	}
	// A name sent by a tool that does not rebuild trackers (Prefix) may
	// hold a line break (FORMATS.md §11.8). A reader takes "TrackName "
	// alone for no tracker at all (§4.11), so an empty name is written "_".
	name = format.LineName(name)
	if name == "" {
		name = "_"
	}
	e.trackers++
	fmt.Fprintf(e.w, "TrackName %s\n   Frame             X             Y   Correlation\n", name)
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	b := append(e.line[:0], "   "...)
	if n := k.Frame + 1; n > -1<<53 && n < 1<<53 {
		// %.2f of a float64 that holds an integer exactly.
		b = append(format.AppendInt(b, n), ".00"...)
	} else {
		b = format.AppendFixed(b, float64(n), 2)
	}
	b = append(b, "   "...)
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, "   "...)
	b = format.AppendFixed(b, k.Y, 3)
	b = append(b, "   "...)
	b = format.AppendFixed(b, 1-k.Residual, 3)
	b = append(b, '\n')
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, "\n")
	return nil
}

func (e *exporter) EndExport() error { return nil }
