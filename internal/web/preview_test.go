package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tracksgo/internal/preview"
)

// threeTrackers: "a" on frames 0-2, a name of markup and quotes on 0 and
// 4 (a gap), "c" on frame 1 alone.
const threeTrackers = `{"width": 1920, "height": 1080, "trackers": [
{"name": "a", "keyframes": [{"frame": 0, "x": 10, "y": 10, "residual": 0}, {"frame": 1, "x": 500, "y": 300, "residual": 0}, {"frame": 2, "x": 900, "y": 700, "residual": 0}]},
{"name": "<i>&\"odd</i>", "keyframes": [{"frame": 0, "x": 1000, "y": 100, "residual": 0}, {"frame": 4, "x": 1500, "y": 900, "residual": 0}]},
{"name": "c", "keyframes": [{"frame": 1, "x": 1800, "y": 1000, "residual": 0}]}
]}`

// TestDonePageShowsThePreview converts a job as the converter does and
// reads its page: the drawing of the outputs' trackers (after the tools)
// is inlined with one titled path per tracker, the table has a row for
// each, and neither file is an output: not listed, not zipped, not
// served as a file.
func TestDonePageShowsThePreview(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{fileName: "three.json", content: []byte(threeTrackers), fields: [][2]string{
		{"exporter", "json"}, {"exporter", "nukescript"},
		{"tools", `[{"name": "slipper", "params": {"slip": "100"}}]`},
	}}, "application/json")
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	j := e.claim("")
	if err := e.runJob(j); err != nil {
		t.Fatal(err)
	}

	_, page := e.get("/jobs/" + j.ID)
	start, end := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if start < 0 || end < start {
		t.Fatalf("no inline SVG in the done page:\n%s", page)
	}
	svg := page[start : end+len("</svg>")]
	// The drawing is well-formed XML as inlined, and draws each tracker
	// as a group with its title and its path (and its coverage row).
	d := xml.NewDecoder(strings.NewReader(svg))
	var titles []string
	groups, inTitle := 0, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("inline SVG: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "g" && len(tok.Attr) > 0 && strings.HasPrefix(tok.Attr[0].Value, "trk") {
				groups++
			}
			inTitle = tok.Name.Local == "title"
		case xml.CharData:
			if inTitle {
				titles = append(titles, string(tok))
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	if want := []string{"a", `<i>&"odd</i>`, "c"}; groups != 3 || !slices.Equal(titles, want) {
		t.Errorf("%d tracker groups titled %q, want 3 titled %q", groups, titles, want)
	}
	if n := len(regexp.MustCompile(`<g id="trk\d+" stroke="#[0-9a-f]{6}"><title>[^<]*</title><path d="M[^"]+"/><path d="M[^"]+"/></g>`).FindAllString(svg, -1)); n != 3 {
		t.Errorf("%d groups of a titled path and a coverage row, want 3:\n%s", n, svg)
	}
	if strings.Contains(page, `<i>&"odd`) {
		t.Error("a tracker's name reached the page unescaped")
	}
	// One row per tracker, linked to its group; frames after the slip,
	// counting from 1; the gap counted.
	rows := regexp.MustCompile(`(?s)<tr data-t="(trk\d)"><th scope="row"><a href="#(trk\d)"><span class="swatch" style="background: #[0-9a-f]{6}"></span>(.*?)</a></th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>`).FindAllStringSubmatch(page, -1)
	want := [][]string{
		{"trk0", "trk0", "a", "101", "103", "3", "0"},
		{"trk1", "trk1", "&lt;i&gt;&amp;&#34;odd&lt;/i&gt;", "101", "105", "2", "1"},
		{"trk2", "trk2", "c", "102", "102", "1", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d table rows, want %d:\n%s", len(rows), len(want), page)
	}
	for i, w := range want {
		if !slices.Equal(rows[i][1:], w) {
			t.Errorf("row %d: %q, want %q", i, rows[i][1:], w)
		}
	}

	// Beside the outputs, but not one of them.
	res := e.cfg.ResultDir(j.ID)
	for _, name := range []string{preview.SVGName, preview.TableName} {
		if _, err := os.Stat(filepath.Join(res, name)); err != nil {
			t.Errorf("%s not in the result folder: %v", name, err)
		}
		if resp, _ := e.get("/jobs/" + j.ID + "/files/" + name); resp.StatusCode != 404 {
			t.Errorf("%s served as an output: %d", name, resp.StatusCode)
		}
		if strings.Contains(page, `href="/jobs/`+j.ID+`/files/`+name) {
			t.Errorf("%s listed for download", name)
		}
	}
	_, body = e.get("/jobs/"+j.ID, "Accept", "application/json")
	var v struct{ Result struct{ Files []string } }
	json.Unmarshal([]byte(body), &v)
	if len(v.Result.Files) != 2 || slices.Contains(v.Result.Files, preview.SVGName) || slices.Contains(v.Result.Files, preview.TableName) {
		t.Errorf("result files %q", v.Result.Files)
	}
	resp, zipBody := e.get("/jobs/" + j.ID + "/download")
	zr, err := zip.NewReader(bytes.NewReader([]byte(zipBody)), int64(len(zipBody)))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("zip: %d %v", resp.StatusCode, err)
	}
	var zipped []string
	for _, f := range zr.File {
		zipped = append(zipped, f.Name)
	}
	if !slices.Equal(zipped, v.Result.Files) {
		t.Errorf("zip holds %q, want the outputs %q only", zipped, v.Result.Files)
	}

	// A job converted before previews has none, and its page still works.
	for _, name := range []string{preview.SVGName, preview.TableName} {
		os.Remove(filepath.Join(res, name))
	}
	if resp, page := e.get("/jobs/" + j.ID); resp.StatusCode != 200 || strings.Contains(page, "<svg") || strings.Contains(page, "data-preview") {
		t.Errorf("page without a preview: %d", resp.StatusCode)
	}
}
