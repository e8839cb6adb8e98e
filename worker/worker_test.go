package main

import (
	"bufio"
	"context"
	"database/sql"
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

	"tracksgo/internal/config"
	"tracksgo/internal/dispatch"
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
	// Built with coverage, so that what the programs run counts: every
	// process writes its counters to GOCOVERDIR (TRACKS_COVERDIR to keep
	// them, see the README), which every child inherits.
	cover := os.Getenv("TRACKS_COVERDIR")
	if cover == "" {
		cover = filepath.Join(dir, "cover")
	}
	if err := os.MkdirAll(cover, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("GOCOVERDIR", cover)
	build := exec.Command(goTool, "build", "-cover", "-o", dir, "tracksgo/converter", "tracksgo/worker")
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
// records its run (WORKER_TEST_RUNS/<job>-<run>-<pid>), leaves a file in
// the run's temporary folder as a converter at work would, waits until
// the file WORKER_TEST_GATE exists, then runs the job with the real
// runner.Main. So the test decides when conversions may finish. Like the
// converter's main, it catches SIGTERM and SIGINT, which stop the wait.
func gatedConverter() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	var job, runNum string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--job":
			job = args[i+1]
		case "--run":
			runNum = args[i+1]
		}
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, _ := strconv.Atoi(runNum)
	work := cfg.WorkDir(job, n)
	if err := os.MkdirAll(work, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(work, "half-written.nk"), make([]byte, 1<<16), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	run := filepath.Join(os.Getenv("WORKER_TEST_RUNS"), fmt.Sprintf("%s-%s-%d", job, runNum, os.Getpid()))
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
		ids = append(ids, s.queueFile(fmt.Sprintf("shot%03d.json", i), data))
	}
	return ids
}

// queueFile creates a job converting data (JSON tracks) to two formats.
func (s *service) queueFile(name string, data []byte) string {
	s.t.Helper()
	id := jobs.NewID()
	upload := filepath.Join(s.dir, "uploads", id)
	if err := os.WriteFile(upload, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	j := &jobs.Job{ID: id, FileName: name, Upload: upload,
		Options: jobs.Options{Importer: "json", Exporters: []string{"nukescript", "syntheyes"}}}
	if err := s.store.Create(context.Background(), j); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// noLeftovers waits until DATA_DIR/tmp holds no temporary folder of a
// run, and fails the test if one stays.
func (s *service) noLeftovers(within time.Duration) {
	s.t.Helper()
	waitUntil(s.t, within, "no temporary folder of a run left in DATA_DIR/tmp", func() (bool, string) {
		entries, _ := os.ReadDir(filepath.Join(s.dir, "tmp"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return len(names) == 0, fmt.Sprint(names)
	})
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
		// A job of the killed dispatcher ran twice, and its dead run was
		// not charged to it.
		if want := map[bool]int{true: 2, false: 1}[j.Runs == 2]; len(runs[id]) != want || j.Runs > 2 || j.Attempts != 1 {
			t.Errorf("job %s: %d runs, run number %d, attempts %d; want attempts 1", id, len(runs[id]), j.Runs, j.Attempts)
		}
	}
	b.signal(t, syscall.SIGTERM)
	if err := b.waitExit(t, 30*time.Second, "SIGTERM"); err != nil {
		t.Errorf("second dispatcher: %v", err)
	}
	// The temporary folders of the killed runs went with their rescue.
	s.noLeftovers(10 * time.Second)
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
		for _, id := range ids {
			if j, _ := s.store.Get(context.Background(), id); j.Attempts != 1 {
				t.Errorf("job %s: attempts %d after a shutdown, want 1 (a shutdown is not the job's failure)", id, j.Attempts)
			}
		}
		s.noLeftovers(10 * time.Second)
	})
}

// TestConverterCrashUsesUpTheAttempts: a converter that exits without
// recording its job (here: the converter program does not understand the
// job at all) fails the attempt; the job is tried again until it used
// MAX_ATTEMPTS, then failed with a generic message, fenced on the lease.
func TestConverterCrashUsesUpTheAttempts(t *testing.T) {
	s := newService(t)
	s.env["CONVERTER_BIN"] = "/bin/false"
	s.env["MAX_ATTEMPTS"] = "2"
	ids := s.queue(2)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "both jobs failed", s.all(jobs.Failed, ids))
	for _, id := range ids {
		j, _ := s.store.Get(context.Background(), id)
		if j.Error != dispatch.MsgCrashed || j.Attempts != 2 || j.Runs != 2 || j.Requeues != 0 {
			t.Errorf("job %s: error %q attempts %d runs %d requeues %d", id, j.Error, j.Attempts, j.Runs, j.Requeues)
		}
	}
	d.stop(t)
}

