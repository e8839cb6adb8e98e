package web

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/formattest"
)

func (e *env) detect(name string, head []byte) (int, detection) {
	e.t.Helper()
	req := httptest.NewRequest("POST", "/detect?name="+url.QueryEscape(name), bytes.NewReader(head))
	resp := e.do(req)
	var d detection
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		e.t.Fatalf("detect %s: %d %v", name, resp.StatusCode, err)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("detect: Cache-Control %q", cc)
	}
	return resp.StatusCode, d
}

// TestDetectAnswersTheServersDetection: POST /detect says of a file's
// name and first bytes what the conversion will find, in words: the
// format by the name people know it by, whether it needs the comp size,
// and whether the server refuses the file outright.
func TestDetectAnswersTheServersDetection(t *testing.T) {
	e := newEnv(t)
	ae, err := os.ReadFile(filepath.Join("..", "formats", "aekeyframes", "testdata", "max_cornerpin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, content       string
		importer, words     string
		needs, some, refuse bool
	}{
		{"shot.nk", nukeSample, "nukescript", "Format detected: Nuke script. It does not store the comp size", true, false, false},
		{"three.json", threeTrackers, "json", "The comp size is read from the file", false, false, false},
		{"corners.txt", string(ae), "aekeyframes", "After Effects / Mocha keyframe data. Some of its files store the comp size", false, true, false},
		{"notes.txt", "milk\neggs\n1 2 3\n", "", "No format recognises this file", false, false, false},
		{"image.txt", "\x89PNG\x00\x00", "", "binary file", false, false, false},
		{"plate.mov", "x", "", "We do not support movie file formats.", false, false, true},
		{"empty.txt", "", "", "The file is empty", false, false, true},
	} {
		code, d := e.detect(c.name, []byte(c.content))
		if code != 200 || d.Importer != c.importer || d.NeedsSize != c.needs || d.SizeInFile != c.some || d.Refused != c.refuse ||
			!strings.Contains(d.Message, c.words) {
			t.Errorf("%s: %d %+v", c.name, code, d)
		}
		if strings.Contains(d.Message, "NukeScript") || strings.Contains(d.Message, "AEKeyframes") {
			t.Errorf("%s: an id in %q", c.name, d.Message)
		}
	}

	// The first 8 KiB decide, as for the converter: a longer body is cut
	// there, and the answer is formats.Detect's on that head.
	for _, rel := range []string{"syntheyes_2d_paths/shake_tracker_nodes_to_syntheyes.txt", "syntheyes_all_tracker_paths"} {
		path := formattest.ImportPath(t, rel)
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			entries, _ := os.ReadDir(path)
			path = filepath.Join(path, entries[0].Name())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := formats.Detect(filepath.Base(path), data[:min(len(data), formats.SniffSize)])
		if err != nil {
			t.Fatal(err)
		}
		if _, d := e.detect(filepath.Base(path), data); d.Importer != want.Name() || d.Format != want.Short || d.NeedsSize != !want.AutoSize {
			t.Errorf("%s: %+v, want %s", rel, d, want.ID)
		}
	}

	if code, _ := e.detect("a\x00.nk", []byte(nukeSample)); code != 400 {
		t.Errorf("a NUL byte in the name: %d, want 400", code)
	}
}
