package web

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var keptField = regexp.MustCompile(`name="kept" value="([0-9a-f]{32})"`)

// TestRefusedFormKeepsTheFile: a browser's form refused for its settings
// comes back with every field and the file, kept on the server under a
// token: sent again without a file, it converts that file. A token is
// used once; kept files older than an hour go.
func TestRefusedFormKeepsTheFile(t *testing.T) {
	e := newEnv(t)
	fields := [][2]string{{"exporters-shown", "1"}, {"exporter", "json"}, {"tool", "slipper"}, {"t.slipper.slip", "5"}}
	resp, page := e.post(form{fields: fields, fileName: "shot 1.nk", content: []byte(nukeSample)}, "")
	if resp.StatusCode != 422 {
		t.Fatalf("no size: %d", resp.StatusCode)
	}
	m := keptField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the refused form does not keep the file:\n%s", page)
	}
	for _, want := range []string{"Using the file you uploaded", "shot <wbr>1.<wbr>nk", "Your settings and your file are kept",
		`data-needs-size="true"`, "Format detected: Nuke script", `name="exporter" value="json" checked`,
		`name="t.slipper.slip" value="5"`, `name="order.slipper" value="1"`, `class="row size needed"`} {
		if !strings.Contains(page, want) {
			t.Errorf("refused form lacks %s", want)
		}
	}
	if strings.Contains(page, `name="file" id="file" required`) {
		t.Error("the file field is still required")
	}
	// The script finds the format menu by data-importer: nothing else
	// may carry it.
	if n := strings.Count(page, "data-importer"); n != 1 {
		t.Errorf("%d elements with data-importer", n)
	}

	resp, body := e.post(form{fields: append(fields, [2]string{"kept", m[1]}, [2]string{"width", "1920"}, [2]string{"height", "1080"}), noFile: true}, "")
	if resp.StatusCode != 303 {
		t.Fatalf("sent again with the kept file: %d %s", resp.StatusCode, body)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/jobs/")
	j, err := e.store.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(j.Upload); string(data) != nukeSample || j.FileName != "shot 1.nk" || j.Options.Width != 1920 ||
		len(j.Options.Tools) != 1 || j.Options.Exporters[0] != "json" {
		t.Errorf("job %+v with upload %q", j, data)
	}
	if kept, _ := os.ReadDir(e.srv.keptDir()); len(kept) != 0 {
		t.Errorf("the kept file stays once used: %v", kept)
	}
	resp, page = e.post(form{fields: [][2]string{{"kept", m[1]}, {"width", "1920"}, {"height", "1080"}}, noFile: true}, "")
	if resp.StatusCode != 422 || !strings.Contains(page, "no longer on the server") {
		t.Errorf("a used token: %d", resp.StatusCode)
	}

	// API clients get the error alone; nothing is kept for them.
	if resp, _ := e.post(form{fileName: "b.nk", content: []byte(nukeSample)}, "application/json"); resp.StatusCode != 422 {
		t.Errorf("API without size: %d", resp.StatusCode)
	}
	// A file refused for itself is not kept.
	if _, page := e.post(form{fileName: "plate.mov", content: []byte("x")}, ""); keptField.MatchString(page) {
		t.Error("a movie was kept")
	}
	if kept, _ := os.ReadDir(e.srv.keptDir()); len(kept) != 0 {
		t.Errorf("kept: %v", kept)
	}

	// Kept files past the hour go when another one is kept.
	_, page = e.post(form{fileName: "c.nk", content: []byte(nukeSample)}, "")
	old := keptField.FindStringSubmatch(page)[1]
	past := time.Now().Add(-2 * keptFor)
	for _, n := range []string{old, old + ".name"} {
		os.Chtimes(filepath.Join(e.srv.keptDir(), n), past, past)
	}
	e.post(form{fileName: "d.nk", content: []byte(nukeSample)}, "")
	if _, err := os.Stat(filepath.Join(e.srv.keptDir(), old)); !os.IsNotExist(err) {
		t.Errorf("a kept file past the hour is still there: %v", err)
	}
}

