package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/formats"
	"tracksgo/internal/jobs"
	"tracksgo/internal/runner"
	"tracksgo/internal/tools"
	"tracksgo/templates"
)

// fakeProgress stands in for the memcached reader: what a converter
// published, per job id.
type fakeProgress struct {
	mu sync.Mutex
	m  map[string]Progress
}

func (f *fakeProgress) Progress(ctx context.Context, j *jobs.Job) (Progress, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.m[j.ID]
	return p, ok
}

func (f *fakeProgress) set(id string, p Progress) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[id] = p
}

type env struct {
	t        *testing.T
	cfg      *config.Config
	store    *jobs.SQLite
	progress *fakeProgress
	srv      *Server
	logs     *bytes.Buffer
}

func newEnv(t *testing.T, vars ...string) *env {
	t.Helper()
	dir := t.TempDir()
	m := map[string]string{"DATA_DIR": dir}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	cfg, err := config.FromEnv(func(k string) string { return m[k] })
	if err != nil {
		t.Fatal(err)
	}
	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	log := logrus.New()
	logs := &bytes.Buffer{}
	log.SetOutput(logs)
	e := &env{t: t, cfg: cfg, store: store, progress: &fakeProgress{m: map[string]Progress{}}, logs: logs}
	e.srv, err = New(cfg, store, e.progress, log)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// do runs one request through the handler.
func (e *env) do(req *http.Request) *http.Response {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec.Result()
}

func (e *env) get(path string, header ...string) (*http.Response, string) {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp := e.do(req)
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// form is a multipart form: fields, then the file (if name or content).
type form struct {
	fields   [][2]string
	fileName string
	content  []byte
	noFile   bool
}

func (e *env) post(u form, accept string) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range u.fields {
		mw.WriteField(f[0], f[1])
	}
	if !u.noFile {
		fw, err := mw.CreateFormFile("file", u.fileName)
		if err != nil {
			e.t.Fatal(err)
		}
		fw.Write(u.content)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/jobs", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp := e.do(req)
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// uploads lists the files in the upload directory.
func (e *env) uploads() []string {
	e.t.Helper()
	entries, err := os.ReadDir(e.cfg.UploadDir())
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	return names
}

const nukeSample = "Tracker3 {\n track1 {{curve x1 100 x2 101} {curve x1 200 x2 201}}\n}\n"

func TestFormListsEveryImporterExporterAndTool(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `<option value="" data-autosize="auto" selected>Detect automatically</option>`) {
		t.Error("automatic detection is not the default importer")
	}
	for _, imp := range formats.Importers() {
		want := fmt.Sprintf(`<option value="%s" data-autosize="%t"`, imp.Name(), imp.AutoSize)
		if !strings.Contains(body, want) {
			t.Errorf("form lacks importer %s (%s)", imp.ID, want)
		}
	}
	defaults := map[string]bool{}
	for _, ex := range formats.DefaultExporters() {
		defaults[ex.Name()] = true
	}
	for _, ex := range formats.Exporters() {
		want := fmt.Sprintf(`name="exporter" value="%s"`, ex.Name())
		if defaults[ex.Name()] {
			want += " checked"
		}
		want += ">"
		if !strings.Contains(body, want) {
			t.Errorf("form lacks exporter %s as %s", ex.ID, want)
		}
	}
	for _, tl := range tools.All() {
		if tl.ID == "Lint" {
			continue
		}
		name := strings.ToLower(tl.ID)
		if !strings.Contains(body, fmt.Sprintf(`name="tool" value="%s"`, name)) {
			t.Errorf("form lacks tool %s", tl.ID)
		}
		for _, p := range tl.Params {
			if !strings.Contains(body, fmt.Sprintf(`name="t.%s.%s"`, name, p.Name)) {
				t.Errorf("form lacks parameter %s of tool %s", p.Name, tl.ID)
			}
		}
	}
	for _, want := range []string{`name="width"`, `name="height"`, `type="file" name="file"`, "data-drop", "comp size"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %s", want)
		}
	}
}

func TestStaticAssetsAreFingerprintedAndCacheable(t *testing.T) {
	e := newEnv(t)
	_, body := e.get("/")
	links := regexp.MustCompile(`/static/[a-z]+\.[0-9a-f]{12}\.(css|js|svg)`).FindAllString(body, -1)
	if len(links) < 3 {
		t.Fatalf("page links %d fingerprinted assets, want css, js and icon: %v", len(links), links)
	}
	for _, link := range links {
		resp, content := e.get(link)
		if resp.StatusCode != 200 || content == "" {
			t.Fatalf("%s: %d", link, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != templates.ImmutableCache {
			t.Errorf("%s: Cache-Control %q", link, cc)
		}
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", link)
		}
		again, _ := e.get(link, "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d, want 304", link, again.StatusCode)
		}
	}
	if resp, _ := e.get("/static/app.js"); resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unhashed name: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := e.get("/static/nope.0123456789ab.js"); resp.StatusCode != 404 {
		t.Errorf("missing asset: %d", resp.StatusCode)
	}

	dir := t.TempDir()
	if err := e.srv.Assets().Export(dir); err != nil {
		t.Fatal(err)
	}
	for _, link := range links {
		if _, err := os.Stat(filepath.Join(dir, strings.TrimPrefix(link, "/static/"))); err != nil {
			t.Errorf("exported assets lack %s: %v", link, err)
		}
	}
}

func TestCreateRedirectsToTheJob(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{
		fields: [][2]string{{"importer", "nukescript"}, {"width", "1920"}, {"height", "1080"},
			{"exporters-shown", "1"}, {"exporter", "nukescript"}, {"exporter", "AE"},
			{"tool", "scaler"}, {"t.scaler.x_factor", "2"}, {"t.scaler.y_factor", ""}},
		fileName: `C:\shots\sh010\track.nk`, content: []byte(nukeSample),
	}, "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /jobs: %d %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	m := regexp.MustCompile(`^/jobs/([0-9a-f]{32})$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("Location %q is not /jobs/<128-bit id>", loc)
	}
	j, err := e.store.Get(context.Background(), m[1])
	if err != nil {
		t.Fatal(err)
	}
	if j.FileName != "track.nk" || j.State != jobs.Queued {
		t.Errorf("job %q %s", j.FileName, j.State)
	}
	want := jobs.Options{Importer: "nukescript", Width: 1920, Height: 1080,
		Tools:     []tools.Spec{{Name: "scaler", Params: tools.Values{"x_factor": "2"}}},
		Exporters: []string{"nukescript", "ae"}}
	if got, _ := json.Marshal(j.Options); string(got) != string(mustJSON(t, want)) {
		t.Errorf("options %s, want %s", got, mustJSON(t, want))
	}
	if filepath.Dir(j.Upload) != e.cfg.UploadDir() || filepath.Base(j.Upload) != j.ID {
		t.Errorf("upload stored at %s, want %s/<id>", j.Upload, e.cfg.UploadDir())
	}
	if data, err := os.ReadFile(j.Upload); err != nil || string(data) != nukeSample {
		t.Errorf("stored upload: %q, %v", data, err)
	}
	if names := e.uploads(); len(names) != 1 {
		t.Errorf("upload directory holds %v, want only the upload", names)
	}
	if !strings.Contains(e.logs.String(), `job=`+j.ID) {
		t.Errorf("no log line with the job id: %s", e.logs)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCreateAnswersJSON(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{fileName: "flame.stabilizer", content: []byte("hello")}, "application/json")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /jobs: %d %s", resp.StatusCode, body)
	}
	var got struct {
		ID        string          `json:"id"`
		FileName  string          `json:"file_name"`
		State     string          `json:"state"`
		URL       string          `json:"url"`
		StatusURL string          `json:"status_url"`
		Options   json.RawMessage `json:"options"`
		Upload    *string         `json:"upload"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if got.State != "queued" || got.FileName != "flame.stabilizer" || got.URL != "/jobs/"+got.ID ||
		got.StatusURL != got.URL+"/status" || resp.Header.Get("Location") != got.URL || got.Upload != nil {
		t.Errorf("answer %s", body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	// Without exporters the job gets every default exporter.
	j, err := e.store.Get(context.Background(), got.ID)
	if err != nil || len(j.Options.Exporters) != 0 || j.Options.Importer != "" {
		t.Errorf("options %+v, %v", j.Options, err)
	}
}

func TestCreateRejectsBadInput(t *testing.T) {
	e := newEnv(t, "UPLOAD_LIMIT", "1000")
	file := func(f ...[2]string) form { return form{fields: f, fileName: "a.nk", content: []byte(nukeSample)} }
	cases := []struct {
		name string
		up   form
		code int
		msg  string
	}{
		{"no file", form{noFile: true}, 400, "Choose a track file"},
		{"no file chosen", form{fileName: ""}, 400, "Choose a track file"},
		{"empty file", form{fileName: "a.nk"}, 400, "is empty"},
		{"too large", form{fileName: "a.nk", content: bytes.Repeat([]byte("x"), 1001)}, 413, "limited to 1000 bytes"},
		{"unknown importer", file([2]string{"importer", "photoshop"}), 422, `Unknown importer "photoshop"`},
		{"missing size", file([2]string{"importer", "nukescript"}, [2]string{"width", "1920"}), 422, "Width and height must be provided"},
		{"bad width", file([2]string{"width", "wide"}), 422, `Width must be a positive whole number of pixels, not "wide"`},
		{"zero height", file([2]string{"height", "0"}), 422, "Height must be a positive whole number"},
		{"unknown exporter", file([2]string{"exporter", "gif"}), 422, `Unknown exporter "gif"`},
		{"no exporter", file([2]string{"exporters-shown", "1"}), 422, "Choose at least one output format"},
		{"unknown tool", file([2]string{"tool", "blur"}), 422, `Unknown tool "blur"`},
		{"bad tool value", file([2]string{"tool", "scaler"}, [2]string{"t.scaler.x_factor", "big"}), 422, `Scale: X factor: "big" is not a number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.post(c.up, "application/json")
			if resp.StatusCode != c.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.code, body)
			}
			var got errorJSON
			if err := json.Unmarshal([]byte(body), &got); err != nil || !strings.Contains(got.Error, c.msg) {
				t.Errorf("answer %s, want an error with %q", body, c.msg)
			}
			resp, body = e.post(c.up, "")
			if resp.StatusCode != c.code || !strings.Contains(body, `class="alert"`) || !strings.Contains(body, `<form class="upload"`) {
				t.Errorf("browser: %d, want %d and the form with the message:\n%s", resp.StatusCode, c.code, body)
			}
			if !strings.Contains(body, escaped(c.msg)) {
				t.Errorf("page lacks the message %q", c.msg)
			}
		})
	}
	// Nothing but the uploads a browser's form may send again without
	// them (its settings were refused, not the file), kept apart.
	for _, name := range e.uploads() {
		if name != "kept" {
			t.Errorf("rejected uploads left %s behind", name)
		}
	}
	kept, _ := os.ReadDir(e.srv.keptDir())
	if len(kept) != 2*8 { // the eight cases refused for their settings: file and name
		t.Errorf("kept uploads: %d files, want 16", len(kept))
	}
	if n := countJobs(t, e); n != 0 {
		t.Errorf("%d jobs created from bad input", n)
	}
}