// TestConverterStoppedFromOutsideRequeuesTheJob: a converter that is
// stopped by SIGTERM before it recorded anything (an operator, a service
// manager stopping the whole cgroup) did not fail because of the file:
// its job goes back to the queue and runs again, its attempt not charged.
func TestConverterStoppedFromOutsideRequeuesTheJob(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	s.env["CONVERTERS"] = "1"
	s.env["MAX_ATTEMPTS"] = "1"
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
	if j, _ := s.store.Get(context.Background(), ids[0]); j.Attempts != 1 || j.Runs != 2 || j.Requeues != 1 || j.Error != "" {
		t.Errorf("job after a stopped run: attempts %d runs %d requeues %d error %q, want 1 attempt, 2 runs, 1 requeue",
			j.Attempts, j.Runs, j.Requeues, j.Error)
	}
	d.stop(t)
	s.noLeftovers(10 * time.Second)
}

// TestConverterStoppedEveryTimeFailsAtMaxRequeues: a job whose converter
// dies of SIGTERM on every run is not requeued for ever: after
// MAX_REQUEUES it fails with a message that does not blame the file, and
// none of its attempts was used.
func TestConverterStoppedEveryTimeFailsAtMaxRequeues(t *testing.T) {
	s := newService(t)
	script := filepath.Join(s.dir, "self-terminating")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nkill -TERM $$\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.env["CONVERTER_BIN"] = script
	s.env["MAX_ATTEMPTS"] = "1"
	s.env["MAX_REQUEUES"] = "3"
	ids := s.queue(1)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "the job failed", s.all(jobs.Failed, ids))
	j, _ := s.store.Get(context.Background(), ids[0])
	if j.Attempts != 0 || j.Runs != 4 || j.Requeues != 4 || j.Error != jobs.RequeueMessage(3) {
		t.Errorf("job: attempts %d runs %d requeues %d error %q, want 0 attempts, 4 runs and %q",
			j.Attempts, j.Runs, j.Requeues, j.Error, jobs.RequeueMessage(3))
	}
	if strings.Contains(j.Error, "file may") {
		t.Errorf("a server-side failure blames the file: %q", j.Error)
	}
	d.stop(t)
}

// TestJobTimeoutStopsTheConverter: a converter running past JOB_TIMEOUT
// is stopped, its temporary folder removed, and the job failed with the
// timeout message once it used its attempts.
func TestJobTimeoutStopsTheConverter(t *testing.T) {
	s := newService(t)
	s.useGatedConverter() // the gate stays closed: it would run for ever
	s.env["JOB_TIMEOUT"] = "1s"
	s.env["MAX_ATTEMPTS"] = "2"
	ids := s.queue(1)
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "the job failed by its timeout", s.all(jobs.Failed, ids))
	j, _ := s.store.Get(context.Background(), ids[0])
	if j.Error != dispatch.MsgTimeout(time.Second) || j.Attempts != 2 || j.Runs != 2 {
		t.Errorf("error %q attempts %d runs %d", j.Error, j.Attempts, j.Runs)
	}
	for _, pids := range s.gatedRuns() {
		for _, pid := range pids {
			waitUntil(t, 10*time.Second, "the timed-out converter gone", func() (bool, string) { return !proctest.Alive(pid), "alive" })
		}
	}
	s.noLeftovers(10 * time.Second)
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
	s.noLeftovers(10 * time.Second)
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

