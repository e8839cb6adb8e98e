package web

import (
	"context"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/pipeline"
	"tracksgo/internal/preview"
)

// TestOutputsAreServedFromTheZip converts a job as the converter does: its
// result folder holds the zip and the preview, no output file, and each
// output is served out of the zip with the bytes the command line writes,
// its length, its validators and caching, HEAD and ranges; the job page
// gives each its size.
func TestOutputsAreServedFromTheZip(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{fileName: "three.json", content: []byte(threeTrackers), fields: [][2]string{
		{"exporter", "json"}, {"exporter", "nukescript"}, {"exporter", "shaketext"},
	}}, "application/json")
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	ctx := context.Background()
	j := e.claim("")
	if err := e.runJob(j); err != nil {
		t.Fatal(err)
	}
	j, _ = e.store.Get(ctx, j.ID)

	entries, err := os.ReadDir(e.cfg.ResultDir(j.ID))
	if err != nil {
		t.Fatal(err)
	}
	var inDir []string
	for _, d := range entries {
		inDir = append(inDir, d.Name())
	}
	want := []string{preview.SVGName, preview.TableName, ZipName(j)}
	slices.Sort(want)
	if !slices.Equal(inDir, want) {
		t.Errorf("result folder holds %q, want the zip and the preview only: %q", inDir, want)
	}

	// What the command line writes for the same file and formats.
	cliDir := t.TempDir()
	input := filepath.Join(cliDir, "three.json")
	os.WriteFile(input, []byte(threeTrackers), 0o644)
	res, err := pipeline.Run(ctx, pipeline.Request{Input: input, Exporters: []string{"json", "nukescript", "shaketext"}, Now: e.cfg.Now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != len(j.Result.Files) {
		t.Fatalf("job files %q, command line %q", j.Result.Files, res.Files)
	}
	_, page := e.get("/jobs/" + j.ID)
	for i, name := range j.Result.Files {
		cli, err := os.ReadFile(res.Files[i])
		if err != nil || filepath.Base(res.Files[i]) != name {
			t.Fatalf("%s: %v (command line %s)", name, err, res.Files[i])
		}
		path := "/jobs/" + j.ID + "/files/" + url.PathEscape(name)
		resp, got := e.get(path)
		if resp.StatusCode != 200 || got != string(cli) {
			t.Errorf("%s: %d, %d bytes; want the command line's %d", name, resp.StatusCode, len(got), len(cli))
		}
		if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(cli)) {
			t.Errorf("%s: Content-Length %q, want %d", name, cl, len(cli))
		}
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "text/plain; charset=utf-8" || !strings.Contains(cd, "attachment") {
			t.Errorf("%s: Content-Type %q, Content-Disposition %q", name, ct, cd)
		}
		checkCacheable(t, e, path, resp)
		if again, _ := e.get(path); again.Header.Get("ETag") != resp.Header.Get("ETag") {
			t.Errorf("%s: ETag changed from %s to %s", name, resp.Header.Get("ETag"), again.Header.Get("ETag"))
		}

		head := e.do(httptest.NewRequest("HEAD", path, nil))
		headBody, _ := io.ReadAll(head.Body)
		if head.StatusCode != 200 || len(headBody) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(cli)) {
			t.Errorf("%s HEAD: %d, %d bytes, Content-Length %q", name, head.StatusCode, len(headBody), head.Header.Get("Content-Length"))
		}
		if len(cli) > 20 {
			resp, got := e.get(path, "Range", "bytes=10-19")
			if resp.StatusCode != 206 || got != string(cli[10:20]) {
				t.Errorf("%s bytes=10-19: %d %q, want %q", name, resp.StatusCode, got, cli[10:20])
			}
		}
		if !strings.Contains(page, humanBytes(int64(len(cli)))) {
			t.Errorf("the job page gives %s no size %s", name, humanBytes(int64(len(cli))))
		}
	}

	// A zip written again (another run's) gives its files new
	// validators.
	path := "/jobs/" + j.ID + "/files/" + url.PathEscape(j.Result.Files[0])
	before, _ := e.get(path)
	os.Chtimes(ZipPath(e.cfg.ResultDir(j.ID), j), time.Now(), time.Now().Add(time.Hour))
	after, _ := e.get(path)
	if before.Header.Get("ETag") == after.Header.Get("ETag") || before.Header.Get("Last-Modified") == after.Header.Get("Last-Modified") {
		t.Errorf("validators of a rewritten zip: ETag %s, Last-Modified %s, as before", after.Header.Get("ETag"), after.Header.Get("Last-Modified"))
	}
	if again, _ := e.get(path, "If-None-Match", before.Header.Get("ETag")); again.StatusCode != 200 {
		t.Errorf("If-None-Match with the old ETag: %d", again.StatusCode)
	}

	// A zip gone: the files are gone with it.
	os.Remove(ZipPath(e.cfg.ResultDir(j.ID), j))
	if resp, _ := e.get(path); resp.StatusCode != 404 {
		t.Errorf("a file of a job without its zip: %d", resp.StatusCode)
	}
	if resp, page := e.get("/jobs/" + j.ID); resp.StatusCode != 200 || !strings.Contains(page, j.Result.Files[0]) {
		t.Errorf("the page of a job without its zip: %d", resp.StatusCode)
	}
}
