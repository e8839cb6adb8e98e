// Package mmsolver reads and writes mmSolver's .uv 2D-track files
// (FORMATS.md §4.15, §5.22): version 1 text and versions 2 to 5 JSON are
// read, version 1 is written. Positions are UV coordinates (0 to 1 across
// the image, origin bottom-left) and frames the host's frame numbers.
package mmsolver

import "tracksgo/internal/formats/format"

// id is the importer and exporter id, which starts their error messages.
const id = "MMSolver"

// Importer reads .uv files. Versions 4 and 5 may hold the comp size
// (camera.resolution); the others need the user's (FORMATS.md §12).
var Importer = &format.Importer{
	ID:         id,
	Human:      "mmSolver UV Track .uv file (v1 text, v2–v5 JSON)",
	Short:      "mmSolver .uv tracks",
	Extensions: []string{".uv"},
	AutoSize:   true,
	SizeInFile: true,
	Sniff:      sniff,
	Import:     importUV,
}

// Exporter writes version 1 .uv files, which every mmSolver loads. It is
// written only on request, not among the default formats.
var Exporter = &format.Exporter{
	ID:     id,
	Human:  "mmSolver UV Track .uv file (v1)",
	Suffix: "mmsolver.uv",
	New:    newExporter,
}
