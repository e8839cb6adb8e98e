// Package pipeline runs one conversion: detect the format, import, lint,
// apply the tools, and fan the trackers out to the exporters, reporting
// progress on the way (FORMATS.md §2).
package pipeline

import (
	"time"

	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// Request is one conversion.
type Request struct {
	Input string // path of the file to read
	// Name is the file name that detection and output names use; empty
	// means the base name of Input. (Web uploads are stored under a
	// server-chosen name but keep the user's file name here.)
	Name      string
	Importer  string // importer name (case-insensitive); "" = detect
	Width     int    // comp size given by the user, for importers that need it
	Height    int
	Tools     []tools.Spec // applied in order; the first sees the data first
	Exporters []string     // exporter names; empty = every default exporter
	OutDir    string       // where outputs go; empty = the folder of Input
	// Zip, when set, is where the outputs go instead of files: each is
	// compressed as it is written (internal/pack) into a temporary part
	// in OutDir, and once all are complete the parts are packed, in
	// exporter order, into one zip placed at this path, and removed.
	// Entries are named as the files would be. OutputLimit still counts
	// the bytes before compression.
	Zip string
	// Packing, with Zip, is told as each output goes into the zip.
	Packing func(done, total int)
	// Now is the clock of exporters that write a date; nil = time.Now.
	Now func() time.Time
	// Progress receives (percent 0-100, message) as in FORMATS.md §2.4.
	Progress func(percent int, message string)
	// OutputLimit is the most bytes the outputs may hold together, every
	// format counted; 0 = no limit. A run that would write more stops as
	// soon as it passes the limit, with a format.UserError
	// (CodeOutputLimit) that names it, and leaves no file.
	OutputLimit int64
	// KeyframeLimit is the most keyframes the tools (Lerp) may create in
	// the whole run, however many formats it writes; 0 = no limit
	// (tools.DefaultKeyframeLimit is the usual one).
	KeyframeLimit int64
	// Observe, when set, also gets what the outputs get (the trackers
	// after the tools), on an export chain of its own beside the
	// exporters': a preview, say. It writes no output file; an error of
	// its own fails the run like an exporter's.
	Observe track.Exporter

	// pointByPoint sends every tracker keyframe by keyframe, even to the
	// exporters that could take it whole: tests compare the two paths.
	pointByPoint bool
}

// Result is what a successful conversion did.
type Result struct {
	Importer string // id of the importer used, e.g. "NukeScript"
	// Summary is what the outputs hold: the trackers after the tools
	// (the same as Imported when there are none).
	Summary
	// Imported is what the importer recovered, before the tools.
	Imported Summary
	// Files are the paths of the files written, in exporter order; with
	// Request.Zip, the names of the zip's entries.
	Files []string
}

// Summary describes a set of trackers. Frames are internal, 0-based
// (FORMATS.md §1.1); each application numbers them its own way (§1.3).
type Summary struct {
	Width      int // comp size
	Height     int
	Trackers   int // trackers with at least one keyframe
	Keyframes  int // keyframes of all of them
	FirstFrame int // smallest frame of any keyframe
	LastFrame  int // largest frame of any keyframe
}
