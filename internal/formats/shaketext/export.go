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
	e.trackers++
	fmt.Fprintf(e.w, "TrackName %s\n   Frame             X             Y   Correlation\n", name)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	fmt.Fprintf(e.w, "   %.2f   %.3f   %.3f   %.3f\n", float64(k.Frame+1), k.X, k.Y, 1-k.Residual)
	return nil
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, "\n")
	return nil
}

func (e *exporter) EndExport() error { return nil }
