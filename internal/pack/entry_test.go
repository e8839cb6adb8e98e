package pack

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestEntryServes: an entry served by http.ServeContent answers GET with
// its length and bytes, HEAD without a body, and ranges (forward, back,
// from the end, several) with the bytes there.
func TestEntryServes(t *testing.T) {
	dir := t.TempDir()
	content := trackText(rand.New(rand.NewPCG(5, 6)), 300_000)
	path := filepath.Join(dir, "all.zip")
	if err := Assemble(path, []Part{writePart(t, dir, "a.txt", content, 4096, time.Now())}, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := NewEntry(zr.File[0])
		defer e.Close()
		w.Header().Set("Content-Type", "text/plain")
		http.ServeContent(w, r, "a.txt", time.Now(), e)
	}))
	defer srv.Close()
	get := func(method, rng string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, srv.URL, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	resp, body := get("GET", "")
	if resp.StatusCode != 200 || !bytes.Equal(body, content) || resp.Header.Get("Content-Length") != strconv.Itoa(len(content)) {
		t.Errorf("GET: %d, %d bytes, Content-Length %s; want 200 and %d", resp.StatusCode, len(body), resp.Header.Get("Content-Length"), len(content))
	}
	resp, body = get("HEAD", "")
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Length") != strconv.Itoa(len(content)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s", resp.StatusCode, len(body), resp.Header.Get("Content-Length"))
	}
	for _, c := range []struct {
		rng  string
		want []byte
	}{
		{"bytes=100000-100009", content[100000:100010]},
		{"bytes=5-9", content[5:10]},
		{"bytes=-7", content[len(content)-7:]},
		{"bytes=299990-", content[299990:]},
	} {
		resp, body := get("GET", c.rng)
		if resp.StatusCode != 206 || !bytes.Equal(body, c.want) {
			t.Errorf("%s: %d %q, want 206 %q", c.rng, resp.StatusCode, body, c.want)
		}
	}
	// Several ranges, the second behind the first: a multipart answer
	// holding both.
	resp, body = get("GET", "bytes=200000-200004,10-14")
	if resp.StatusCode != 206 || !bytes.Contains(body, content[200000:200005]) || !bytes.Contains(body, content[10:15]) {
		t.Errorf("two ranges: %d\n%s", resp.StatusCode, body)
	}
}

// TestEntrySeekReads: reads after seeks back and forth, and past the end.
func TestEntrySeekReads(t *testing.T) {
	dir := t.TempDir()
	content := trackText(rand.New(rand.NewPCG(7, 8)), 50_000)
	path := filepath.Join(dir, "all.zip")
	if err := Assemble(path, []Part{writePart(t, dir, "a.txt", content, 1000, time.Now())}, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	e := NewEntry(zr.File[0])
	defer e.Close()
	for _, at := range []int64{40_000, 100, 100, 49_990, 0, 25_000} {
		if _, err := e.Seek(at, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 10)
		n, err := io.ReadFull(e, buf)
		if err != nil || !bytes.Equal(buf[:n], content[at:at+10]) {
			t.Errorf("at %d: %q (%v), want %q", at, buf[:n], err, content[at:at+10])
		}
	}
	if end, err := e.Seek(0, io.SeekEnd); err != nil || end != int64(len(content)) {
		t.Errorf("end %d %v", end, err)
	}
	if n, err := e.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d %v", n, err)
	}
	if _, err := e.Seek(-1, io.SeekStart); err == nil {
		t.Error("a seek before the start worked")
	}
}