// escaped escapes like html/template does for the messages above.
func escaped(s string) string {
	return strings.ReplaceAll(s, `"`, "&#34;")
}

func countJobs(t *testing.T, e *env) int {
	t.Helper()
	n := 0
	for {
		j, err := e.store.Claim(context.Background(), "counter", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if j == nil {
			return n
		}
		n++
	}
}

func TestRejectedFormKeepsTheUsersValues(t *testing.T) {
	e := newEnv(t)
	_, body := e.post(form{fields: [][2]string{{"importer", "nukescript"}, {"width", "2048"},
		{"exporters-shown", "1"}, {"exporter", "shaketext"},
		{"tool", "slipper"}, {"t.slipper.slip", "12"}}, noFile: true}, "")
	for _, want := range []string{
		`<option value="nukescript" data-autosize="false" data-ext=".nk" selected>`,
		`name="width" id="width" min="1" step="1" inputmode="numeric" value="2048"`,
		`name="exporter" value="shaketext" checked>`,
		`name="exporter" value="nukescript">`,
		`name="tool" value="slipper" checked data-tool-on>`,
		`name="order.slipper" value="1"`,
		`name="t.slipper.slip" value="12"`,
		`class="row size needed"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("re-shown form lacks %s", want)
		}
	}
}

func TestRejectedAPIFormKeepsTheDefaultExporters(t *testing.T) {
	e := newEnv(t)
	_, body := e.post(form{noFile: true}, "")
	for _, ex := range formats.DefaultExporters() {
		if !strings.Contains(body, fmt.Sprintf(`name="exporter" value="%s" checked>`, ex.Name())) {
			t.Errorf("re-shown form unchecked default exporter %s", ex.ID)
		}
	}
}

func TestUnknownJobIs404(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/jobs/" + jobs.NewID(), "/jobs/1", "/jobs/ABC", "/jobs/" + jobs.NewID() + "/status",
		"/jobs/" + jobs.NewID() + "/download", "/jobs/" + jobs.NewID() + "/files/x.txt", "/nothing"} {
		resp, body := e.get(path)
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
		if !strings.Contains(path, "/status") && !strings.Contains(body, "Not found") {
			t.Errorf("%s: not the 404 page: %s", path, body)
		}
	}
	resp, body := e.get("/jobs/"+jobs.NewID(), "Accept", "application/json")
	if resp.StatusCode != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("JSON 404: %d %s", resp.StatusCode, body)
	}
}

// newJob creates a job through the API and returns its id.
func (e *env) newJob(name string) string {
	e.t.Helper()
	resp, body := e.post(form{fileName: name, content: []byte(nukeSample),
		fields: [][2]string{{"width", "1920"}, {"height", "1080"}}}, "application/json")
	if resp.StatusCode != 201 {
		e.t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var v struct{ ID string }
	json.Unmarshal([]byte(body), &v)
	return v.ID
}

func (e *env) status(id string) (Progress, *http.Response) {
	e.t.Helper()
	resp, body := e.get("/jobs/" + id + "/status")
	var p Progress
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		e.t.Fatalf("status %s: %v", body, err)
	}
	return p, resp
}

func TestStatusFollowsTheJob(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.newJob("a.nk")
	p, resp := e.status(id)
	if p.State != jobs.Queued || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("queued: %+v, Cache-Control %q", p, resp.Header.Get("Cache-Control"))
	}

	j, err := e.store.Claim(ctx, "w1", time.Minute)
	if err != nil || j.ID != id {
		t.Fatalf("claim: %v %v", j, err)
	}
	// No progress published yet (or memcached down): the database's state.
	if p, _ = e.status(id); p.State != jobs.Running || p.Percent != 0 {
		t.Errorf("running without progress: %+v", p)
	}
	e.progress.set(id, Progress{State: jobs.Running, Percent: 42, Message: `Parsing channel "tracker1/ref/y"`})
	if p, _ = e.status(id); p.State != jobs.Running || p.Percent != 42 || p.Message != `Parsing channel "tracker1/ref/y"` {
		t.Errorf("running: %+v", p)
	}
	_, page := e.get("/jobs/" + id)
	for _, want := range []string{`aria-valuenow="42"`, "width: 42%", `<meta http-equiv="refresh" content="2">`, "<noscript>", "Parsing channel &#34;tracker1/ref/y&#34;"} {
		if !strings.Contains(page, want) {
			t.Errorf("running page lacks %s", want)
		}
	}

	if err := e.store.Fail(ctx, j.LeaseOf(), "Unknown input format"); err != nil {
		t.Fatal(err)
	}
	if p, _ = e.status(id); p.State != jobs.Failed || p.Error != "Unknown input format" {
		t.Errorf("failed: %+v", p)
	}
	_, page = e.get("/jobs/" + id)
	for _, want := range []string{"Conversion failed", "Unknown input format", "Choose the input format", "What to try"} {
		if !strings.Contains(page, want) {
			t.Errorf("failed page lacks %s", want)
		}
	}
	if strings.Contains(page, "http-equiv") {
		t.Error("failed page still refreshes itself")
	}
}

// claim claims the next queued job as a dispatcher does; it must be id
// ("" takes any).
func (e *env) claim(id string) *jobs.Job {
	e.t.Helper()
	j, err := e.store.Claim(context.Background(), "w1", time.Minute)
	if err != nil || j == nil || (id != "" && j.ID != id) {
		e.t.Fatalf("claim: %v %v", j, err)
	}
	return j
}

// runJob runs a claimed job as the converter does.
func (e *env) runJob(j *jobs.Job) error {
	log := logrus.New()
	log.SetOutput(e.logs)
	return (&runner.Runner{Config: e.cfg, Store: e.store, Log: log}).Run(context.Background(), j.LeaseOf())
}

// finish completes a job with outputs written as the converter does.
func (e *env) finish(id string, files map[string]string) *jobs.Job {
	e.t.Helper()
	ctx := context.Background()
	j := e.claim(id)
	dir := e.cfg.ResultDir(id)
	os.MkdirAll(dir, 0o755)
	res := &jobs.Result{Importer: "NukeScript", Width: 1920, Height: 1080, Trackers: 1, Keyframes: 2, FirstFrame: 0, LastFrame: 1}
	// The outputs are in the zip only.
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			e.t.Fatal(err)
		}
		io.WriteString(w, content)
		res.Files = append(res.Files, name)
	}
	if err := zw.Close(); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(ZipPath(dir, j), zipped.Bytes(), 0o644); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.Complete(ctx, j.LeaseOf(), res); err != nil {
		e.t.Fatal(err)
	}
	j, _ = e.store.Get(ctx, id)
	return j
}

func TestDoneJobOffersItsResults(t *testing.T) {
	e := newEnv(t)
	id := e.newJob("shot 1.nk")
	j := e.finish(id, map[string]string{"shot 1_nuke.nk": "nuke", "shot 1_shake_trackers.txt": "shake"})

	if p, _ := e.status(id); p.State != jobs.Done || p.Percent != 100 {
		t.Errorf("status %+v", p)
	}
	_, page := e.get("/jobs/" + id)
	for _, want := range []string{"Converted", "<dt>Detected format</dt><dd>Nuke script</dd>", "<dd>1</dd>", "<dd>2</dd>", "1–2", "1920 × 1080",
		`href="/jobs/` + id + `/download"`, `href="/jobs/` + id + `/files/shot%201_nuke.nk"`, "Shake trackers in a .txt file"} {
		if !strings.Contains(page, want) {
			t.Errorf("done page lacks %s", want)
		}
	}

	resp, body := e.get("/jobs/" + id + "/download")
	if zipped, _ := os.ReadFile(ZipPath(e.cfg.ResultDir(id), j)); resp.StatusCode != 200 || body != string(zipped) {
		t.Fatalf("download: %d %q", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("zip Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ZipName(j)) {
		t.Errorf("zip Content-Disposition %q", cd)
	}
	checkCacheable(t, e, "/jobs/"+id+"/download", resp)

	resp, body = e.get("/jobs/" + id + "/files/" + url.PathEscape("shot 1_nuke.nk"))
	if resp.StatusCode != 200 || body != "nuke" {
		t.Fatalf("file: %d %q", resp.StatusCode, body)
	}
	checkCacheable(t, e, "/jobs/"+id+"/files/"+url.PathEscape("shot 1_nuke.nk"), resp)

	// Only names in the result; nothing else of the data directory.
	os.WriteFile(filepath.Join(e.cfg.ResultDir(id), "other.txt"), []byte("x"), 0o644)
	for _, name := range []string{"other.txt", "..%2F..%2Fjobs.db", "..%2F" + id + "%2Fshot%201_nuke.nk", "%2Fetc%2Fpasswd", url.PathEscape(ZipName(j))} {
		if resp, _ := e.get("/jobs/" + id + "/files/" + name); resp.StatusCode != 404 {
			t.Errorf("files/%s: %d, want 404", name, resp.StatusCode)
		}
	}

	_, body = e.get("/jobs/"+id, "Accept", "application/json")
	var v jobJSON
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.DownloadURL != "/jobs/"+id+"/download" || len(v.FileURLs) != 2 || v.Result.Trackers != 1 {
		t.Errorf("job JSON %s (%v)", body, err)
	}
}

func checkCacheable(t *testing.T, e *env, path string, resp *http.Response) {
	t.Helper()
	if cc := resp.Header.Get("Cache-Control"); cc != templates.ImmutableCache {
		t.Errorf("%s: Cache-Control %q", path, cc)
	}
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("%s: ETag %q, Last-Modified %q", path, etag, lm)
	}
	if again, _ := e.get(path, "If-None-Match", etag); again.StatusCode != 304 {
		t.Errorf("%s If-None-Match: %d", path, again.StatusCode)
	}
	if again, _ := e.get(path, "If-Modified-Since", lm); again.StatusCode != 304 {
		t.Errorf("%s If-Modified-Since: %d", path, again.StatusCode)
	}
}

func TestResultsOfUnfinishedJobsAreNotServed(t *testing.T) {
	e := newEnv(t)
	id := e.newJob("a.nk")
	for _, p := range []string{"/download", "/files/a_nuke.nk"} {
		if resp, _ := e.get("/jobs/" + id + p); resp.StatusCode != 404 {
			t.Errorf("%s of a queued job: %d", p, resp.StatusCode)
		}
	}
}

// TestDetectedFormatNeedsSize: a file whose detected format does not store
// the comp size is refused at once when no size was given, saying why.
func TestDetectedFormatNeedsSize(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, content string
		fields        [][2]string
		code          int
		want          string
	}{
		{"shot.nk", nukeSample, nil, 422, "it looks like a Nuke script file, which does not store the comp size"},
		{"shot.nk", nukeSample, [][2]string{{"width", "1920"}, {"height", "1080"}}, 201, ""},
		{"plate.mov", "x", nil, 422, "We do not support movie file formats."},
		{"notes.txt", "foo\n", nil, 201, ""}, // unknown formats fail in their job
	} {
		resp, body := e.post(form{fields: c.fields, fileName: c.name, content: []byte(c.content)}, "application/json")
		if resp.StatusCode != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s %v: %d %s", c.name, c.fields, resp.StatusCode, body)
		}
	}
}
