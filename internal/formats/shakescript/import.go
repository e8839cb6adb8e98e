package shakescript

import (
	"io"

	"tracksgo/internal/formats/format"
)

// importImporter lexes the script once, evaluating the curve and tracker
// node calls as they close and emitting the harvested trackers at once.
func importImporter(r io.Reader, s *format.Session) error {
	ev := &evaluator{emit: s.Emit, report: s.Report}
	lx := newLexer(r, ev)
	ev.lx = lx
	_, err := lx.run()
	return err
}
