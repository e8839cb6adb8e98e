// Package jsontracks is the project's own JSON interchange format, for
// pipelines and scripts:
//
//	{"width": 1920, "height": 1080, "trackers": [{"name": "Tracker1",
//	  "keyframes": [{"frame": 0, "x": 10.5, "y": 20.25, "residual": 0}]}]}
//
// x and y are in the internal convention (bottom-left origin, Y up),
// frames 0-based, and floats are written so that they read back exactly.
package jsontracks

import "tracksgo/internal/formats/format"

// Importer reads tracks.json files.
var Importer = &format.Importer{
	ID:         "JSON",
	Human:      "JSON tracks file",
	Short:      "JSON tracks",
	Extensions: []string{".json"},
	AutoSize:   true,
	Sniff:      sniff,
	Import:     importJSON,
}

// Exporter writes tracks.json files.
var Exporter = &format.Exporter{
	ID:     "JSON",
	Human:  "JSON tracks file (for scripts and pipelines)",
	Suffix: "tracks.json",
	New:    newExporter,
}
