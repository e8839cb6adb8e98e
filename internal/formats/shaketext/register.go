// Package shaketext reads and writes Shake tracker text files and Nuke CameraTracker exports (FORMATS.md §4.11, §5.14, §5.18).
package shaketext

import "tracksgo/internal/formats/format"

// Importer reads Shake .txt tracker file and Nuke CameraTracker auto tracks export.
var Importer = &format.Importer{
	ID:     "ShakeText",
	Human:  "Shake .txt tracker file and Nuke CameraTracker auto tracks export",
	Short:  "Shake tracker text or Nuke CameraTracker export",
	Sniff:  sniffImporter,
	Import: importImporter,
}

// Exporter writes Shake trackers in a .txt file.
var Exporter = &format.Exporter{
	ID:     "ShakeText",
	Human:  "Shake trackers in a .txt file",
	Suffix: "shake_trackers.txt",
	New:    newExporter,
}

// NukeCameraExporter writes Nuke CameraTracker node autotracks (enable import/export in the Tracking tab).
var NukeCameraExporter = &format.Exporter{
	ID:     "NukeCameraUsertracks",
	Human:  "Nuke CameraTracker node autotracks (enable import/export in the Tracking tab)",
	Suffix: "nuke_cam_trk_autotracks.txt",
	New:    newNukeCameraExporter,
}