// TestRestartsAndKillsDoNotUseUpAttempts: with MAX_ATTEMPTS=1, a job
// lives through two clean restarts of its dispatcher, a SIGKILL of it (the
// lease expires and another dispatcher rescues the job) and a SIGTERM of
// its converter from outside, and then completes: none of those was the
// job's failure. The requeues are counted.
func TestRestartsAndKillsDoNotUseUpAttempts(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	s.env["MAX_ATTEMPTS"] = "1"
	s.env["LEASE"] = "2s"
	s.env["GRACE"] = "500ms"
	ids := s.queue(2)
	runsOf := func(n int) func() (bool, string) {
		return func() (bool, string) {
			r := s.gatedRuns()
			return len(r[ids[0]]) == n && len(r[ids[1]]) == n, fmt.Sprint(r)
		}
	}
	for restart := 1; restart <= 2; restart++ {
		d := s.startDispatcher()
		waitUntil(t, 30*time.Second, fmt.Sprintf("run %d of both jobs", restart), runsOf(restart))
		d.stop(t) // the grace period passes: both converters are killed, both jobs put back
	}
	d := s.startDispatcher()
	waitUntil(t, 30*time.Second, "run 3 of both jobs", runsOf(3))
	d.signal(t, syscall.SIGKILL)
	d.waitExit(t, 10*time.Second, "SIGKILL")
	d = s.startDispatcher() // rescues both jobs once their leases expire
	waitUntil(t, 30*time.Second, "run 4 of both jobs", runsOf(4))
	last := s.gatedRuns()[ids[0]]
	if err := syscall.Kill(last[len(last)-1], syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "run 5 of the job whose converter was stopped", func() (bool, string) {
		r := s.gatedRuns()[ids[0]]
		return len(r) == 5, fmt.Sprint(r)
	})
	s.openGate()
	waitUntil(t, time.Minute, "both jobs done", s.allDone(ids))
	for i, id := range ids {
		j, _ := s.store.Get(context.Background(), id)
		want := 3 + map[bool]int{true: 1}[i == 0]
		if j.Attempts != 1 || j.Requeues != want || j.Runs != want+1 || j.Error != "" {
			t.Errorf("job %d: attempts %d requeues %d runs %d error %q; want 1 attempt, %d requeues", i, j.Attempts, j.Requeues, j.Runs, j.Error, want)
		}
	}
	d.stop(t)
	s.noLeftovers(10 * time.Second)
}

// holdWriteLock takes the database's write lock from a connection of its
// own (BEGIN EXCLUSIVE, as an operator's sqlite3 shell might) and returns
// the function that lets it go.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=30000")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
				t.Error(err)
			}
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// TestBusyDatabaseLosesNoFinishedWork: 20 conversions finish while another
// connection holds the database's write lock for 20 s, twice the busy
// timeout. Every converter keeps trying to record its result, and once
// the lock is gone every job is done at its first attempt: no failure, no
// failure mail, no result folder without its job, nothing left in tmp.
func TestBusyDatabaseLosesNoFinishedWork(t *testing.T) {
	s := newService(t)
	s.useGatedConverter()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mails := t.TempDir()
	go smtptest.Serve(l, mails)
	t.Cleanup(func() { l.Close() })
	s.env["SMTP_ADDR"] = l.Addr().String()
	s.env["CONVERTERS"] = "10"
	s.env["LEASE"] = "60s" // renewals fail during the lock too; the leases outlast it
	ids := s.queue(20)
	ds := []*dispatcher{s.startDispatcher(), s.startDispatcher()}
	waitUntil(t, 30*time.Second, "20 converters at their gate", func() (bool, string) {
		r := s.gatedRuns()
		return len(r) == 20, fmt.Sprintf("%d running", len(r))
	})
	release := holdWriteLock(t, s.env["DB_PATH"])
	locked := time.Now()
	s.openGate()
	// Every conversion finishes (its results are in place) and waits for
	// the database.
	waitUntil(t, 30*time.Second, "every conversion finished", func() (bool, string) {
		n := 0
		for _, id := range ids {
			if _, err := os.Stat(filepath.Join(s.dir, "results", id)); err == nil {
				n++
			}
		}
		return n == len(ids), fmt.Sprintf("%d of %d", n, len(ids))
	})
	if n := s.states(ids); n[jobs.Running] != len(ids) {
		t.Fatalf("during the lock: %v, want every job still running", n)
	}
	time.Sleep(time.Until(locked.Add(20 * time.Second)))
	release()
	waitUntil(t, time.Minute, "every job done", s.allDone(ids))
	for _, id := range ids {
		j, _ := s.store.Get(context.Background(), id)
		if j.Attempts != 1 || j.Runs != 1 || j.Result == nil {
			t.Errorf("job %s: attempts %d runs %d result %v, want done at its first run", id, j.Attempts, j.Runs, j.Result)
		}
		if _, err := os.Stat(filepath.Join(s.dir, "results", id, runner.ZipName(j.FileName))); err != nil {
			t.Errorf("job %s: %v", id, err)
		}
	}
	results, _ := os.ReadDir(filepath.Join(s.dir, "results"))
	if len(results) != len(ids) {
		t.Errorf("%d result folders for %d jobs", len(results), len(ids))
	}
	waitUntil(t, 30*time.Second, "a success mail per job", func() (bool, string) {
		n := len(smtptest.Messages(mails))
		return n >= len(ids), fmt.Sprintf("%d mails", n)
	})
	for _, m := range smtptest.Messages(mails) {
		if !strings.Contains(m, "Conversion done: ") {
			t.Errorf("a mail other than a success:\n%s", m)
		}
	}
	// The converters did meet the lock (the busy timeout is 10 s).
	logs, _ := filepath.Glob(filepath.Join(s.env["LOG_DIR"], "converter-*.log"))
	busy := 0
	for _, name := range logs {
		b, _ := os.ReadFile(name)
		busy += strings.Count(string(b), "the database is busy; trying again")
	}
	if busy == 0 {
		t.Error("no converter logged a busy database: the test did not hold the lock while they recorded")
	}
	for _, d := range ds {
		d.stop(t)
	}
	s.noLeftovers(10 * time.Second)
}

