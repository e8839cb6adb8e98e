package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"tracksgo/internal/jobs"
)

// TestFormIsRenderedOnceAndRevalidated: the form answers with an ETag,
// the same one every time, and a request that has it gets 304 without
// the page.
func TestFormIsRenderedOnceAndRevalidated(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/")
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || tag == "" || !strings.Contains(body, `<form`) {
		t.Fatalf("GET /: %d ETag %q", resp.StatusCode, tag)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache (revalidate every time)", cc)
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Error("the form lost the headers every answer carries")
	}
	again, body2 := e.get("/")
	if again.Header.Get("ETag") != tag || body2 != body {
		t.Error("the form changed between two requests")
	}
	resp, body = e.get("/", "If-None-Match", tag)
	if resp.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("revalidation: %d with %d bytes, want 304 and nothing", resp.StatusCode, len(body))
	}
	resp, _ = e.get("/", "If-None-Match", `"stale"`)
	if resp.StatusCode != 200 {
		t.Errorf("a stale ETag: %d, want the page", resp.StatusCode)
	}
}

// TestQueuedJobsWakeTheDispatcher: OnQueued is called once per job
// queued, and not for a refused upload.
func TestQueuedJobsWakeTheDispatcher(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	n := 0
	e.srv.OnQueued(func() { mu.Lock(); n++; mu.Unlock() })
	e.newJob("a.nk")
	e.newJob("b.nk")
	e.post(form{fileName: "empty.nk"}, "application/json")
	mu.Lock()
	defer mu.Unlock()
	if n != 2 {
		t.Errorf("OnQueued called %d times for 2 jobs queued", n)
	}
}

// cachedProgress answers some jobs from the cache alone.
type cachedProgress struct {
	fakeProgress
	cached map[string]Progress
}

func (c *cachedProgress) Cached(_ context.Context, id string) (Progress, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.cached[id]
	return p, ok
}

// stubbornStore fails every read: the status action must not need it.
type stubbornStore struct{ jobs.Store }

func (stubbornStore) Get(context.Context, string) (*jobs.Job, error) {
	return nil, context.DeadlineExceeded
}

// TestStatusFromTheCacheNeedsNoDatabase: what the cache tells for sure is
// answered without reading the job; anything else reads it.
func TestStatusFromTheCacheNeedsNoDatabase(t *testing.T) {
	e := newEnv(t)
	known, other := e.newJob("a.nk"), e.newJob("b.nk")
	cp := &cachedProgress{fakeProgress: fakeProgress{m: map[string]Progress{}},
		cached: map[string]Progress{known: {State: jobs.Done, Percent: 100, Message: "Wrote 1 points and 2 keyframes", Attempt: 1}}}
	srv, err := New(e.cfg, stubbornStore{e.store}, cp, e.srv.log)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	p, resp := e.status(known)
	if resp.StatusCode != 200 || p.State != jobs.Done || p.Message != "Wrote 1 points and 2 keyframes" || p.Attempt != 1 {
		t.Errorf("cached: %d %+v", resp.StatusCode, p)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if resp, _ := e.get("/jobs/" + other + "/status"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("not in the cache: %d, want the database read (which fails here: 503)", resp.StatusCode)
	}
}

func TestETagMatch(t *testing.T) {
	const tag = `"abc"`
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{` "x" ,W/"abc" `, true},
		{`*`, true},
		{`"abcd"`, false},
		{`"ab"`, false},
		{`W/`, false},
		{`,,,`, false},
		{`"x"`, false},
	} {
		if got := etagMatch(c.header, tag); got != c.want {
			t.Errorf("etagMatch(%q, %q) = %v, want %v", c.header, tag, got, c.want)
		}
	}
}
