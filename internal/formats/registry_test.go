package formats

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
)

func TestExportersInCanonicalOrder(t *testing.T) {
	// FORMATS.md §2.2, in its listing order.
	want := []string{"Equalizer3", "Equalizer4", "AE", "Maxscript", "XSI", "Ruby", "FlameStabilizer",
		"FlameStabilizer2014", "FlameStabilizer2014Cornerpin", "FlameStabilizerCornerpin", "MatchMover",
		"MayaLocators", "MayaLive", "NukeScript", "NukeCameraUsertracks", "PFTrack4", "PFTrack5",
		"PFMatchit", "ShakeText", "SynthEyes", "Boujou"}
	got := DefaultExporters()
	if len(got) != len(want) {
		t.Fatalf("%d default exporters", len(got))
	}
	suffixes := map[string]bool{}
	for i, e := range got {
		if e.ID != want[i] {
			t.Errorf("exporter %d is %s, want %s", i, e.ID, want[i])
		}
		if e.New == nil || e.Suffix == "" || suffixes[e.Suffix] {
			t.Errorf("%s: incomplete or duplicate suffix", e.ID)
		}
		suffixes[e.Suffix] = true
	}
	if len(Exporters()) != 23 {
		t.Fatalf("%d exporters with json and mmsolver", len(Exporters()))
	}
}

func TestImportersInCanonicalOrder(t *testing.T) {
	want := []string{"Equalizer3", "Equalizer4", "AEKeyframes", "Boujou", "FlameStabilizer", "JSON", "MatchMover", "MatchMoverRZML",
		"MayaLive", "NukeScript", "PFTrack", "ShakeScript", "ShakeText", "SyntheyesAllTrackerPaths", "Syntheyes", "MMSolver"}
	var got []string
	for _, i := range Importers() {
		got = append(got, i.ID)
		if i.Import == nil || i.Sniff == nil {
			t.Errorf("%s: incomplete", i.ID)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v", got)
	}
}

// TestImportersHaveShortNames: every importer has a name of its own for
// people (the pages and the messages say it instead of the id).
func TestImportersHaveShortNames(t *testing.T) {
	seen := map[string]string{}
	for _, i := range Importers() {
		switch {
		case i.Short == "":
			t.Errorf("%s has no short name", i.ID)
		case seen[i.Short] != "":
			t.Errorf("%s and %s share the short name %q", seen[i.Short], i.ID, i.Short)
		case i.Short == i.ID || !strings.Contains(i.Short, " "):
			t.Errorf("%s: short name %q is a word, not what people call the format", i.ID, i.Short)
		}
		seen[i.Short] = i.ID
	}
	if got := ShortNames(); len(got) != len(Importers()) || got[0] != Importers()[0].Short {
		t.Errorf("ShortNames %q", got)
	}
}

func TestLookupIsCaseInsensitive(t *testing.T) {
	if i, err := LookupImporter("nUkEsCrIpT"); err != nil || i.ID != "NukeScript" {
		t.Fatal(i, err)
	}
	if e, err := LookupExporter("FLAMESTABILIZER"); err != nil || e.ID != "FlameStabilizer" {
		t.Fatal(e, err)
	}
	_, err := LookupExporter("gif")
	var ue *format.UserError
	if !errors.As(err, &ue) || ue.Code != format.CodeUnknownExporter || err.Error() != `Unknown exporter "gif"` {
		t.Fatal(err)
	}
}

func TestBlacklist(t *testing.T) {
	for _, name := range []string{"file.MOV", "file.mb", "vfx/shots/file.SNI", "file.PNG", "file.pptx", "x.pfb2", "x.docx", `C:\x\y.c4d`} {
		if Blacklisted(name) == nil {
			t.Errorf("%s accepted", name)
		}
	}
	for _, name := range []string{"file.txt", "file.2dt", "file.stabilizer", "noext", "a.nk"} {
		if err := Blacklisted(name); err != nil {
			t.Errorf("%s rejected: %v", name, err)
		}
	}
	if err := Blacklisted("a.ma"); err == nil || !strings.HasPrefix(err.Error(), "We cannot import Maya ASCII files directly") {
		t.Fatal(err)
	}
}

func TestDetectByExtension(t *testing.T) {
	for _, c := range []struct {
		name, id string
		auto     bool
	}{
		{`C:\WINDOZE_SHIT\SUPERDUPER.NK`, "NukeScript", false},
		{"stabilizer/uno.stabilizer", "FlameStabilizer", true},
		{"a.rz2", "MatchMover", true},
		{"a.rzml", "MatchMoverRZML", true},
		{"a.2dt", "PFTrack", false},
		{"a.shk", "ShakeScript", false},
		{"shot/Track_01.UV", "MMSolver", true},
	} {
		i, err := Detect(c.name, nil)
		if err != nil || i.ID != c.id || i.AutoSize != c.auto {
			t.Errorf("%s: %v %v", c.name, i, err)
		}
	}
	if _, err := Detect("unknown.someext", []byte("hello\n")); err == nil || !strings.HasPrefix(err.Error(), "Unknown input format") {
		t.Fatalf("got %v", err)
	}
}

// TestDetectByContent: every corpus file is detected from its first bytes
// alone when its name says nothing (as an upload named "tracks.txt").
func TestDetectByContent(t *testing.T) {
	root := filepath.Join(formattest.SharedDir(t), "corpus", "import")
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		exp := formattest.LoadExpected(t, filepath.ToSlash(rel))
		f, _ := os.Open(p)
		head := make([]byte, SniffSize)
		n, _ := f.Read(head)
		f.Close()
		i, err := Detect("upload.txt", head[:n])
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		if i.ID != exp.Importer {
			t.Errorf("%s: detected %s, want %s", rel, i.ID, exp.Importer)
		}
		return nil
	})
}