// bigTracks is a JSON track file of trackers × keyframes keyframes.
func bigTracks(trackers, keyframes int) []byte {
	var b strings.Builder
	b.WriteString(`{"width": 1920, "height": 1080, "trackers": [`)
	for t := 0; t < trackers; t++ {
		if t > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"name": "T%d", "keyframes": [`, t)
		for f := 0; f < keyframes; f++ {
			if f > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"frame": %d, "x": %d.5, "y": %d.25, "residual": 0}`, f, f+t, f*2+t)
		}
		b.WriteString("]}")
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}

// TestMemoryLimitFailsTheJobNamingIt: under a small JOB_MEMORY the real
// converter runs a small job as usual, and dies on a large one; the large
// job is tried MAX_ATTEMPTS times (memory is the job's own failure) and
// fails with a message that names the limit and what to change.
func TestMemoryLimitFailsTheJobNamingIt(t *testing.T) {
	s := newService(t)
	const limit = 160 << 20
	s.env["JOB_MEMORY"] = "160MiB"
	s.env["MAX_ATTEMPTS"] = "2"
	small := s.queue(1)
	large := s.queueFile("large.json", bigTracks(100, 5000))
	d := s.startDispatcher()
	waitUntil(t, time.Minute, "the large job failed", s.all(jobs.Failed, []string{large}))
	waitUntil(t, time.Minute, "the small job done", s.allDone(small))
	j, _ := s.store.Get(context.Background(), large)
	if j.Error != dispatch.MsgMemory(limit) || j.Attempts != 2 || j.Runs != 2 {
		t.Errorf("large job: error %q attempts %d runs %d; want %q after 2 attempts", j.Error, j.Attempts, j.Runs, dispatch.MsgMemory(limit))
	}
	if !strings.Contains(j.Error, "160 MiB") || !strings.Contains(j.Error, "JOB_MEMORY") {
		t.Errorf("the message does not name the limit and the setting: %q", j.Error)
	}
	d.stop(t)
	s.noLeftovers(10 * time.Second)
}

// "worker --help" answers and exits, rather than start a dispatcher on
// ./data; an argument it does not take is refused.
func TestHelpStartsNoDispatcher(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{{[]string{"--help"}, 0}, {[]string{"-h"}, 0}, {[]string{"extra"}, 2}, {[]string{"-x"}, 2}} {
		dir := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a dispatcher would run on
		defer cancel()
		cmd := exec.CommandContext(ctx, workerBin, c.args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DATA_DIR=", "DB_PATH=")
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != c.code || !strings.Contains(string(out), "Usage: worker") {
			t.Errorf("worker %v: exit %d, want %d; output %q", c.args, code, c.code, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("worker %v made %v in its folder", c.args, entries[0].Name())
		}
	}
}
