// Package maxscript reads and writes 3dsmax scripts with nulls on an image plane (FORMATS.md §5.4).
package maxscript

import "tracksgo/internal/formats/format"

// Exporter writes Autodesk 3dsmax script for nulls on an image plane.
var Exporter = &format.Exporter{
	ID:     "Maxscript",
	Human:  "Autodesk 3dsmax script for nulls on an image plane",
	Suffix: "3dsmax_nulls.ms",
	New:    newExporter,
}