// TestConvertAgain: a job's "convert again" form holds its settings and
// its file; sent, it makes a new job of the same file, which outlives the
// first one's delete.
func TestConvertAgain(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{fileName: "shot.nk", content: []byte(nukeSample), fields: [][2]string{
		{"importer", "nukescript"}, {"width", "2048"}, {"height", "1556"}, {"exporter", "json"}, {"exporter", "shaketext"},
		{"tools", `[{"name": "prefix", "params": {"prefix": "cam"}}, {"name": "slipper", "params": {"slip": "10"}}, {"name": "flip"}]`},
	}}, "application/json")
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var first, v struct {
		ID          string `json:"id"`
		DeleteToken string `json:"delete_token"`
	}
	json.Unmarshal([]byte(body), &first)

	resp, page := e.get("/jobs/" + first.ID + "/again")
	if resp.StatusCode != 200 {
		t.Fatalf("again: %d", resp.StatusCode)
	}
	for _, want := range []string{"Convert again with other settings", `name="from" value="` + first.ID + `"`,
		`<option value="nukescript" data-autosize="false" data-ext=".nk" selected>`, `value="2048"`, `value="1556"`,
		`name="exporter" value="json" checked`, `name="exporter" value="shaketext" checked`, `name="exporter" value="nukescript">`,
		`name="t.prefix.prefix" value="cam"`, `name="order.prefix" value="1"`, `name="order.slipper" value="2"`, `name="order.flip" value="3"`} {
		if !strings.Contains(page, want) {
			t.Errorf("again form lacks %s", want)
		}
	}
	chosen := page[strings.Index(page, `id="chosen-tools"`):strings.Index(page, `id="tool-catalog"`)]
	if p, s, f := strings.Index(chosen, `id="tool-prefix"`), strings.Index(chosen, `id="tool-slipper"`), strings.Index(chosen, `id="tool-flip"`); p < 0 || s < p || f < s {
		t.Errorf("chosen tools not in the job's order: %d %d %d", p, s, f)
	}

	resp, body = e.post(form{noFile: true, fields: [][2]string{{"from", first.ID}, {"importer", "nukescript"},
		{"width", "1024"}, {"height", "778"}, {"tool", "flip"}}}, "application/json")
	if resp.StatusCode != 201 {
		t.Fatalf("convert again: %d %s", resp.StatusCode, body)
	}
	json.Unmarshal([]byte(body), &v)
	if v.ID == first.ID {
		t.Fatal("the same job")
	}
	again, _ := e.store.Get(context.Background(), v.ID)
	orig, _ := e.store.Get(context.Background(), first.ID)
	if again.Upload == orig.Upload || again.FileName != "shot.nk" || again.Options.Width != 1024 || len(again.Options.Tools) != 1 {
		t.Errorf("new job %+v", again)
	}
	// The first one's delete leaves the new one's file.
	req := deleteRequest(first.ID, first.DeleteToken)
	if resp := e.do(req); resp.StatusCode != 204 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if data, err := os.ReadFile(again.Upload); err != nil || string(data) != nukeSample {
		t.Errorf("the new job's file after the first one's delete: %q %v", data, err)
	}
	if resp, _ := e.get("/jobs/" + first.ID + "/again"); resp.StatusCode != 404 {
		t.Errorf("again of a deleted job: %d", resp.StatusCode)
	}
	resp, page = e.post(form{noFile: true, fields: [][2]string{{"from", first.ID}, {"width", "1"}, {"height", "1"}}}, "")
	if resp.StatusCode != 422 || !strings.Contains(page, "no longer on the server") || strings.Contains(page, `name="from"`) {
		t.Errorf("convert again from a deleted job: %d", resp.StatusCode)
	}
	// A job whose file went (past the retention) offers the form without it.
	os.Remove(again.Upload)
	if _, page := e.get("/jobs/" + again.ID + "/again"); !strings.Contains(page, "no longer on the server: choose it again") || strings.Contains(page, `name="from"`) {
		t.Error("again form of a job without its file")
	}
}
