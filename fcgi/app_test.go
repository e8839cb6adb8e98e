package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/proc"
	"tracksgo/internal/proc/proctest"
)

// The test binary doubles as a fake dispatcher: run with FCGI_TEST_ROLE=worker
// it records its start in $FCGI_TEST_DIR and behaves as $FCGI_TEST_MODE says.
func TestMain(m *testing.M) {
	if os.Getenv("FCGI_TEST_ROLE") == "worker" {
		fakeWorker()
		return
	}
	os.Exit(m.Run())
}

func fakeWorker() {
	dir := os.Getenv("FCGI_TEST_DIR")
	f, err := os.OpenFile(filepath.Join(dir, "starts"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		os.Exit(3)
	}
	fmt.Fprintf(f, "%d %s\n", os.Getpid(), os.Getenv(proc.LifelineEnv))
	f.Close()
	starts := len(readLines(filepath.Join(dir, "starts")))
	dieTimes, _ := strconv.Atoi(os.Getenv("FCGI_TEST_DIE"))
	if starts <= dieTimes {
		os.Exit(1) // a dispatcher that crashes at start
	}
	sig := make(chan os.Signal, 1)
	if os.Getenv("FCGI_TEST_MODE") == "stubborn" {
		signal.Ignore(syscall.SIGTERM)
	} else {
		signal.Notify(sig, syscall.SIGTERM)
	}
	<-sig
	os.WriteFile(filepath.Join(dir, "terminated"), []byte("yes"), 0o644)
	os.Exit(0)
}

func readLines(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(strings.ReplaceAll(string(b), " ", "_"))
}

func testConfig(t *testing.T, vars ...string) (*config.Config, func(string) string) {
	t.Helper()
	m := map[string]string{"DATA_DIR": t.TempDir(), "GRACE": "200ms", "MEMCACHED": ""}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	getenv := func(k string) string { return m[k] }
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, getenv
}

func quietLog() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return logrus.NewEntry(l)
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSupervisorRestartsADeadDispatcherAndStopsIt(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FCGI_TEST_ROLE", "worker")
	t.Setenv("FCGI_TEST_DIR", dir)
	t.Setenv("FCGI_TEST_DIE", "2")
	cfg, _ := testConfig(t, "WORKER_BIN", os.Args[0])
	s := &supervisor{cfg: cfg, log: quietLog()}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.run(ctx)
		close(done)
	}()
	// Two crashes, then a dispatcher that stays (backoff 0.5s, then 1s).
	waitFor(t, 20*time.Second, "third dispatcher start", func() bool { return len(readLines(filepath.Join(dir, "starts"))) >= 3 })
	time.Sleep(200 * time.Millisecond)
	starts := readLines(filepath.Join(dir, "starts"))
	if len(starts) != 3 {
		t.Fatalf("dispatcher started %d times, want 3: %v", len(starts), starts)
	}
	for _, s := range starts {
		if !strings.HasSuffix(s, "_3") {
			t.Errorf("dispatcher start %q: lifeline not on fd 3", s)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("supervisor did not stop within 10s")
	}
	if _, err := os.Stat(filepath.Join(dir, "terminated")); err != nil {
		t.Error("the dispatcher was not asked to stop with SIGTERM")
	}
}

func TestSupervisorKillsAStubbornDispatcher(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FCGI_TEST_ROLE", "worker")
	t.Setenv("FCGI_TEST_DIR", dir)
	t.Setenv("FCGI_TEST_MODE", "stubborn")
	cfg, _ := testConfig(t, "WORKER_BIN", os.Args[0])
	s := &supervisor{cfg: cfg, log: quietLog(), margin: 300 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.run(ctx)
		close(done)
	}()
	waitFor(t, 10*time.Second, "dispatcher start", func() bool { return len(readLines(filepath.Join(dir, "starts"))) >= 1 })
	time.Sleep(100 * time.Millisecond) // let it ignore SIGTERM
	pid, _ := strconv.Atoi(strings.SplitN(readLines(filepath.Join(dir, "starts"))[0], "_", 2)[0])
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("supervisor did not stop within 10s")
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("dispatcher %d still alive", pid)
	}
}

// TestTerminateSignalsTheDispatcherAlone: SIGTERM goes to the dispatcher
// only, never to its process group, where a converter it is forking sits
// until it sets its own group: that converter must not die of the signal.
// Kill still takes the whole group.
func TestTerminateSignalsTheDispatcherAlone(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "dispatcher")
	member := filepath.Join(dir, "member")
	body := "#!/bin/sh\nsleep 60 &\necho $! > " + member + ".tmp\nmv " + member + ".tmp " + member + "\nwait\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, _ := testConfig(t, "WORKER_BIN", script)
	c, err := startWorker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	waitFor(t, 10*time.Second, "the group member started", func() bool { _, err := os.Stat(member); return err == nil })
	b, _ := os.ReadFile(member)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(pid, syscall.SIGKILL)
	if err := c.Terminate(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not die of SIGTERM")
	}
	time.Sleep(200 * time.Millisecond) // a signal sent to the group would have landed
	if !proctest.Alive(pid) {
		t.Fatal("the other member of the dispatcher's group got the SIGTERM too")
	}
	c.Kill()
	waitFor(t, 10*time.Second, "the group member killed", func() bool { return !proctest.Alive(pid) })
}

func TestRunServesAndShutsDown(t *testing.T) {
	_, getenv := testConfig(t)
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

	var addr net.Addr
	select {
	case addr = <-m.Addr:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("not serving within 20s")
	}
	resp, err := http.Get("http://" + addr.String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Convert a track file") {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}

	// Static files and error pages are exported for lighttpd.
	statics, _ := filepath.Glob(filepath.Join(StaticDir(m.Config), "style.*.css"))
	if len(statics) != 1 {
		t.Errorf("exported stylesheets: %v", statics)
	}
	page, err := os.ReadFile(filepath.Join(ErrorDir(m.Config), "status-413.html"))
	if err != nil || !strings.Contains(string(page), "too large") {
		t.Errorf("413 page: %v %s", err, page)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return within 15s of cancel")
	}
	logs, _ := filepath.Glob(filepath.Join(m.Config.LogDir, "fcgi-*.log"))
	if len(logs) != 1 {
		t.Errorf("log files %v", logs)
	}
}
