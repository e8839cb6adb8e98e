// Package shakescript reads and writes Shake .shk scripts (FORMATS.md §4.10).
package shakescript

import "tracksgo/internal/formats/format"

// Importer reads Shake .shk script file.
var Importer = &format.Importer{
	ID:         "ShakeScript",
	Human:      "Shake .shk script file",
	Short:      "Shake script",
	Extensions: []string{".shk"},
	Snags:      "Expressions in node parameters may cause parse errors or incomplete imports. Take care to remove expressions or nodes containing them first.",
	Sniff:      sniffImporter,
	Import:     importImporter,
}
