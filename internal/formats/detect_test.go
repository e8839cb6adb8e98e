package formats

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
)

// notTracks reads testdata/notracks: text that is no track file (FORMATS.md
// §11.9). The name each file is detected under is its own, except where its
// extension alone selects an importer (.json, which the user's name asks
// for): then ".txt" is added, so that the content has to speak.
func notTracks(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "notracks", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 30 {
		t.Fatalf("only %d files in testdata/notracks", len(paths))
	}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		if ByExtension(name) != nil {
			if Ext(name) != ".json" {
				t.Fatalf("%s: its extension selects an importer", name)
			}
			name += ".txt"
		}
		files[name] = data[:min(len(data), SniffSize)]
	}
	return files
}

// TestNoImporterClaimsNotTracks: no importer's detection, on its own,
// claims any file of the negative set, nor any cut of one at a line end.
func TestNoImporterClaimsNotTracks(t *testing.T) {
	for name, head := range notTracks(t) {
		cuts := [][]byte{head}
		for i, c := range head {
			if c == '\n' {
				cuts = append(cuts, head[:i+1])
			}
		}
		for _, imp := range Importers() {
			for _, cut := range cuts {
				if sc := imp.Sniff(cut); sc != 0 {
					t.Errorf("%s (first %d bytes): %s scores %d, want 0", name, len(cut), imp.ID, sc)
					break
				}
			}
		}
	}
}

// TestDetectNotTracks: each file of the negative set is "Unknown input
// format", and the message lists every format tried by its user name.
func TestDetectNotTracks(t *testing.T) {
	for name, head := range notTracks(t) {
		imp, err := Detect(name, head)
		if imp != nil {
			t.Errorf("%s: detected as %s", name, imp.ID)
			continue
		}
		checkUnknownFormat(t, name, err)
	}
}

func checkUnknownFormat(t *testing.T, name string, err error) {
	t.Helper()
	var ue *format.UserError
	if !errors.As(err, &ue) || ue.Code != format.CodeUnknownFormat {
		t.Errorf("%s: got %v, want an %s error", name, err, format.CodeUnknownFormat)
		return
	}
	// The formats as people name them, not the ids.
	var names []string
	for _, i := range Importers() {
		names = append(names, i.Short)
	}
	if want := "Unknown input format (tried: " + strings.Join(names, ", ") + ")"; err.Error() != want {
		t.Errorf("%s: message %q, want %q", name, err.Error(), want)
	}
}

// TestDetectOwnExports: what the exporters write is detected, by content
// alone, as the format that reads it back.
func TestDetectOwnExports(t *testing.T) {
	readBy := map[string]string{
		"Equalizer3": "Equalizer3", "Equalizer4": "Equalizer4", "Boujou": "Boujou",
		"FlameStabilizer": "FlameStabilizer", "FlameStabilizer2014": "FlameStabilizer",
		"FlameStabilizerCornerpin": "FlameStabilizer", "FlameStabilizer2014Cornerpin": "FlameStabilizer",
		"MatchMover": "MatchMover", "MayaLive": "MayaLive", "NukeScript": "NukeScript",
		"NukeCameraUsertracks": "ShakeText", "ShakeText": "ShakeText",
		"PFTrack4": "PFTrack", "PFTrack5": "PFTrack", "PFMatchit": "PFTrack",
		"SynthEyes": "Syntheyes", "JSON": "JSON", "MMSolver": "MMSolver",
	}
	o := format.Options{Now: func() time.Time { return time.Unix(1e9, 0) }}
	seen := 0
	for _, e := range Exporters() {
		want, ok := readBy[e.ID]
		if !ok {
			continue
		}
		seen++
		out := formattest.ExportString(t, e, o, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
		head := []byte(out)[:min(len(out), SniffSize)]
		imp, err := Detect("upload.txt", head)
		if err != nil {
			t.Errorf("%s export: %v", e.ID, err)
			continue
		}
		if imp.ID != want {
			t.Errorf("%s export: detected %s, want %s", e.ID, imp.ID, want)
		}
	}
	if seen != len(readBy) {
		t.Fatalf("%d of the %d exporters found", seen, len(readBy))
	}
}
