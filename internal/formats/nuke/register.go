// Package nuke reads and writes Nuke .nk scripts (FORMATS.md §4.8, §5.13).
package nuke

import "tracksgo/internal/formats/format"

// Importer reads Nuke .nk script file with Tracker, Reconcile3D, Transform2D, PlanarTracker and CornerPin nodes.
var Importer = &format.Importer{
	ID:         "NukeScript",
	Human:      "Nuke .nk script file with Tracker, Reconcile3D, Transform2D, PlanarTracker and CornerPin nodes",
	Extensions: []string{".nk"},
	Snags:      "The only supported nodes that we can extract tracks from are Transform2D, Reconcile3D, PlanarTracker and Tracker (we support Nuke 5 up to and including 8)",
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
