// Package formats is the registry of every importer and exporter, and the
// detection of a file's format (FORMATS.md §2.2, §3, §11.5).
package formats

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"tracksgo/internal/formats/aekeyframes"
	"tracksgo/internal/formats/aftereffects"
	"tracksgo/internal/formats/boujou"
	"tracksgo/internal/formats/equalizer"
	"tracksgo/internal/formats/flame"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/jsontracks"
	"tracksgo/internal/formats/matchmover"
	"tracksgo/internal/formats/maxscript"
	"tracksgo/internal/formats/mayalive"
	"tracksgo/internal/formats/mayalocators"
	"tracksgo/internal/formats/mmsolver"
	"tracksgo/internal/formats/nuke"
	"tracksgo/internal/formats/pftrack"
	"tracksgo/internal/formats/ruby"
	"tracksgo/internal/formats/shakescript"
	"tracksgo/internal/formats/shaketext"
	"tracksgo/internal/formats/syntheyes"
	"tracksgo/internal/formats/xsi"
)

// byHuman sorts descriptions by human name, byte-wise: the canonical order
// of the listings and of the multiplexer.
func byHuman[T any](list []T, human func(T) string) []T {
	sort.SliceStable(list, func(i, j int) bool { return human(list[i]) < human(list[j]) })
	return list
}

var importers = byHuman([]*format.Importer{
	equalizer.Import3, equalizer.Import4, aekeyframes.Importer, boujou.Importer, flame.Importer,
	matchmover.Importer, matchmover.RZMLImporter, mayalive.Importer, nuke.Importer,
	pftrack.Importer, shakescript.Importer, shaketext.Importer,
	syntheyes.AllPathsImporter, syntheyes.Importer, jsontracks.Importer, mmsolver.Importer,
}, func(i *format.Importer) string { return i.Human })

// defaultExporters are the 21 formats of the original, written by default.
var defaultExporters = byHuman([]*format.Exporter{
	equalizer.Export3, equalizer.Export4, aftereffects.Exporter, maxscript.Exporter,
	xsi.Exporter, ruby.Exporter, flame.Exporter, flame.Exporter2014,
	flame.Exporter2014Cornerpin, flame.ExporterCornerpin, matchmover.Exporter,
	mayalocators.Exporter, mayalive.Exporter, nuke.Exporter, shaketext.NukeCameraExporter,
	pftrack.Exporter4, pftrack.Exporter5, pftrack.ExporterMatchit, shaketext.Exporter,
	syntheyes.Exporter, boujou.Exporter,
}, func(e *format.Exporter) string { return e.Human })

// exporters adds the formats written only when asked for: the JSON
// interchange format and mmSolver's .uv.
var exporters = byHuman(append(append([]*format.Exporter(nil), defaultExporters...), jsontracks.Exporter, mmsolver.Exporter),
	func(e *format.Exporter) string { return e.Human })

// Importers lists every importer in canonical order.
func Importers() []*format.Importer { return append([]*format.Importer(nil), importers...) }

// Exporters lists every exporter in canonical order, those written only on
// request (JSON, mmSolver) included.
func Exporters() []*format.Exporter { return append([]*format.Exporter(nil), exporters...) }

// DefaultExporters lists the exporters a conversion writes when none are chosen.
func DefaultExporters() []*format.Exporter {
	return append([]*format.Exporter(nil), defaultExporters...)
}

// ShortNames lists the importers by the names people know them by
// (Importer.Short), in canonical order.
func ShortNames() []string {
	names := make([]string, len(importers))
	for i, imp := range importers {
		names[i] = imp.Short
	}
	return names
}

// LookupImporter finds an importer by name, case-insensitively.
func LookupImporter(name string) (*format.Importer, error) {
	for _, i := range importers {
		if strings.EqualFold(i.ID, name) {
			return i, nil
		}
	}
	return nil, &format.UserError{Code: format.CodeUnknownImporter, Msg: fmt.Sprintf("Unknown importer %q", name)}
}

// LookupExporter finds an exporter by name, case-insensitively.
func LookupExporter(name string) (*format.Exporter, error) {
	for _, e := range exporters {
		if strings.EqualFold(e.ID, name) {
			return e, nil
		}
	}
	return nil, &format.UserError{Code: format.CodeUnknownExporter, Msg: fmt.Sprintf("Unknown exporter %q", name)}
}

// Ext is the lower-cased last extension of a file name, with its dot.
// Both slash and backslash separate folders, whatever the platform.
func Ext(name string) string {
	base := BaseName(name)
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return ""
	}
	return strings.ToLower(base[i:])
}

// BaseName is the last element of a path written with / or \.
func BaseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// ByExtension returns the importer an extension selects unambiguously, or nil.
func ByExtension(name string) *format.Importer {
	ext := Ext(name)
	if ext == "" {
		return nil
	}
	for _, i := range importers {
		for _, e := range i.Extensions {
			if e == ext {
				return i
			}
		}
	}
	return nil
}

// SniffSize is how much of the start of a file detection looks at.
const SniffSize = 8 << 10

// Detect chooses the importer for a file: its extension first where it is
// unambiguous, else its content (head = the first SniffSize bytes).
func Detect(name string, head []byte) (*format.Importer, error) {
	if i := ByExtension(name); i != nil {
		return i, nil
	}
	var best *format.Importer
	bestScore := 0
	for _, i := range importers {
		if i.Sniff == nil {
			continue
		}
		if s := i.Sniff(head); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best == nil {
		if looksBinary(head) {
			return nil, &format.UserError{Code: format.CodeUnknownFormat, Msg: "Unknown input format: this is a binary file, not a track export"}
		}
		return nil, &format.UserError{Code: format.CodeUnknownFormat,
			Msg: "Unknown input format (tried: " + strings.Join(ShortNames(), ", ") + ")"}
	}
	return best, nil
}

func looksBinary(head []byte) bool {
	return bytes.IndexByte(head, 0) >= 0
}
