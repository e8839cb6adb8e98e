package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/jobs"
	"tracksgo/internal/web"
)

// do sends one request with the given method, Accept header (if any) and
// body, and reads the whole answer.
func (s *service) do(method, path, accept, ctype string, body []byte) (*http.Response, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// isJSONError tells whether an answer is {"error": "…"} as JSON.
func isJSONError(resp *http.Response, body []byte) bool {
	var v struct{ Error string }
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") &&
		json.Unmarshal(body, &v) == nil && v.Error != ""
}

// TestHTTPDetails checks, through the real lighttpd and lighttpd.conf,
// the headers of static files, missing static files, the answers
// lighttpd gives itself, wrong methods and bad file names.
func TestHTTPDetails(t *testing.T) {
	d := startDeps(t)
	s := startService(t, d, filepath.Join(t.TempDir(), "data"))

	// Every static file: nosniff, cacheable for a year; 304 when unchanged.
	_, form := s.get("/")
	links := regexp.MustCompile(`/static/[a-z]+\.[0-9a-f]{12}\.(css|js|svg)`).FindAllString(string(form), -1)
	slices.Sort(links)
	links = slices.Compact(links)
	if len(links) < 3 {
		t.Fatalf("the form links %v, want the stylesheet, the script and the icon", links)
	}
	for _, link := range links {
		for _, method := range []string{"GET", "HEAD"} {
			resp, _ := s.do(method, link, "", "", nil)
			if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
				resp.Header.Get("Cache-Control") != "max-age=31536000" || resp.Header.Get("ETag") == "" {
				t.Errorf("%s %s: %d, nosniff %q, Cache-Control %q, ETag %q", method, link, resp.StatusCode,
					resp.Header.Get("X-Content-Type-Options"), resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
			}
		}
	}
	resp, _ := s.get(links[0])
	req, _ := http.NewRequest("GET", s.base+links[0], nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if again, err := client.Do(req); err != nil || again.StatusCode != http.StatusNotModified {
		t.Errorf("%s with If-None-Match: %v %v", links[0], again, err)
	} else {
		again.Body.Close()
	}

	// A missing static file: 404 that no cache keeps, as a page or JSON.
	for _, path := range []string{"/static/app.0123456789ab.js", "/static/nope.css", "/static/", "/static/sub/dir/x.js"} {
		for _, accept := range []string{"", "application/json"} {
			resp, body := s.do("GET", path, accept, "", nil)
			if resp.StatusCode != 404 || resp.Header.Get("Cache-Control") != "no-store" ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s (Accept %q): %d, Cache-Control %q, nosniff %q", path, accept, resp.StatusCode,
					resp.Header.Get("Cache-Control"), resp.Header.Get("X-Content-Type-Options"))
			}
			if (accept != "") != isJSONError(resp, body) {
				t.Errorf("GET %s (Accept %q): %s %s", path, accept, resp.Header.Get("Content-Type"), body)
			}
		}
	}

	// lighttpd's own 413 (the body is over server.max-request-size, the
	// application never sees it): a page, or JSON for a JSON client.
	huge := bytes.Repeat([]byte("x"), uploadLimit+4<<20)
	for _, asJSON := range []bool{false, true} {
		resp, body := s.upload("huge.nk", huge, nil, asJSON)
		if resp.StatusCode != 413 || !strings.Contains(string(body), "too large") || asJSON != isJSONError(resp, body) {
			t.Errorf("lighttpd's 413 (JSON client %t): %d %s %.200s", asJSON, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if !asJSON && !strings.Contains(string(body), "<!doctype html>") {
			t.Errorf("lighttpd's 413 for a browser is not the page: %.200s", body)
		}
	}

	// A wrong method on a known address: 405 with Allow.
	id := s.create("a.nk", []byte("Tracker3 {\n track1 {{curve x1 1 x2 2} {curve x1 3 x2 4}}\n}\n"),
		map[string]string{"width": "1920", "height": "1080"}, true)
	for _, c := range []struct{ method, path, allow string }{
		{"PUT", "/jobs/" + id, "GET, HEAD, DELETE, OPTIONS"},
		{"PATCH", "/jobs/" + id, "GET, HEAD, DELETE, OPTIONS"},
		{"DELETE", "/jobs/" + id + "/status", "GET, HEAD, OPTIONS"},
		{"PUT", "/jobs", "POST, OPTIONS"},
		{"GET", "/jobs", "POST, OPTIONS"},
		{"POST", "/", "GET, HEAD, OPTIONS"},
	} {
		for _, accept := range []string{"", "application/json"} {
			var payload []byte
			if c.method != "GET" {
				payload = []byte("x") // lighttpd refuses a GET with a body itself (400)
			}
			resp, body := s.do(c.method, c.path, accept, "text/plain", payload)
			if resp.StatusCode != 405 || resp.Header.Get("Allow") != c.allow || (accept != "") != isJSONError(resp, body) {
				t.Errorf("%s %s (Accept %q): %d, Allow %q, %s", c.method, c.path, accept, resp.StatusCode, resp.Header.Get("Allow"), body)
			}
		}
	}
	if resp, _ := s.do("PUT", "/nothing", "", "", nil); resp.StatusCode != 404 {
		t.Errorf("PUT /nothing: %d, want 404", resp.StatusCode)
	}

	// A NUL byte or a control character in the file name: 400.
	for _, name := range []string{"a\x00b.nk", "a\x01b.nk", "a\x7fb.nk"} {
		body := "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n\r\nTracker3 {\n}\n\r\n--XX--\r\n"
		for _, accept := range []string{"", "application/json"} {
			resp, b := s.do("POST", "/jobs", accept, "multipart/form-data; boundary=XX", []byte(body))
			if resp.StatusCode != 400 || !strings.Contains(string(b), "control character") || (accept != "") != isJSONError(resp, b) {
				t.Errorf("file name %q (Accept %q): %d %.200s", name, accept, resp.StatusCode, b)
			}
		}
	}

	// A method lighttpd does not know: its own 501, the exported page
	// (lighttpd answers it before reading the headers, so HTML always).
	if resp, body := s.do("FOO", "/", "application/json", "", nil); resp.StatusCode != 501 || !strings.Contains(string(body), "does not support this request method") {
		t.Errorf("FOO /: %d %.200s", resp.StatusCode, body)
	}
}

// fcgiLog is every line of the FastCGI processes' logs.
func (s *service) fcgiLog() string {
	var out strings.Builder
	logs, _ := filepath.Glob(filepath.Join(s.dataDir, "log", "fcgi-*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		out.Write(b)
	}
	return out.String()
}

func pidsOf(name string) []int {
	var pids []int
	for _, p := range serviceProcs() {
		if p.name == name {
			pids = append(pids, p.pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// TestCorruptDatabaseUnderLighttpd: with garbage over the database's
// header the FastCGI processes stay up (no respawn loop), every page says
// that the service cannot read its database (503, page and JSON), the log
// says the path and the cause once, and no dispatcher runs; a good
// database put in place is picked up without a restart.
func TestCorruptDatabaseUnderLighttpd(t *testing.T) {
	d := startDeps(t)
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(data, "jobs.db")
	store, err := jobs.OpenSQLite(db)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	garbage := bytes.Repeat([]byte("garbage!"), 32)
	f, err := os.OpenFile(db, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(garbage, 0)
	f.Close()
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")

	s := startServiceUntil(t, d, data, http.StatusServiceUnavailable)
	resp, body := s.get("/")
	if resp.StatusCode != 503 || !strings.Contains(string(body), web.MsgNoDatabase) || resp.Header.Get("Retry-After") == "" {
		t.Errorf("GET /: %d %.300s", resp.StatusCode, body)
	}
	id := jobs.NewID()
	for _, path := range []string{"/jobs/" + id, "/jobs/" + id + "/status"} {
		resp, body := s.do("GET", path, "application/json", "", nil)
		var v struct{ Error string }
		if resp.StatusCode != 503 || json.Unmarshal(body, &v) != nil || v.Error != web.MsgNoDatabase {
			t.Errorf("GET %s as JSON: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, body := s.upload("a.nk", []byte("x"), nil, true); resp.StatusCode != 503 || !isJSONError(resp, body) {
		t.Errorf("upload: %d %s", resp.StatusCode, body)
	}

	// The processes stay as they are: no respawn, no dispatcher.
	before := pidsOf("fcgi")
	errLog := strings.Count(s.errorLog(), "\n")
	deadline := time.Now().Add(4 * time.Second)
	for time.Now().Before(deadline) {
		s.get("/") // keep them busy as visitors would
		time.Sleep(200 * time.Millisecond)
	}
	after := pidsOf("fcgi")
	if len(before) == 0 || !slices.Equal(before, after) {
		t.Errorf("FastCGI processes %v, 4 s later %v: they must stay up, not respawn", before, after)
	}
	if w := pidsOf("worker"); len(w) != 0 {
		t.Errorf("dispatchers %v run without a database", w)
	}
	if n := strings.Count(s.errorLog(), "\n"); n != errLog {
		t.Errorf("lighttpd's error log grew by %d lines in 4 s:\n%s", n-errLog, s.errorLog())
	}
	var problems []string
	for line := range strings.Lines(s.fcgiLog()) {
		if strings.Contains(line, "cannot open the job database") && strings.Contains(line, `"level":"error"`) {
			problems = append(problems, line)
		}
	}
	if len(problems) != 1 || !strings.Contains(problems[0], db) || !strings.Contains(problems[0], "file is not a database") {
		t.Errorf("the problem is logged %d times (want once, with %s and the cause):\n%s", len(problems), db, strings.Join(problems, ""))
	}

	// A good database (a backup, here with one job) replaces the corrupt
	// one: the service picks it up without a restart.
	good := filepath.Join(t.TempDir(), "good.db")
	store, err = jobs.OpenSQLite(good)
	if err != nil {
		t.Fatal(err)
	}
	j := &jobs.Job{ID: jobs.NewID(), FileName: "kept.nk", Upload: filepath.Join(data, "uploads", "gone")}
	if err := store.Create(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	store.Close()
	if err := os.Rename(good, db); err != nil {
		t.Fatal(err)
	}
	renamed := time.Now()
	// Every process answers (each retries on its own backoff, and follows
	// the first one to open the database within a second): ten answers in
	// a row from the job page.
	ok := 0
	for ok < 10 {
		if time.Since(renamed) > 90*time.Second {
			t.Fatalf("the service did not recover within 90 s of a good database in place")
		}
		resp, body := s.do("GET", "/jobs/"+j.ID, "application/json", "", nil)
		if resp.StatusCode == 200 && strings.Contains(string(body), "kept.nk") {
			ok++
		} else {
			ok = 0
			time.Sleep(200 * time.Millisecond)
		}
	}
	t.Logf("recovered %v after the good database was put in place", time.Since(renamed).Round(time.Millisecond))
	if got := pidsOf("fcgi"); !slices.Equal(got, before) {
		t.Errorf("FastCGI processes %v after the recovery, were %v: it must not need a restart", got, before)
	}
	if n := strings.Count(s.fcgiLog(), "job database readable again"); n != 1 {
		t.Errorf("the recovery is logged %d times, want once", n)
	}
	deadlineW := time.Now().Add(30 * time.Second)
	for len(pidsOf("worker")) < len(before) {
		if time.Now().After(deadlineW) {
			t.Fatalf("dispatchers %v after the recovery, want one per FastCGI process %v", pidsOf("worker"), before)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
