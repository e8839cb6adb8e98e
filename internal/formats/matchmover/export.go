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

func (e *exporter) ExportPoint(k track.Keyframe) error {
	// MatchMover's Y runs down from the top; the first key carries the
	// pattern box instead of a correlation.
	if e.first {
		e.first = false
		fmt.Fprintf(e.w, "\t%d\t   %.3f     %.3f    ki( 0.8 )\t    s( 66 66 64 64 )  p( 24 24 25 25 )\n", k.Frame+1, k.X, e.height-k.Y)
		return nil
	}
	fmt.Fprintf(e.w, "\t%d\t   %.3f     %.3f     p+( %.6f )\t\n", k.Frame+1, k.X, e.height-k.Y, 1-k.Residual)
	return nil
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, "}\n")
	return nil
}

func (e *exporter) EndExport() error { return nil }
