package mayalocators

// Stubs: each is replaced by the real implementation in its own file.

import (
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

var _ track.Exporter

func newExporter(w io.Writer, o format.Options) track.Exporter { return nil }
