package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tracksgo/internal/jobs"
)

func deleteRequest(id, token string) *http.Request {
	req := httptest.NewRequest("DELETE", "/jobs/"+id, nil)
	req.Header.Set("X-Delete-Token", token)
	return req
}

// deletingProgress records the jobs whose live progress was removed.
type deletingProgress struct {
	fakeProgress
	mu      sync.Mutex
	deleted []string
}

func (d *deletingProgress) Delete(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.deleted = append(d.deleted, id)
	return nil
}

// TestDeleteFromTheBrowser: the browser that uploaded a file gets the
// job's delete token in a cookie of the job's path only; its job page
// (and no one else's) offers "Delete this job now", whose post removes
// the row, the upload, the results and the live progress. A second
// delete is a clean 404; without the cookie it is refused.
func TestDeleteFromTheBrowser(t *testing.T) {
	e := newEnv(t)
	dp := &deletingProgress{fakeProgress: fakeProgress{m: map[string]Progress{}}}
	e.srv.progress = dp
	resp, _ := e.post(form{fileName: "shot.nk", content: []byte(nukeSample), fields: [][2]string{{"width", "1920"}, {"height", "1080"}}}, "")
	if resp.StatusCode != 303 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/jobs/")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == deleteCookie {
			cookie = c
		}
	}
	if cookie == nil || cookie.Path != "/jobs/"+id || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode ||
		cookie.MaxAge != int(e.cfg.Retention/time.Second) || len(cookie.Value) != 32 {
		t.Fatalf("delete cookie %+v", cookie)
	}
	if strings.Contains(resp.Header.Get("Location"), cookie.Value) {
		t.Error("the token is in the job's address")
	}
	j := e.finish(id, map[string]string{"shot_nuke.nk": "nuke"})

	_, page := e.get("/jobs/" + id)
	if strings.Contains(page, `id="delete-job"`) || !strings.Contains(page, "Only the browser that uploaded the file") {
		t.Error("a page without the creator's cookie offers the delete")
	}
	withCookie := func(method, path string) *http.Response {
		req := httptest.NewRequest(method, path, nil)
		req.AddCookie(&http.Cookie{Name: deleteCookie, Value: cookie.Value})
		return e.do(req)
	}
	resp = withCookie("GET", "/jobs/"+id)
	body := readAll(resp)
	if !strings.Contains(body, `<form method="post" action="/jobs/`+id+`/delete" data-delete>`) || !strings.Contains(body, "Delete this job now") ||
		!strings.Contains(resp.Header.Get("Vary"), "Cookie") {
		t.Errorf("the creator's page lacks the delete button (Vary %q)", resp.Header.Get("Vary"))
	}

	if resp := e.do(httptest.NewRequest("POST", "/jobs/"+id+"/delete", nil)); resp.StatusCode != 403 {
		t.Errorf("delete without the cookie: %d", resp.StatusCode)
	}
	resp = withCookie("POST", "/jobs/"+id+"/delete")
	if body := readAll(resp); resp.StatusCode != 200 || !strings.Contains(body, "Job deleted") {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	if _, err := e.store.Get(context.Background(), id); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("the job after its delete: %v", err)
	}
	for _, p := range []string{j.Upload, e.cfg.ResultDir(id)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s after the delete: %v", p, err)
		}
	}
	if len(dp.deleted) != 1 || dp.deleted[0] != id {
		t.Errorf("live progress deleted for %v", dp.deleted)
	}
	if resp := withCookie("POST", "/jobs/"+id+"/delete"); resp.StatusCode != 404 {
		t.Errorf("second delete: %d", resp.StatusCode)
	}
	if resp, _ := e.get("/jobs/" + id); resp.StatusCode != 404 {
		t.Errorf("page of a deleted job: %d", resp.StatusCode)
	}
}

func readAll(resp *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// TestDeleteFromTheAPI: the 201 answer carries the delete token; DELETE
// with it is 204, with another job's token 403, a second time 404. A
// running job deleted so is dropped by its run: the real runner finds
// its lease lost and places nothing.
func TestDeleteFromTheAPI(t *testing.T) {
	e := newEnv(t)
	create := func() (id, token string) {
		resp, body := e.post(form{fileName: "three.json", content: []byte(threeTrackers)}, "application/json")
		var v struct {
			ID          string `json:"id"`
			DeleteToken string `json:"delete_token"`
			DeleteURL   string `json:"delete_url"`
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil || resp.StatusCode != 201 || len(v.DeleteToken) != 32 || v.DeleteURL != "/jobs/"+v.ID {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
		return v.ID, v.DeleteToken
	}
	id, token := create()
	other, otherToken := create()
	if _, body := e.get("/jobs/"+id, "Accept", "application/json"); strings.Contains(body, token) || strings.Contains(body, "delete") {
		t.Errorf("the job's JSON tells its token: %s", body)
	}
	if resp := e.do(deleteRequest(id, otherToken)); resp.StatusCode != 403 {
		t.Errorf("another job's token: %d", resp.StatusCode)
	}

	// The job runs; its creator deletes it meanwhile.
	j := e.claim(id)
	req := httptest.NewRequest("DELETE", "/jobs/"+id+"?token="+token, nil)
	if resp := e.do(req); resp.StatusCode != 204 {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, readAll(resp))
	}
	if err := e.runJob(j); !errors.Is(err, jobs.ErrLeaseLost) {
		t.Errorf("the deleted job's run: %v, want a lost lease", err)
	}
	if _, err := os.Stat(e.cfg.ResultDir(id)); !os.IsNotExist(err) {
		t.Errorf("results of the deleted job: %v", err)
	}
	resp := e.do(deleteRequest(id, token))
	var v errorJSON
	if resp.StatusCode != 404 || json.NewDecoder(resp.Body).Decode(&v) != nil || v.Error == "" {
		t.Errorf("second DELETE: %d", resp.StatusCode)
	}
	// The other job is untouched.
	if o, err := e.store.Get(context.Background(), other); err != nil || o.State != jobs.Queued {
		t.Errorf("the other job: %+v %v", o, err)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.UploadDir(), other)); err != nil {
		t.Errorf("the other job's upload: %v", err)
	}
}
