// Package boujou reads and writes boujou feature track text exports (FORMATS.md §4.3, §5.21).
package boujou

import "tracksgo/internal/formats/format"

// Importer reads Boujou feature tracks export.
var Importer = &format.Importer{
	ID:     "Boujou",
	Human:  "Boujou feature tracks export",
	Short:  "boujou feature tracks",
	Sniff:  sniffImporter,
	Import: importImporter,
}

// Exporter writes boujou feature tracks.
var Exporter = &format.Exporter{
	ID:     "Boujou",
	Human:  "boujou feature tracks",
	Suffix: "boujou_text.txt",
	New:    newExporter,
}
