package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracksgo/internal/jobs"
	"tracksgo/internal/notify/smtptest"
	"tracksgo/internal/proc"
	"tracksgo/internal/proc/proctest"
	"tracksgo/internal/runner"
)

// Programs built once for the tests, as the service runs them.
var converterBin, workerBin string

func TestMain(m *testing.M) {
	switch os.Getenv("WORKER_TEST_ROLE") {
	case "converter":
		os.Exit(gatedConverter())
	case "parent":
		os.Exit(parentStandIn())
	}
	dir, err := os.MkdirTemp("", "worker-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		// go test sets GOROOT for the programs it runs.
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	build := exec.Command(goTool, "build", "-o", dir, "tracksgo/converter", "tracksgo/worker")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building converter and worker:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	converterBin, workerBin = filepath.Join(dir, "converter"), filepath.Join(dir, "worker")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gatedConverter is the converter stand-in of the lifetime tests: the test
// binary, started by the real dispatcher exactly as the converter is. It
// records its run (WORKER_TEST_RUNS/<job>-<attempt>-<pid>), waits until
// the file WORKER_TEST_GATE exists, then runs the job with the real
// runner.Main. So the test decides when conversions may finish. Like the
// converter's main, it catches SIGTERM and SIGINT, which stop the wait.
func gatedConverter() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	var job, attempt string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--job":
			job = args[i+1]
		case "--attempt":
			attempt = args[i+1]
		}
	}
	run := filepath.Join(os.Getenv("WORKER_TEST_RUNS"), fmt.Sprintf("%s-%s-%d", job, attempt, os.Getpid()))
	if err := os.WriteFile(run, nil, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for ctx.Err() == nil {
		if _, err := os.Stat(os.Getenv("WORKER_TEST_GATE")); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return runner.Main(ctx, args, os.Stderr)
}

// parentStandIn plays the fcgi process: it starts the dispatcher
// (WORKER_TEST_WORKER) tied to its life with proc.Start, prints its pid and
// waits to be killed.
func parentStandIn() int {
	cmd := exec.Command(os.Getenv("WORKER_TEST_WORKER"))
	cmd.Env = append(os.Environ(), "WORKER_TEST_ROLE=converter")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	c, err := proc.Start(cmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(c.Pid())
	c.Wait()
	return 0
}

// service is one test's data directory, database and environment.
type service struct {
	t     *testing.T
	dir   string
	store *jobs.SQLite
	env   map[string]string
	runs  string // where the stand-in records runs
	gate  string // the stand-in's gate file
}

func newService(t *testing.T) *service {
	t.Helper()
	dir := t.TempDir()
	s := &service{t: t, dir: dir, runs: filepath.Join(dir, "runs"), gate: filepath.Join(dir, "gate")}
	os.MkdirAll(s.runs, 0o755)
	os.MkdirAll(filepath.Join(dir, "uploads"), 0o755)
	s.env = map[string]string{
		"DATA_DIR":      dir,
		"DB_PATH":       filepath.Join(dir, "jobs.db"),
		"LOG_DIR":       filepath.Join(dir, "log"),
		"MEMCACHED":     deadAddr(t), // progress writes fail at once: conversions go on
		"CONVERTER_BIN": converterBin,
		"CONVERTERS":    "2",
		"POLL":          "50ms",
		"LEASE":         "30s",
		"GRACE":         "10s",
		"JOB_TIMEOUT":   "2m",
		"SMTP_ADDR":     "",
	}
	store, err := jobs.OpenSQLite(s.env["DB_PATH"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s.store = store
	return s
}

// useGatedConverter makes the dispatchers run the stand-in.
func (s *service) useGatedConverter() {
	self, err := os.Executable()
	if err != nil {
		s.t.Fatal(err)
	}
	s.env["CONVERTER_BIN"] = self
	s.env["WORKER_TEST_ROLE"] = "converter"
	s.env["WORKER_TEST_RUNS"] = s.runs
	s.env["WORKER_TEST_GATE"] = s.gate
}

func (s *service) openGate() {
	if err := os.WriteFile(s.gate, nil, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func deadAddr(t *testing.T) string {
	return "127.0.0.1:1" // nothing listens on port 1 here: connections are refused
}

// queue creates n jobs converting the tiny JSON track file.
func (s *service) queue(n int) []string {
	s.t.Helper()
	data, err := os.ReadFile("../internal/runner/testdata/tiny.json")
	if err != nil {
		s.t.Fatal(err)
	}
	var ids []string
	for i := 0; i < n; i++ {
		id := jobs.NewID()
		upload := filepath.Join(s.dir, "uploads", id)
		if err := os.WriteFile(upload, data, 0o644); err != nil {
			s.t.Fatal(err)
		}
		j := &jobs.Job{ID: id, FileName: fmt.Sprintf("shot%03d.json", i), Upload: upload,
			Options: jobs.Options{Importer: "json", Exporters: []string{"nukescript", "syntheyes"}}}
		if err := s.store.Create(context.Background(), j); err != nil {
			s.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// dispatcher is a worker process started the way fcgi starts it.
type dispatcher struct {
	child  *proc.Child
	exited chan error
}

func (s *service) startDispatcher(extra ...string) *dispatcher {
	s.t.Helper()
	cmd := exec.Command(workerBin)
	cmd.Env = os.Environ()
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	c, err := proc.Start(cmd)
	if err != nil {
		s.t.Fatal(err)
	}
	d := &dispatcher{child: c, exited: make(chan error, 1)}
	go func() { d.exited <- c.Wait() }()
	s.t.Cleanup(func() {
		c.Kill()
		<-d.exited
	})
	return d
}

func (d *dispatcher) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := d.child.Cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// stop ends a test's dispatcher the way fcgi does, with SIGTERM.
func (d *dispatcher) stop(t *testing.T) {
	t.Helper()
	d.signal(t, syscall.SIGTERM)
	d.waitExit(t, 30*time.Second, "SIGTERM")
}

func (d *dispatcher) waitExit(t *testing.T, within time.Duration, what string) error {
	t.Helper()
	select {
	case err := <-d.exited:
		d.exited <- err // for the cleanup
		return err
	case <-time.After(within):
		t.Fatalf("%s: the dispatcher did not exit within %v", what, within)
		return nil
	}
}

// waitUntil polls cond until it holds, failing the test after limit.
func waitUntil(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v still waiting for %s; now: %s", limit, what, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// states counts jobs per state.
func (s *service) states(ids []string) map[jobs.State]int {
	n := map[jobs.State]int{}
	for _, id := range ids {
		j, err := s.store.Get(context.Background(), id)
		if err != nil {
			s.t.Fatal(err)
		}
		n[j.State]++
	}
	return n
}

func (s *service) allDone(ids []string) func() (bool, string) { return s.all(jobs.Done, ids) }

// all is the condition that every job of ids is in state.
func (s *service) all(state jobs.State, ids []string) func() (bool, string) {
	return func() (bool, string) {
		n := s.states(ids)
		return n[state] == len(ids), fmt.Sprint(n)
	}
}

// gatedRuns lists the stand-in's runs: job id → pids.
func (s *service) gatedRuns() map[string][]int {
	entries, _ := os.ReadDir(s.runs)
	runs := map[string][]int{}
	for _, e := range entries {
		parts := strings.Split(e.Name(), "-")
		pid, _ := strconv.Atoi(parts[2])
		runs[parts[0]] = append(runs[parts[0]], pid)
	}
	return runs
}

// processesWith lists live processes whose command line holds every word.
func processesWith(words ...string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !proctest.Alive(pid) {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(b), "\x00")
		all := true
		for _, w := range words {
			found := false
			for _, a := range args {
				if a == w {
					found = true
				}
			}
			all = all && found
		}
		if all {
			pids = append(pids, pid)
		}
	}
	return pids
}

// converterRuns counts the "job started" lines of the converters' logs per job.
func (s *service) converterRuns() map[string]int {
	s.t.Helper()
	files, _ := filepath.Glob(filepath.Join(s.env["LOG_DIR"], "converter-*.log"))
	runs := map[string]int{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			s.t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var line struct {
				Msg string `json:"msg"`
				Job string `json:"job"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				s.t.Errorf("%s: not a JSON line: %q", name, sc.Text())
				continue
			}
			if line.Job == "" {
				s.t.Errorf("%s: a converter line without the job id: %q", name, sc.Text())
			}
			if line.Msg == "job started" {
				runs[line.Job]++
			}
		}
		f.Close()
	}
	return runs
}

// TestFourDispatchersRunEveryJobOnce: four dispatcher processes share one
// database with 200 queued jobs; with the real converter, every job runs
// exactly once and ends done.
func TestFourDispatchersRunEveryJobOnce(t *testing.T) {
	s := newService(t)
	ids := s.queue(200)
	var ds []*dispatcher
	for i := 0; i < 4; i++ {
		ds = append(ds, s.startDispatcher())
	}
	waitUntil(t, 4*time.Minute, "all 200 jobs done", s.allDone(ids))
	for _, d := range ds {
		d.signal(t, syscall.SIGTERM)
	}
	for _, d := range ds {
		if err := d.waitExit(t, 30*time.Second, "SIGTERM with nothing running"); err != nil {
			t.Errorf("dispatcher exit: %v", err)
		}
	}
	runs := s.converterRuns()
	owners := map[string]int{}
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job %s ran %d times, want exactly once", id, runs[id])
		}
		j, _ := s.store.Get(context.Background(), id)
		if j.Attempts != 1 || j.Result == nil || j.Result.Trackers != 3 || len(j.Result.Files) != 2 {
			t.Errorf("job %s: attempts %d result %+v", id, j.Attempts, j.Result)
		}
		if _, err := os.Stat(filepath.Join(s.dir, "results", id, runner.ZipName(j.FileName))); err != nil {
			t.Errorf("job %s: zip: %v", id, err)
		}
	}
	if len(runs) != len(ids) {
		t.Errorf("%d jobs ran, want %d", len(runs), len(ids))
	}
	// Which dispatcher ran what, from their logs (for the record).
	files, _ := filepath.Glob(filepath.Join(s.env["LOG_DIR"], "worker-*.log"))
	for _, name := range files {
		b, _ := os.ReadFile(name)
		for _, line := range strings.Split(string(b), "\n") {
			var l struct{ Msg, Owner string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "converter started" {
				owners[l.Owner]++
			}
		}
	}
	t.Logf("converters started per dispatcher: %v", owners)
	if len(owners) < 2 {
		t.Logf("note: only %d dispatcher(s) got jobs", len(owners))
	}
}

// TestKilledDispatcherTakesItsConvertersAlong: SIGKILL a dispatcher while
// its converters run: they die with it (none survives anywhere), their
// leases expire, and another dispatcher completes the jobs.
func TestKilledDispatcherTakesItsConvertersAlong(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	s.env["LEASE"] = "2s"
	ids := s.queue(4)
	a := s.startDispatcher()
	waitUntil(t, 30*time.Second, "two converters running", func() (bool, string) {
		r := s.gatedRuns()
		return len(r) == 2, fmt.Sprint(r)
	})
	var pids []int
	var owner string
	for id, p := range s.gatedRuns() {
		pids = append(pids, p...)
		j, _ := s.store.Get(context.Background(), id)
		owner = j.Owner
	}
	for _, pid := range pids {
		if !proctest.Alive(pid) {
			t.Fatalf("converter %d is not running before the kill", pid)
		}
	}
	a.signal(t, syscall.SIGKILL)
	a.waitExit(t, 10*time.Second, "SIGKILL")
	for _, pid := range pids {
		pid := pid
		waitUntil(t, 10*time.Second, fmt.Sprintf("converter %d to die with its dispatcher", pid), func() (bool, string) {
			return !proctest.Alive(pid), "alive"
		})
	}
	if left := processesWith("--owner", owner); len(left) > 0 {
		t.Fatalf("processes of the killed dispatcher survive: %v", left)
	}
	if n := s.states(ids); n[jobs.Running] != 2 || n[jobs.Queued] != 2 {
		t.Fatalf("after the kill: %v, want 2 running (leases pending) and 2 queued", n)
	}

	s.openGate()
	b := s.startDispatcher()
	waitUntil(t, time.Minute, "another dispatcher to complete every job", s.allDone(ids))
	runs := s.gatedRuns()
	for _, id := range ids {
		j, _ := s.store.Get(context.Background(), id)
		if j.Owner != "" || j.Result == nil {
			t.Errorf("job %s: owner %q result %v", id, j.Owner, j.Result)
		}
		if want := map[bool]int{true: 2, false: 1}[j.Attempts == 2]; len(runs[id]) != want || j.Attempts > 2 {
			t.Errorf("job %s: %d runs, attempts %d", id, len(runs[id]), j.Attempts)
		}
	}
	b.signal(t, syscall.SIGTERM)
	if err := b.waitExit(t, 30*time.Second, "SIGTERM"); err != nil {
		t.Errorf("second dispatcher: %v", err)
	}
}

// TestSIGTERMGrace: on SIGTERM the dispatcher claims nothing more; running
// converters that finish within the grace period record their jobs; those
// still running after it are killed and their jobs put back to the queue,
// and complete after a restart.
func TestSIGTERMGrace(t *testing.T) {
	t.Run("converters finish within the grace period", func(t *testing.T) {
		s := newService(t)
		s.useGatedConverter()
		s.env["GRACE"] = "60s"
		ids := s.queue(3)
		d := s.startDispatcher()
		waitUntil(t, 30*time.Second, "two converters running", func() (bool, string) {
			r := s.gatedRuns()
			return len(r) == 2, fmt.Sprint(r)
		})
		d.signal(t, syscall.SIGTERM)
		time.Sleep(300 * time.Millisecond) // several polls: it must not claim the third job
		select {
		case err := <-d.exited:
			t.Fatalf("dispatcher exited (%v) while its converters run within the grace period", err)
		default:
		}
		s.openGate()
		if err := d.waitExit(t, 30*time.Second, "converters finished"); err != nil {
			t.Errorf("dispatcher exit: %v", err)
		}
		if n := s.states(ids); n[jobs.Done] != 2 || n[jobs.Queued] != 1 {
			t.Errorf("after a graceful stop: %v, want the 2 running jobs done and 1 still queued", n)
		}
		s.startDispatcher()
		waitUntil(t, 30*time.Second, "the queued job done after a restart", s.allDone(ids))
	})
	t.Run("converters past the grace period are killed and requeued", func(t *testing.T) {
		s := newService(t)
		s.useGatedConverter()
		s.env["GRACE"] = "1s"
		ids := s.queue(3)
		d := s.startDispatcher()
		waitUntil(t, 30*time.Second, "two converters running", func() (bool, string) {
			r := s.gatedRuns()
			return len(r) == 2, fmt.Sprint(r)
		})
		var pids []int
		for _, p := range s.gatedRuns() {
			pids = append(pids, p...)
		}
		d.signal(t, syscall.SIGTERM)
		if err := d.waitExit(t, 30*time.Second, "grace period over"); err != nil {
			t.Errorf("dispatcher exit: %v", err)
		}
		for _, pid := range pids {
			if proctest.Alive(pid) {
				t.Errorf("converter %d survived its dispatcher's shutdown", pid)
			}
		}
		for _, id := range ids {
			j, _ := s.store.Get(context.Background(), id)
			if j.State != jobs.Queued || j.Owner != "" {
				t.Errorf("job %s after shutdown: %s owner %q, want queued", id, j.State, j.Owner)
			}
		}
		s.openGate()
		s.startDispatcher()
		waitUntil(t, 30*time.Second, "every job done after a restart", s.allDone(ids))
	})
}

// TestConverterCrashFailsTheJob: a converter that exits without recording
// its job (here: the converter program does not understand the job at
// all) leaves the job failed with a generic message, fenced on the lease.
func TestConverterCrashFailsTheJob(t *testing.T) {
	s := newService(t)
	s.env["CONVERTER_BIN"] = "/bin/false"
	ids := s.queue(2)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "both jobs failed", s.all(jobs.Failed, ids))
	for _, id := range ids {
		j, _ := s.store.Get(context.Background(), id)
		if j.Error != msgCrashed || j.Attempts != 1 {
			t.Errorf("job %s: error %q attempts %d", id, j.Error, j.Attempts)
		}
	}
	d.stop(t)
}

// TestConverterStoppedFromOutsideRequeuesTheJob: a converter that is
// stopped by SIGTERM before it recorded anything (an operator, a service
// manager stopping the whole cgroup) did not fail because of the file:
// its job goes back to the queue and runs again.
func TestConverterStoppedFromOutsideRequeuesTheJob(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	s.env["CONVERTERS"] = "1"
	ids := s.queue(1)
	d := s.startDispatcher()
	var first int
	waitUntil(t, 30*time.Second, "the converter running", func() (bool, string) {
		r := s.gatedRuns()[ids[0]]
		if len(r) == 1 {
			first = r[0]
		}
		return first != 0, fmt.Sprint(r)
	})
	if err := syscall.Kill(first, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "a second run of the job", func() (bool, string) {
		r := s.gatedRuns()[ids[0]]
		return len(r) == 2, fmt.Sprint(r)
	})
	s.openGate()
	waitUntil(t, 30*time.Second, "the job done", s.allDone(ids))
	if j, _ := s.store.Get(context.Background(), ids[0]); j.Attempts != 2 || j.Error != "" {
		t.Errorf("job after a stopped attempt: attempts %d error %q, want 2 attempts and no error", j.Attempts, j.Error)
	}
	d.stop(t)
}

// TestConverterStoppedEveryTimeFailsAtMaxAttempts: a job whose converter
// dies of SIGTERM on every attempt is not requeued for ever: it fails
// after MAX_ATTEMPTS with the message of a job that never finished.
func TestConverterStoppedEveryTimeFailsAtMaxAttempts(t *testing.T) {
	s := newService(t)
	script := filepath.Join(s.dir, "self-terminating")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nkill -TERM $$\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.env["CONVERTER_BIN"] = script
	s.env["MAX_ATTEMPTS"] = "2"
	ids := s.queue(1)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "the job failed", s.all(jobs.Failed, ids))
	j, _ := s.store.Get(context.Background(), ids[0])
	if j.Attempts != 2 || j.Error != jobs.RescueMessage(2) {
		t.Errorf("job: attempts %d error %q, want 2 attempts and %q", j.Attempts, j.Error, jobs.RescueMessage(2))
	}
	d.stop(t)
}

// TestJobTimeoutKillsTheConverter: a converter running past JOB_TIMEOUT is
// killed and its job failed with the timeout message.
func TestJobTimeoutKillsTheConverter(t *testing.T) {
	s := newService(t)
	s.useGatedConverter() // the gate stays closed: it would run for ever
	s.env["JOB_TIMEOUT"] = "1s"
	ids := s.queue(1)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "the job failed by its timeout", s.all(jobs.Failed, ids))
	j, _ := s.store.Get(context.Background(), ids[0])
	if j.Error != msgTimeout(time.Second) {
		t.Errorf("error %q", j.Error)
	}
	for _, pids := range s.gatedRuns() {
		for _, pid := range pids {
			waitUntil(t, 10*time.Second, "the timed-out converter gone", func() (bool, string) { return !proctest.Alive(pid), "alive" })
		}
	}
	d.stop(t)
}

// TestParentDeathTakesTheDispatcherAndItsConverters: SIGKILL the process
// that started the dispatcher (as fcgi does): the dispatcher and every
// converter it runs die too, and the jobs complete under a new dispatcher.
func TestParentDeathTakesTheDispatcherAndItsConverters(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	s.env["LEASE"] = "2s"
	ids := s.queue(2)
	self, _ := os.Executable()
	parent := exec.Command(self)
	parent.Env = os.Environ()
	for k, v := range s.env {
		parent.Env = append(parent.Env, k+"="+v)
	}
	parent.Env = append(parent.Env, "WORKER_TEST_ROLE=parent", "WORKER_TEST_WORKER="+workerBin)
	parent.Stderr = os.Stderr
	_, workerPid := proctest.StartHelper(t, parent)
	waitUntil(t, 30*time.Second, "two converters running", func() (bool, string) {
		r := s.gatedRuns()
		return len(r) == 2, fmt.Sprint(r)
	})
	pids := []int{workerPid}
	for _, p := range s.gatedRuns() {
		pids = append(pids, p...)
	}
	parent.Process.Kill()
	parent.Wait()
	for _, pid := range pids {
		pid := pid
		waitUntil(t, 10*time.Second, fmt.Sprintf("process %d to die with the parent", pid), func() (bool, string) {
			return !proctest.Alive(pid), "alive"
		})
	}
	s.openGate()
	s.startDispatcher()
	waitUntil(t, time.Minute, "every job done under a new dispatcher", s.allDone(ids))
}

// slowGreeter delays the first write of every connection (the SMTP
// greeting), so a mail takes longer than several lease renewals.
type slowGreeter struct {
	net.Listener
	delay time.Duration
}

func (l slowGreeter) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &slowConn{Conn: c, delay: l.delay}, nil
}

type slowConn struct {
	net.Conn
	delay time.Duration
	once  sync.Once
}

func (c *slowConn) Write(b []byte) (int, error) {
	c.once.Do(func() { time.Sleep(c.delay) })
	return c.Conn.Write(b)
}

// TestSlowAdminMailIsNotCutShort: a converter that has recorded its job
// and is still mailing the admin no longer holds a lease to renew; the
// dispatcher must let it finish rather than kill it as a lost lease.
func TestSlowAdminMailIsNotCutShort(t *testing.T) {
	s := newService(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mails := t.TempDir()
	go smtptest.Serve(slowGreeter{l, 2 * time.Second}, mails)
	t.Cleanup(func() { l.Close() })
	s.env["SMTP_ADDR"] = l.Addr().String()
	s.env["LEASE"] = "600ms" // renewed every 200 ms, ten times during the mail
	ids := s.queue(1)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "the job done", s.allDone(ids))
	waitUntil(t, 20*time.Second, "the success mail", func() (bool, string) {
		n := len(smtptest.Messages(mails))
		return n == 1, fmt.Sprintf("%d mails", n)
	})
	if !strings.Contains(smtptest.Messages(mails)[0], "Conversion done: shot000.json") {
		t.Errorf("mail:\n%s", smtptest.Messages(mails)[0])
	}
	d.stop(t)
}
