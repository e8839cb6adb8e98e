package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
	"tracksgo/internal/web"
)

// corrupt writes garbage over the header of a real database.
func corrupt(t *testing.T, path string) {
	t.Helper()
	store, err := jobs.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte("garbage!"), 32), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, side := range []string{"-wal", "-shm"} {
		os.Remove(path + side)
	}
}

// logLines are the lines of the fcgi logs that contain s.
func logLines(t *testing.T, dir, s string) []string {
	t.Helper()
	var out []string
	logs, _ := filepath.Glob(filepath.Join(dir, "fcgi-*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		for line := range strings.Lines(string(b)) {
			if strings.Contains(line, s) {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestCorruptDatabase: with a database whose header is garbage the
// process stays up, answers 503 saying it cannot read its database (page
// and JSON), logs the path and the cause once however often it retries,
// runs no dispatcher; once a good database is in place it serves without
// a restart and starts its dispatcher.
func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FCGI_TEST_ROLE", "worker")
	t.Setenv("FCGI_TEST_DIR", dir)
	cfg, getenv := testConfig(t, "WORKER_BIN", os.Args[0])
	corrupt(t, cfg.DBPath)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Getenv, m.Listener, m.HTTP = getenv, l, true
	m.opener = &opener{open: jobs.OpenSQLite, min: 50 * time.Millisecond, max: 200 * time.Millisecond}
	tries := countOpens(m.opener)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	defer m.Close()
	var base string
	select {
	case addr := <-m.Addr:
		base = "http://" + addr.String()
	case err := <-errc:
		t.Fatalf("Run with a corrupt database returned: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("not serving within 20s")
	}

	get := func(path string, asJSON bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if asJSON {
			req.Header.Set("Accept", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor(t, 10*time.Second, "five tries to open the database", func() bool { return tries() >= 5 })
	if code, body := get("/", false); code != 503 || !strings.Contains(body, web.MsgNoDatabase) {
		t.Errorf("GET /: %d\n%s", code, body)
	}
	code, body := get("/jobs/"+jobs.NewID(), true)
	var v struct{ Error string }
	if code != 503 || json.Unmarshal([]byte(body), &v) != nil || v.Error != web.MsgNoDatabase {
		t.Errorf("GET /jobs/… as JSON: %d %s", code, body)
	}
	select {
	case err := <-errc:
		t.Fatalf("Run returned with the database still corrupt: %v", err)
	default:
	}
	if _, err := os.Stat(filepath.Join(dir, "starts")); err == nil {
		t.Error("a dispatcher was started without a database")
	}
	lines := logLines(t, cfg.LogDir, "cannot open the job database")
	if len(lines) != 1 {
		t.Fatalf("after %d tries the problem is logged %d times, want once:\n%s", tries(), len(lines), strings.Join(lines, ""))
	}
	var entry struct{ DB, Cause, Level string }
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil || entry.DB != cfg.DBPath ||
		!strings.Contains(entry.Cause, "file is not a database") || entry.Level != "error" {
		t.Errorf("the log line does not say the path and the cause: %s", lines[0])
	}

	// A good database in place of the corrupt one (a backup restored).
	good := filepath.Join(t.TempDir(), "good.db")
	store, err := jobs.OpenSQLite(good)
	if err != nil {
		t.Fatal(err)
	}
	j := &jobs.Job{ID: jobs.NewID(), FileName: "a.nk", Upload: "/nowhere"}
	if err := store.Create(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	store.Close()
	if err := os.Rename(good, cfg.DBPath); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the job page", func() bool {
		code, _ := get("/jobs/"+j.ID, true)
		return code == 200
	})
	if code, _ := get("/", false); code != 200 {
		t.Errorf("GET / after the recovery: %d", code)
	}
	if n := len(logLines(t, cfg.LogDir, "job database readable again")); n != 1 {
		t.Errorf("the recovery is logged %d times, want once", n)
	}
	waitFor(t, 10*time.Second, "the dispatcher to start", func() bool {
		_, err := os.Stat(filepath.Join(dir, "starts"))
		return err == nil
	})

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return within 15s of cancel")
	}
}

// countOpens wraps the opener's open function with a counter.
func countOpens(o *opener) func() int {
	var mu sync.Mutex
	n := 0
	open := o.open
	o.open = func(path string) (*jobs.SQLite, error) {
		mu.Lock()
		n++
		mu.Unlock()
		return open(path)
	}
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// TestStopWhileTheDatabaseIsCorrupt: a process that never opened its
// database stops at once when asked.
func TestStopWhileTheDatabaseIsCorrupt(t *testing.T) {
	cfg, getenv := testConfig(t)
	corrupt(t, cfg.DBPath)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Getenv, m.Listener, m.HTTP, m.NoWorker = getenv, l, true, true
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	defer m.Close()
	<-m.Addr
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancel")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopping took %v", d)
	}
}

// recordingLog keeps every entry logged, by level.
type recordingLog struct {
	mu      sync.Mutex
	entries []*logrus.Entry
}

func (r *recordingLog) Levels() []logrus.Level { return logrus.AllLevels }
func (r *recordingLog) Fire(e *logrus.Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, e)
	return nil
}

func (r *recordingLog) count(level logrus.Level) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.entries {
		if e.Level == level {
			n++
		}
	}
	return n
}

// TestProcessesLogAProblemOnceBetweenThem: the FastCGI processes of one
// lighttpd share a note, so that a problem is logged once in all, again
// when its cause changes, and the recovery once.
func TestProcessesLogAProblemOnceBetweenThem(t *testing.T) {
	note := filepath.Join(t.TempDir(), "run", "db-problem")
	var mu sync.Mutex
	cause, healthy := "file is not a database", false
	open := func(string) (*jobs.SQLite, error) {
		mu.Lock()
		defer mu.Unlock()
		if healthy {
			return jobs.OpenSQLite(filepath.Join(t.TempDir(), "ok.db"))
		}
		return nil, errors.New(cause)
	}
	rec := &recordingLog{}
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetLevel(logrus.DebugLevel)
	l.AddHook(rec)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		o := &opener{path: "/data/jobs.db", log: logrus.NewEntry(l), note: note, open: open, min: 10 * time.Millisecond, max: 20 * time.Millisecond}
		go func() {
			defer wg.Done()
			if s := o.run(ctx); s != nil {
				s.Close()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	if n := rec.count(logrus.ErrorLevel); n != 1 {
		t.Fatalf("4 processes logged the problem %d times, want once", n)
	}
	mu.Lock()
	cause = "unable to open database file: permission denied"
	mu.Unlock()
	time.Sleep(300 * time.Millisecond)
	if n := rec.count(logrus.ErrorLevel); n != 2 {
		t.Fatalf("a new cause: %d errors logged in all, want 2", n)
	}
	mu.Lock()
	healthy = true
	mu.Unlock()
	wg.Wait()
	if n := rec.count(logrus.InfoLevel); n != 1 {
		t.Errorf("the recovery is logged %d times, want once", n)
	}
}

// TestWaitingProcessesFollowTheFirstToOpen: once one process opened the
// database, the others try again within about a second instead of
// sleeping out a backoff of up to a minute.
func TestWaitingProcessesFollowTheFirstToOpen(t *testing.T) {
	note := filepath.Join(t.TempDir(), "db-problem")
	l := logrus.New()
	l.SetOutput(io.Discard)
	var mu sync.Mutex
	healthy := false
	open := func(string) (*jobs.SQLite, error) {
		mu.Lock()
		defer mu.Unlock()
		if healthy {
			return jobs.OpenSQLite(filepath.Join(t.TempDir(), "ok.db"))
		}
		return nil, errors.New("file is not a database")
	}
	slow := &opener{path: "jobs.db", log: logrus.NewEntry(l), note: note, open: open, min: time.Minute}
	fast := &opener{path: "jobs.db", log: logrus.NewEntry(l), note: note, open: open, min: 10 * time.Millisecond, max: 10 * time.Millisecond}
	if slow.attempt() != nil || fast.attempt() != nil {
		t.Fatal("opened a failing database")
	}
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		if s := slow.run(t.Context()); s != nil {
			s.Close()
		}
		done <- time.Since(start)
	}()
	mu.Lock()
	healthy = true
	mu.Unlock()
	if s := fast.run(t.Context()); s != nil {
		s.Close()
	}
	select {
	case d := <-done:
		t.Logf("the slow process opened the database %v after it started waiting", d)
	case <-time.After(5 * time.Second):
		t.Fatal("the process waiting out a one-minute backoff did not follow the one that opened the database")
	}
}
