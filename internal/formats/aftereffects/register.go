// Package aftereffects reads and writes AfterEffects scripts that create null layers (FORMATS.md §5.3).
package aftereffects

import "tracksgo/internal/formats/format"

// Exporter writes AfterEffects .jsx script generating null layers.
var Exporter = &format.Exporter{
	ID:     "AE",
	Human:  "AfterEffects .jsx script generating null layers",
	Suffix: "createNulls.jsx",
	New:    newExporter,
}
