// Package mayalocators reads and writes Maya ASCII scenes with locators (FORMATS.md §5.11).
package mayalocators

import "tracksgo/internal/formats/format"

// Exporter writes Maya ASCII scene with locators on an image plane.
var Exporter = &format.Exporter{
	ID:     "MayaLocators",
	Human:  "Maya ASCII scene with locators on an image plane",
	Suffix: "mayaLocators.ma",
	New:    newExporter,
}
