package matchmover

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter writes an .rz2 file (FORMATS.md §5.10). It streams: only the
// first key of a tracker is written differently.
type exporter struct {
	w      io.Writer
	height float64
	first  bool
	line   []byte // reused for every point line
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return &exporter{w: w} }

func (e *exporter) StartExport(width, height int) error {
	e.height = float64(height)
	// The sequence path keeps a literal %04d, as MatchMover writes it.
	fmt.Fprintf(e.w, "imageSequence\t\"Sequence 01\"\n{\n\t%d\t%d\tf( \"D:/temp/sequence.%%04d.dpx\" )\tb( 1 211 1 )\t\n}\n", width, height)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	fmt.Fprintf(e.w, "pointTrack  %s  rgb( 255 0 0 )\t\n{\n", format.RQuote(name))
	e.first = true
	return nil
}

// ExportPoint builds the line in a reused buffer: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	// MatchMover's Y runs down from the top; the first key carries the
	// pattern box instead of a correlation.
	b := append(e.line[:0], '\t')
	b = format.AppendInt(b, k.Frame+1)
	b = append(b, "\t   "...)
	b = format.AppendFixed(b, k.X, 3)
	b = append(b, "     "...)
	b = format.AppendFixed(b, e.height-k.Y, 3)
	if e.first {
		e.first = false
		b = append(b, "    ki( 0.8 )\t    s( 66 66 64 64 )  p( 24 24 25 25 )\n"...)
	} else {
		b = append(b, "     p+( "...)
		b = format.AppendFixed(b, 1-k.Residual, 6)
		b = append(b, " )\t\n"...)
	}
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, "}\n")
	return nil
}

func (e *exporter) EndExport() error { return nil }
