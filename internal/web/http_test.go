package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
)

// rawUpload posts a multipart body with the file part's Content-Disposition
// written as given, byte for byte.
func (e *env) rawUpload(disposition, accept string) (*http.Response, string) {
	e.t.Helper()
	body := "--XX\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n1920\r\n" +
		"--XX\r\nContent-Disposition: form-data; name=\"height\"\r\n\r\n1080\r\n" +
		"--XX\r\nContent-Disposition: " + disposition + "\r\nContent-Type: text/plain\r\n\r\n" +
		nukeSample + "\r\n--XX--\r\n"
	req := httptest.NewRequest("POST", "/jobs", strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=XX")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp := e.do(req)
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestControlBytesInTheFileNameAre400(t *testing.T) {
	e := newEnv(t)
	for name, disposition := range map[string]string{
		"NUL":             "form-data; name=\"file\"; filename=\"a\x00b.nk\"",
		"SOH":             "form-data; name=\"file\"; filename=\"a\x01b.nk\"",
		"ESC":             "form-data; name=\"file\"; filename=\"a\x1bb.nk\"",
		"DEL":             "form-data; name=\"file\"; filename=\"a\x7fb.nk\"",
		"tab":             "form-data; name=\"file\"; filename=\"a\tb.nk\"",
		"line break":      "form-data; name=\"file\"; filename=\"a\nb.nk\"",
		"encoded NUL":     "form-data; name=\"file\"; filename*=UTF-8''a%00b.nk",
		"encoded newline": "form-data; name=\"file\"; filename*=UTF-8''a%0Ab.nk",
		"C1 control":      "form-data; name=\"file\"; filename*=UTF-8''a%C2%85b.nk",
	} {
		for _, accept := range []string{"application/json", ""} {
			resp, body := e.rawUpload(disposition, accept)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s (Accept %q): %d, want 400: %s", name, accept, resp.StatusCode, body)
				continue
			}
			if name != "line break" && !strings.Contains(body, "control character") {
				t.Errorf("%s (Accept %q): the answer does not say why: %s", name, accept, body)
			}
			if accept != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s: Content-Type %q for a JSON client", name, resp.Header.Get("Content-Type"))
			}
		}
	}
	if left := e.uploads(); len(left) != 0 {
		t.Errorf("refused uploads left files behind: %v", left)
	}
	if n := countJobs(t, e); n != 0 {
		t.Errorf("%d jobs created from refused uploads", n)
	}
	if strings.Contains(e.logs.String(), "level=error") {
		t.Errorf("a refused file name was logged as a server error:\n%s", e.logs)
	}

	// Spaces and letters beyond ASCII are file names like any other.
	resp, body := e.rawUpload("form-data; name=\"file\"; filename*=UTF-8''pl%C3%A5te%20one.nk", "application/json")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(body, `"file_name":"plåte one.nk"`) {
		t.Errorf("plåte one.nk: %d %s", resp.StatusCode, body)
	}
}

