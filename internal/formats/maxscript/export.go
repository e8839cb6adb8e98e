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
	name   string  // the tracker's name as a MAXScript literal
	first  bool    // the next point is the tracker's first
	line   []byte  // reused for every point's lines
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

// StartTracker quotes the name for MAXScript, and writes it escaped in the
// comment too, so that no name can end the comment or the literal and
// become code (FORMATS.md §11.8).
func (e *exporter) StartTracker(name string) error {
	e.name, e.first = format.QuoteMAXScript(name), true
	fmt.Fprintf(e.w, "-- Data for tracker %s\nanimate on (\n", format.Unquoted(e.name))
	return nil
}

// ExportPoint builds the point's lines in a reused buffer and writes them
// at once: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	// The conversions round each product on its own, as the spec's
	// (x * f) − (TW / 2) does: no fused multiply-add on any platform.
	x := float64(k.X*e.f) - (e.tw / 2)
	y := float64(k.Y*e.f) - (e.th / 2)
	b := e.line[:0]
	if e.first {
		e.first = false
		b = append(b, "pt = Point name:"...)
		b = append(b, e.name...)
		b = append(b, " pos:["...)
		b = format.AppendFixed(b, x, 5)
		b = append(b, ',')
		b = format.AppendFixed(b, y, 5)
		b = append(b, ",0.000] size:1.000000 axistripod:off centermarker:on isSelected:on\n"...)
	}
	var fb [20]byte
	frame := format.AppendInt(fb[:0], k.Frame)
	b = append(b, "at time "...)
	b = append(b, frame...)
	b = append(b, " pt.pos.x = "...)
	b = format.AppendFixed(b, x, 5)
	b = append(b, "\nat time "...)
	b = append(b, frame...)
	b = append(b, " pt.pos.y = "...)
	b = format.AppendFixed(b, y, 5)
	b = append(b, '\n')
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
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
