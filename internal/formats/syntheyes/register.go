// Package syntheyes reads and writes SynthEyes 2D tracker paths and All Tracker Paths (FORMATS.md §4.12, §4.13, §5.19).
package syntheyes

import "tracksgo/internal/formats/format"

// AllPathsImporter reads Syntheyes "All Tracker Paths" export .txt file.
var AllPathsImporter = &format.Importer{
	ID:     "SyntheyesAllTrackerPaths",
	Human:  "Syntheyes \"All Tracker Paths\" export .txt file",
	Short:  "SynthEyes \"All Tracker Paths\" export",
	Snags:  "Syntheyes has two formats for exporting tracks. One is called \"Tracker 2-D paths\" in the menu. The other is called \"All Tracker Paths\". You told Tracksperanto to treat your file as \"All Tracker Paths\", if something goes wrong might be a good idea to try the other Tracksperanto input format",
	Sniff:  sniffAllPathsImporter,
	Import: importAllPathsImporter,
}

// Importer reads Syntheyes "Tracker 2-D paths" file.
var Importer = &format.Importer{
	ID:     "Syntheyes",
	Human:  "Syntheyes \"Tracker 2-D paths\" file",
	Short:  "SynthEyes \"Tracker 2-D paths\" export",
	Snags:  "Syntheyes has two formats for exporting tracks. One is called \"Tracker 2-D paths\" in the menu. The other is called \"All Tracker Paths\". You told Tracksperanto to treat your file as \"Tracker 2-D paths\", if something goes wrong might be a good idea to try the other Tracksperanto input format",
	Sniff:  sniffImporter,
	Import: importImporter,
}

// Exporter writes Syntheyes 2D tracker paths file.
var Exporter = &format.Exporter{
	ID:     "SynthEyes",
	Human:  "Syntheyes 2D tracker paths file",
	Suffix: "syntheyes_2dt.txt",
	New:    newExporter,
}
