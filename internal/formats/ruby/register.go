// Package ruby reads and writes bare Ruby code for the original program (FORMATS.md §5.6).
package ruby

import "tracksgo/internal/formats/format"

// Exporter writes Bare Ruby code.
var Exporter = &format.Exporter{
	ID:     "Ruby",
	Human:  "Bare Ruby code",
	Suffix: "tracksperanto_ruby.rb",
	New:    newExporter,
}
