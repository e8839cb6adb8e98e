// Package equalizer reads and writes 3D Equalizer point exports, v3 and v4 (FORMATS.md §4.1, §4.2, §5.1, §5.2).
package equalizer

import "tracksgo/internal/formats/format"

// Import3 reads 3DE v3 point export file.
var Import3 = &format.Importer{
	ID:       "Equalizer3",
	Human:    "3DE v3 point export file",
	Short:    "3DE v3 point export",
	AutoSize: true,
	Sniff:    sniffImport3,
	Import:   importImport3,
}

// Import4 reads 3DE v4 point export file.
var Import4 = &format.Importer{
	ID:     "Equalizer4",
	Human:  "3DE v4 point export file",
	Short:  "3DE v4 point export",
	Sniff:  sniffImport4,
	Import: importImport4,
}

// Export3 writes 3DE v3 point export .txt file.
var Export3 = &format.Exporter{
	ID:     "Equalizer3",
	Human:  "3DE v3 point export .txt file",
	Suffix: "3de_v3.txt",
	New:    newExport3,
}

// Export4 writes 3DE v4 point export .txt file.
var Export4 = &format.Exporter{
	ID:     "Equalizer4",
	Human:  "3DE v4 point export .txt file",
	Suffix: "3de_v4.txt",
	New:    newExport4,
}
