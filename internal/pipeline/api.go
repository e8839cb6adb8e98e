// Package pipeline runs one conversion: detect the format, import, lint,
// apply the tools, and fan the trackers out to the exporters, reporting
// progress on the way (FORMATS.md §2).
package pipeline

import (
	"time"

	"tracksgo/internal/tools"
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
	// Now is the clock of exporters that write a date; nil = time.Now.
	Now func() time.Time
	// Progress receives (percent 0-100, message) as in FORMATS.md §2.4.
	Progress func(percent int, message string)
}

// Result is what a successful conversion did.
type Result struct {
	Importer   string // id of the importer used, e.g. "NukeScript"
	Width      int    // comp size after the import
	Height     int
	Trackers   int      // trackers sent into the chain (before tools)
	Keyframes  int      // keyframes sent into the chain (before tools)
	FirstFrame int      // smallest internal frame imported
	LastFrame  int      // largest internal frame imported
	Files      []string // paths of the files written, in exporter order
}
