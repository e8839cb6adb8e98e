package pftrack

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes the .2dt dialects (FORMATS.md §5.15–§5.17). They differ
// in line ending, the camera line and whether frames are 1-based; each
// tracker is written at its end because its point count comes first.
type exporter struct {
	w      io.Writer
	eol    string
	camera string // "" for none
	offset int    // added to the internal frame
	name   string
	keys   []track.Keyframe
	buf    []byte // the tracker's point lines, reused
}

// newExporter4 writes PFTrack v4: CRLF, no camera, 0-based frames.
func newExporter4(w io.Writer, o format.Options) track.Exporter {
	return &exporter{w: w, eol: "\r\n"}
}

// newExporter5 writes PFTrack v5: CRLF, camera "Primary", 0-based frames.
func newExporter5(w io.Writer, o format.Options) track.Exporter {
	return &exporter{w: w, eol: "\r\n", camera: `"Primary"`}
}

// newExporterMatchit writes PFTrack 2011 / PFMatchit: LF, camera 1,
// 1-based frames.
func newExporterMatchit(w io.Writer, o format.Options) track.Exporter {
	return &exporter{w: w, eol: "\n", camera: "1", offset: 1}
}

func (e *exporter) StartExport(width, height int) error { return nil }

func (e *exporter) StartTracker(name string) error {
	e.name = name
	e.keys = e.keys[:0]
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	e.keys = append(e.keys, k)
	return nil
}

// ExportWhole writes a settled tracker from its own keyframes, without
// the copy that StartTracker and ExportPoint make of them.
func (e *exporter) ExportWhole(t *track.Tracker) error {
	own := e.keys
	e.name, e.keys = t.Name, t.Keyframes
	err := e.EndTracker()
	e.keys = own[:0] // never append into t's keyframes
	return err
}

// chunk bounds the buffered point lines of a long tracker.
const chunk = 32 << 10

// EndTracker writes the tracker; its point lines are built by appends into
// a reused buffer and written in chunks: this is the per-keyframe path.
func (e *exporter) EndTracker() error {
	io.WriteString(e.w, e.eol+e.eol+format.RQuote(e.name)+e.eol)
	if e.camera != "" {
		io.WriteString(e.w, e.camera+e.eol)
	}
	fmt.Fprintf(e.w, "%d%s", len(e.keys), e.eol)
	// PFTrack's 0 is the centre of the bottom-left pixel; it stores the
	// residual divided by 8.
	b := e.buf[:0]
	for _, k := range e.keys {
		b = format.AppendInt(b, k.Frame+e.offset)
		b = append(b, ' ')
		b = format.AppendFixed(b, k.X-0.5, 3)
		b = append(b, ' ')
		b = format.AppendFixed(b, k.Y-0.5, 3)
		b = append(b, ' ')
		b = format.AppendFixed(b, k.Residual/8, 3)
		b = append(b, e.eol...)
		if len(b) >= chunk {
			e.w.Write(b)
			b = b[:0]
		}
	}
	e.buf = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndExport() error { return nil }
