// Package format holds what every format package shares: the descriptions
// an importer and an exporter register with, the import session, and the
// lenient number parsing and name quoting rules of FORMATS.md §1.
package format

import (
	"io"
	"strings"
	"time"

	"tracksgo/internal/track"
)

// Importer describes one input format.
type Importer struct {
	ID    string // canonical id, e.g. "NukeScript"; its lower case is the CLI name
	Human string // e.g. "Nuke .nk script file with ..." (the CLI's listing)
	// Short is the format as a person names it, e.g. "Nuke script": what
	// the web pages and the messages say instead of the id.
	Short      string
	Extensions []string // lower-case extensions with the dot that select it unambiguously
	AutoSize   bool     // the comp size is found in the file (see SizeInFile)
	// SizeInFile marks the third kind of importer of FORMATS.md §12 (§2.3):
	// the size is in some files of the format only. Such an importer is
	// AutoSize too, so that nothing demands a size before it runs; it keeps
	// the size the user gave when the file has none, and fails with
	// SizeRequired when neither is there. A size in the file wins.
	SizeInFile bool
	Snags      string // "known snags" shown when nothing was recovered
	// Sniff scores the first bytes of a file: 0 = not this format,
	// 1 = the lines have this format's shape, 2 = a header says it is.
	Sniff func(head []byte) int
	// Import reads the whole input and emits its trackers in order.
	Import func(r io.Reader, s *Session) error
}

// Name is the lower-case id used on the command line and in the web form.
func (i *Importer) Name() string { return strings.ToLower(i.ID) }

// Exporter describes one output format.
type Exporter struct {
	ID     string // e.g. "NukeScript"
	Human  string // e.g. "Nuke .nk script"
	Suffix string // file name suffix, e.g. "nuke.nk"
	New    func(w io.Writer, o Options) track.Exporter
}

// Name is the lower-case id used on the command line and in the web form.
func (e *Exporter) Name() string { return strings.ToLower(e.ID) }

// Options configure an exporter.
type Options struct {
	// Now is the clock of exporters that write a date; nil means time.Now.
	Now func() time.Time
	// Aspect overrides the MayaLive pixel aspect (0 = width/height).
	Aspect float64
}

// Time returns the current time from the configured clock.
func (o Options) Time() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Session is one import: the comp size in and out, where trackers go, and
// where progress messages go.
type Session struct {
	// Width and Height come from the user; autodetecting importers set them.
	Width, Height int
	// Aspect overrides the MayaLive pixel aspect (0 = width/height).
	Aspect float64
	// Emit receives each tracker, in the importer's order. Empty trackers
	// may be emitted; the pipeline drops them.
	Emit func(t *track.Tracker) error
	// Progress, if set, receives free-text progress messages.
	Progress func(message string)
	// SizeFound, if set, hears from autodetecting importers (through
	// Sized) as soon as Width and Height are final, so that the exports
	// can start while the rest of the file is read.
	SizeFound func(width, height int)
}

// Sized says that Width and Height are final: an autodetecting importer
// that finds the size before its trackers calls it once it has.
func (s *Session) Sized() {
	if s.SizeFound != nil {
		s.SizeFound(s.Width, s.Height)
	}
}

// HasSize reports whether the session holds a comp size (the user's, or
// one an importer found).
func (s *Session) HasSize() bool { return s.Width > 0 && s.Height > 0 }

// Report sends a progress message, if anyone listens.
func (s *Session) Report(message string) {
	if s.Progress != nil {
		s.Progress(message)
	}
}

// DateLayout is how Flame and boujou files write their creation date.
const DateLayout = "Mon Jan 02 15:04:05 2006"

// EmitUnordered emits a tracker whose keyframes were collected in file
// order, after sorting them once by frame (the last one for a frame wins).
func (s *Session) EmitUnordered(t *track.Tracker) error {
	t.Keyframes = track.SortKeyframes(t.Keyframes)
	return s.Emit(t)
}
