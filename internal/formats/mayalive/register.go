// Package mayalive reads and writes MayaLive track exports (FORMATS.md §4.7, §5.12).
package mayalive

import "tracksgo/internal/formats/format"

// Importer reads Maya Live track export file.
var Importer = &format.Importer{
	ID:       "MayaLive",
	Human:    "Maya Live track export file",
	Short:    "MayaLive track export",
	AutoSize: true,
	Snags:    "Only square pixel aspect ratio shots are supported.",
	Sniff:    sniffImporter,
	Import:   importImporter,
}

// Exporter writes MayaLive track export.
var Exporter = &format.Exporter{
	ID:     "MayaLive",
	Human:  "MayaLive track export",
	Suffix: "mayalive.txt",
	New:    newExporter,
}
