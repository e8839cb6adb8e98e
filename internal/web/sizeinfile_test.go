package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSizeInFileFormats: a format whose files hold the comp size only
// sometimes (AE keyframe data) is offered under its human name, the form
// does not demand a size for it, the hint says that it uses one where the
// file has none, and an upload without a size is accepted: the job asks
// for one if the file turns out to have none.
func TestSizeInFileFormats(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<option value="aekeyframes" data-autosize="true" data-ext="">After Effects / Mocha keyframe data (.txt)</option>`,
		"those whose files hold it only sometimes (After Effects / Mocha keyframe data",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	start := strings.Index(body, "The comp size in pixels.")
	if start < 0 {
		t.Fatal("the form has no size hint")
	}
	hint := body[start:]
	if i := strings.Index(hint, "ignore it;"); i < 0 || strings.Contains(hint[:i], "After Effects") {
		t.Error("After Effects keyframe data is listed among the formats that ignore the size")
	}

	data, err := os.ReadFile(filepath.Join("..", "formats", "aekeyframes", "testdata", "max_cornerpin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fields := range [][2]string{{"importer", ""}, {"importer", "aekeyframes"}} {
		resp, body := e.post(form{fields: [][2]string{fields}, fileName: "corners.txt", content: data}, "application/json")
		if resp.StatusCode != 201 {
			t.Errorf("%v: %d %s", fields, resp.StatusCode, body)
		}
	}
}
