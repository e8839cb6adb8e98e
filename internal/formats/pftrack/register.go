// Package pftrack reads and writes PFTrack and PFMatchit .2dt files (FORMATS.md §4.9, §5.15-§5.17).
package pftrack

import "tracksgo/internal/formats/format"

// Importer reads PFTrack/PFMatchit .2dt file.
var Importer = &format.Importer{
	ID:         "PFTrack",
	Human:      "PFTrack/PFMatchit .2dt file",
	Short:      "PFTrack / PFMatchit .2dt tracks",
	Extensions: []string{".2dt"},
	Snags:      "PFTrack only exports the trackers for the solved part of the shot. To export the whole shot, first delete the camera solve.",
	Sniff:      sniffImporter,
	Import:     importImporter,
}

// Exporter4 writes PFTrack v4 .2dt file.
var Exporter4 = &format.Exporter{
	ID:     "PFTrack4",
	Human:  "PFTrack v4 .2dt file",
	Suffix: "pftrack_v4.2dt",
	New:    newExporter4,
}

// Exporter5 writes PFTrack v5 .2dt file (single camera).
var Exporter5 = &format.Exporter{
	ID:     "PFTrack5",
	Human:  "PFTrack v5 .2dt file (single camera)",
	Suffix: "pftrack_v5.2dt",
	New:    newExporter5,
}

// ExporterMatchit writes PFTrack2011/PFMatchit .txt file (single camera).
var ExporterMatchit = &format.Exporter{
	ID:     "PFMatchit",
	Human:  "PFTrack2011/PFMatchit .txt file (single camera)",
	Suffix: "pftrack_2011_pfmatchit.txt",
	New:    newExporterMatchit,
}