func TestWrongMethodIs405WithAllow(t *testing.T) {
	e := newEnv(t)
	id := e.newJob("a.nk")
	for _, c := range []struct{ path, allow string }{
		{"/", "GET, HEAD, OPTIONS"},
		{"/jobs", "POST, OPTIONS"},
		{"/jobs/" + id, "GET, HEAD, DELETE, OPTIONS"},
		{"/jobs/" + id + "/delete", "POST, OPTIONS"},
		{"/jobs/" + id + "/again", "GET, HEAD, OPTIONS"},
		{"/detect", "POST, OPTIONS"},
		{"/jobs/" + id + "/status", "GET, HEAD, OPTIONS"},
		{"/jobs/" + id + "/download", "GET, HEAD, OPTIONS"},
		{"/jobs/" + id + "/files/a_nuke.nk", "GET, HEAD, OPTIONS"},
		{"/static/app.js", "GET, HEAD, OPTIONS"},
	} {
		for _, method := range []string{"PUT", "DELETE", "PATCH", "POST", "GET"} {
			if strings.Contains(c.allow, method) {
				continue
			}
			for _, accept := range []string{"", "application/json"} {
				req := httptest.NewRequest(method, c.path, strings.NewReader("x"))
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				resp := e.do(req)
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
					t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
					continue
				}
				var v errorJSON
				isJSON := json.Unmarshal(body, &v) == nil && strings.Contains(v.Error, method)
				if (accept != "") != isJSON || !strings.Contains(string(body), "takes "+c.allow) {
					t.Errorf("%s %s (Accept %q): %s", method, c.path, accept, body)
				}
			}
		}
		resp := e.do(httptest.NewRequest("OPTIONS", c.path, nil))
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Allow") != c.allow {
			t.Errorf("OPTIONS %s: %d, Allow %q", c.path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	// An address the site does not have stays 404, whatever the method.
	for _, method := range []string{"GET", "PUT", "DELETE"} {
		resp := e.do(httptest.NewRequest(method, "/nothing/here", nil))
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Allow") != "" {
			t.Errorf("%s /nothing/here: %d, Allow %q", method, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

// TestMissingStaticFileIsNotCacheable: lighttpd hands the application the
// static URLs it finds no file for; the answer must not be kept by any
// cache, since a later release may add that very file.
func TestMissingStaticFileIsNotCacheable(t *testing.T) {
	e := newEnv(t)
	for _, accept := range []string{"", "application/json"} {
		resp, body := e.get("/static/app.0123456789ab.js", "Accept", accept)
		if resp.StatusCode != 404 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("missing static file (Accept %q): %d, Cache-Control %q", accept, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		if accept != "" && !strings.HasPrefix(body, `{"error":`) {
			t.Errorf("missing static file, JSON client: %s", body)
		}
	}
	if resp, _ := e.get("/static/"); resp.StatusCode != 404 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/static/: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// TestWithoutDatabaseEveryPageIs503: until the database opens, every page
// and action says that the service cannot read its database (the static
// files still serve), then everything works without a restart.
func TestWithoutDatabaseEveryPageIs503(t *testing.T) {
	e := newEnv(t)
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv, err := New(e.cfg, nil, e.progress, log)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	id := jobs.NewID()
	check := func(req *http.Request, json bool) {
		t.Helper()
		resp := e.do(req)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: %d, Retry-After %q, Cache-Control %q", req.Method, req.URL, resp.StatusCode,
				resp.Header.Get("Retry-After"), resp.Header.Get("Cache-Control"))
		}
		want := MsgNoDatabase
		if json {
			want = `{"error":"` + MsgNoDatabase + `"}`
		}
		if !strings.Contains(string(body), want) {
			t.Errorf("%s %s: the answer lacks %q:\n%s", req.Method, req.URL, want, body)
		}
	}
	for _, p := range []string{"/", "/jobs/" + id, "/jobs/" + id + "/download", "/nothing"} {
		check(httptest.NewRequest("GET", p, nil), false)
		req := httptest.NewRequest("GET", p, nil)
		req.Header.Set("Accept", "application/json")
		check(req, true)
	}
	check(httptest.NewRequest("GET", "/jobs/"+id+"/status", nil), true) // always JSON
	up := httptest.NewRequest("POST", "/jobs", bytes.NewReader([]byte("x")))
	up.Header.Set("Accept", "application/json")
	check(up, true)

	// The 503 page keeps its look: its stylesheet serves.
	_, page := e.get("/")
	link := regexp.MustCompile(`/static/style\.[0-9a-f]{12}\.css`).FindString(page)
	if link == "" {
		t.Fatalf("the 503 page links no stylesheet:\n%s", page)
	}
	if resp, _ := e.get(link); resp.StatusCode != 200 {
		t.Errorf("%s without a database: %d, want the file", link, resp.StatusCode)
	}

	srv.SetStore(e.store)
	if resp, _ := e.get("/"); resp.StatusCode != 200 {
		t.Errorf("GET / once the database opened: %d", resp.StatusCode)
	}
	id = e.newJob("a.nk")
	if p, resp := e.status(id); resp.StatusCode != 200 || p.State != jobs.Queued {
		t.Errorf("status once the database opened: %d %+v", resp.StatusCode, p)
	}
}

// TestErrorPagesOfTheWebServer: every answer lighttpd gives itself exists
// as a page and as JSON saying the same.
func TestErrorPagesOfTheWebServer(t *testing.T) {
	e := newEnv(t)
	pages, err := e.srv.ErrorPages()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{400, 408, 411, 413, 414, 417, 431, 500, 501, 502, 503, 504, 505} {
		p, ok := pages[code]
		if !ok {
			t.Errorf("no page for %d", code)
			continue
		}
		var v errorJSON
		if err := json.Unmarshal(p.JSON, &v); err != nil || v.Error == "" {
			t.Errorf("%d: JSON %s: %v", code, p.JSON, err)
			continue
		}
		if !bytes.Contains(p.HTML, []byte(escaped(v.Error))) || !bytes.Contains(p.HTML, []byte("<html")) {
			t.Errorf("%d: the page does not say %q", code, v.Error)
		}
	}
	if !bytes.Contains(pages[413].JSON, []byte("too large")) {
		t.Errorf("413: %s", pages[413].JSON)
	}
}

// TestAPIErrorsAreJSON: every error the application answers is JSON for
// a client that asks for JSON.
func TestAPIErrorsAreJSON(t *testing.T) {
	e := newEnv(t, "UPLOAD_LIMIT", "100")
	id := e.newJobSized("a.nk")
	for _, c := range []struct {
		method, path, ctype string
		body                string
		code                int
	}{
		{"GET", "/nothing", "", "", 404},
		{"GET", "/jobs/" + jobs.NewID(), "", "", 404},
		{"GET", "/jobs/" + id + "/download", "", "", 404},
		{"GET", "/static/nope.js", "", "", 404},
		{"PUT", "/jobs/" + id, "", "", 405},
		{"DELETE", "/jobs/" + id, "", "", 403}, // no token
		{"DELETE", "/jobs/" + jobs.NewID(), "", "", 403},
		{"POST", "/jobs", "text/plain", "x", 400},
		{"POST", "/jobs", "multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.nk\"\r\n\r\n" + strings.Repeat("x", 200) + "\r\n--XX--\r\n", 413},
	} {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		req.Header.Set("Accept", "application/json")
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		resp := e.do(req)
		body, _ := io.ReadAll(resp.Body)
		var v errorJSON
		if resp.StatusCode != c.code || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal(body, &v) != nil || v.Error == "" {
			t.Errorf("%s %s: %d %q %s; want %d with {\"error\": …}", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, c.code)
		}
	}
}

// newJobSized is newJob for a server whose upload limit is small.
func (e *env) newJobSized(name string) string {
	e.t.Helper()
	resp, body := e.post(form{fileName: name, content: []byte("Tracker3 {\n}\n"),
		fields: [][2]string{{"width", "1920"}, {"height", "1080"}}}, "application/json")
	if resp.StatusCode != 201 {
		e.t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var v struct{ ID string }
	json.Unmarshal([]byte(body), &v)
	return v.ID
}

// TestStatusSaysTheAttempt: the status carries the attempt, so that the
// page's poller tells a new try (which starts again from 0 %) from the
// same one going back.
func TestStatusSaysTheAttempt(t *testing.T) {
	e := newEnv(t)
	id := e.newJob("a.nk")
	if p, _ := e.status(id); p.Attempt != 0 {
		t.Errorf("queued: %+v", p)
	}
	if _, err := e.store.Claim(t.Context(), "w1", 60e9); err != nil {
		t.Fatal(err)
	}
	e.progress.set(id, Progress{State: jobs.Running, Percent: 42, Message: "Exporting"})
	if p, _ := e.status(id); p.Attempt != 1 || p.Percent != 42 {
		t.Errorf("running: %+v", p)
	}
}
