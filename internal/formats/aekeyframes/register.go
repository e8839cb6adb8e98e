// Package aekeyframes reads the keyframe data After Effects puts on the
// clipboard, and that Mocha and other programs write to be pasted into AE
// (FORMATS.md §4.14).
package aekeyframes

import "tracksgo/internal/formats/format"

// Importer reads After Effects / Mocha keyframe data. The comp size is in
// the header of most files (Source Width/Height) but not of all, so the
// importer is of the "size in the file when there, else required" kind.
// It has no snags text: its own "no 2D track" error says more.
var Importer = &format.Importer{
	ID:         "AEKeyframes",
	Human:      "After Effects / Mocha keyframe data (.txt)",
	Short:      "After Effects / Mocha keyframe data",
	AutoSize:   true,
	SizeInFile: true,
	Sniff:      sniff,
	Import:     importKeyframes,
}
