package mayalive

// Stubs: each is replaced by the real implementation in its own file.

import (
	"errors"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

var _ track.Exporter

func sniffImporter(head []byte) int { return 0 }

func importImporter(r io.Reader, s *format.Session) error {
	return errors.New("MayaLive: not implemented")
}

func newExporter(w io.Writer, o format.Options) track.Exporter { return nil }
