package flame

import (
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// newExporter2014 writes the Flame 2014 layout (FORMATS.md §5.9): the
// classic setup with hermite shift keys and the 2014 tracker fields.
func newExporter2014(w io.Writer, o format.Options) track.Exporter {
	return &stabilizer{w: w, o: o, v2014: true}
}
