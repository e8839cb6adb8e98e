// Package nuke reads and writes Nuke .nk scripts (FORMATS.md §4.8, §5.13).
package nuke

import "tracksgo/internal/formats/format"

// Importer reads Nuke .nk script file with Tracker, Reconcile3D, Transform2D, PlanarTracker and CornerPin nodes.
var Importer = &format.Importer{
	ID:         "NukeScript",
	Human:      "Nuke .nk script file with Tracker, Reconcile3D, Transform2D, PlanarTracker and CornerPin nodes",
	Short:      "Nuke script",
	Extensions: []string{".nk"},
	Snags:      "Tracks are read from the animated points of Tracker (Tracker3 and Tracker4), Reconcile3D, Transform, PlanarTracker and CornerPin2D nodes, in scripts of Nuke 5 to 16; other nodes, and points set by expressions, are skipped.",
	Sniff:      sniffImporter,
	Import:     importImporter,
}

// Exporter writes Nuke .nk script.
var Exporter = &format.Exporter{
	ID:     "NukeScript",
	Human:  "Nuke .nk script",
	Suffix: "nuke.nk",
	New:    newExporter,
}
