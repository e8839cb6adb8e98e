package maxscript

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter streams a point helper per tracker on a plane whose width is
// 10 scene units, centred on the origin.
type exporter struct {
	w      io.Writer
	f      float64 // scene units per pixel
	tw, th float64 // plane size in scene units
	name   string
	first  bool // the next point is the tracker's first
}

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	return &exporter{w: w}
}

func (e *exporter) StartExport(w, h int) error {
	// Operation order as specified keeps the output bit-identical.
	e.f = (1.0 / float64(w)) * 10.0
	e.tw = float64(w) * e.f
	e.th = float64(h) * e.f
	fmt.Fprintf(e.w, "new_plane = convertToPoly (plane width:%.5f length:%.5f lengthsegs:1 widthsegs:1 name:\"TracksperantoPlane\" backFaceCull:True)\n", e.tw, e.th)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	e.name, e.first = name, true
	fmt.Fprintf(e.w, "-- Data for tracker %s\nanimate on (\n", name)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	x := (k.X * e.f) - (e.tw / 2)
	y := (k.Y * e.f) - (e.th / 2)
	if e.first {
		e.first = false
		fmt.Fprintf(e.w, "pt = Point name:\"%s\" pos:[%.5f,%.5f,0.000] size:1.000000 axistripod:off centermarker:on isSelected:on\n", e.name, x, y)
	}
	fmt.Fprintf(e.w, "at time %d pt.pos.x = %.5f\n", k.Frame, x)
	fmt.Fprintf(e.w, "at time %d pt.pos.y = %.5f\n", k.Frame, y)
	return nil
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, ")\n")
	return nil
}

func (e *exporter) EndExport() error {
	io.WriteString(e.w, "animate off\nEnableSceneRedraw()\n")
	return nil
}
