// Package xsi reads and writes Softimage XSI Python scripts with nulls (FORMATS.md §5.5).
package xsi

import "tracksgo/internal/formats/format"

// Exporter writes Autodesk Softimage nulls Python script.
var Exporter = &format.Exporter{
	ID:     "XSI",
	Human:  "Autodesk Softimage nulls Python script",
	Suffix: "xsi_nulls.py",
	New:    newExporter,
}
