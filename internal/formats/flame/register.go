// Package flame reads and writes Flame/Smoke 2D stabilizer setups, classic, 2014 and cornerpin (FORMATS.md §4.4, §5.7-§5.9).
package flame

import "tracksgo/internal/formats/format"

// Importer reads Flame .stabilizer file.
var Importer = &format.Importer{
	ID:         "FlameStabilizer",
	Human:      "Flame .stabilizer file",
	Short:      "Flame / Smoke 2D Stabilizer setup",
	Extensions: []string{".stabilizer"},
	AutoSize:   true,
	Sniff:      sniffImporter,
	Import:     importImporter,
}

// Exporter writes Flame/Smoke 2D Stabilizer setup.
var Exporter = &format.Exporter{
	ID:     "FlameStabilizer",
	Human:  "Flame/Smoke 2D Stabilizer setup",
	Suffix: "flame.stabilizer",
	New:    newExporter,
}

// Exporter2014 writes Flame/Smoke 2D Stabilizer setup (v. 2014 and above).
var Exporter2014 = &format.Exporter{
	ID:     "FlameStabilizer2014",
	Human:  "Flame/Smoke 2D Stabilizer setup (v. 2014 and above)",
	Suffix: "flamesmoke2014.stabilizer",
	New:    newExporter2014,
}

// Exporter2014Cornerpin writes Flame/Smoke 2D Stabilizer setup (v. 2014 and above) for corner pins.
var Exporter2014Cornerpin = &format.Exporter{
	ID:     "FlameStabilizer2014Cornerpin",
	Human:  "Flame/Smoke 2D Stabilizer setup (v. 2014 and above) for corner pins",
	Suffix: "flamesmoke_2014_cornerpin.stabilizer",
	New:    newExporter2014Cornerpin,
}

// ExporterCornerpin writes Flame/Smoke 2D Stabilizer setup for bilinear corner pins.
var ExporterCornerpin = &format.Exporter{
	ID:     "FlameStabilizerCornerpin",
	Human:  "Flame/Smoke 2D Stabilizer setup for bilinear corner pins",
	Suffix: "flame_cornerpin.stabilizer",
	New:    newExporterCornerpin,
}
