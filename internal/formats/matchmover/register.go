// Package matchmover reads and writes MatchMover .rz2 point tracks and RZML (FORMATS.md §4.5, §4.6, §5.10).
package matchmover

import "tracksgo/internal/formats/format"

// Importer reads MatchMover REALVIZ Ascii Point Tracks .rz2 file.
var Importer = &format.Importer{
	ID:         "MatchMover",
	Human:      "MatchMover REALVIZ Ascii Point Tracks .rz2 file",
	Short:      "MatchMover .rz2 point tracks",
	Extensions: []string{".rz2"},
	AutoSize:   true,
	Sniff:      sniffImporter,
	Import:     importImporter,
}

// RZMLImporter reads MatchMover RZML .rzml file.
var RZMLImporter = &format.Importer{
	ID:         "MatchMoverRZML",
	Human:      "MatchMover RZML .rzml file",
	Short:      "MatchMover RZML",
	Extensions: []string{".rzml"},
	AutoSize:   true,
	Sniff:      sniffRZMLImporter,
	Import:     importRZMLImporter,
}

// Exporter writes MatchMover REALVIZ Ascii Point Tracks .rz2 file.
var Exporter = &format.Exporter{
	ID:     "MatchMover",
	Human:  "MatchMover REALVIZ Ascii Point Tracks .rz2 file",
	Suffix: "matchmover.rz2",
	New:    newExporter,
}
