package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/status/memcachedtest"
)

// instance is one run of scripts/run-service.sh, as `make run` starts it.
type instance struct {
	*service  // the HTTP helpers; service.cmd is unused
	script    *exec.Cmd
	exited    chan struct{}
	memcached string
}

// startInstance runs scripts/run-service.sh with its own DATA_DIR on a
// free port and waits until the form answers. With memcached "" the
// script starts a memcached of its own on its default socket in DATA_DIR.
func startInstance(t *testing.T, d *deps, dataDir, memcached string) *instance {
	t.Helper()
	in := retryStart(t, "run-service.sh", func() (*instance, error) { return tryInstance(t, d, dataDir, memcached) })
	t.Cleanup(in.cleanup)
	return in
}

func tryInstance(t *testing.T, d *deps, dataDir, memcached string) (*instance, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	mcEnv := memcached
	if memcached == "" {
		// The script's default: a memcached of its own in DATA_DIR.
		memcached = filepath.Join(dataDir, "run", "memcached.sock")
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "run-service.sh"))
	cmd.Env = append(os.Environ(),
		"PORT="+strconv.Itoa(port), "BIND=127.0.0.1", "BIN_DIR="+binDir,
		"DATA_DIR="+dataDir, "LOG_DIR=", "MEMCACHED="+mcEnv,
	)
	cmd.Env = append(cmd.Env, d.testSettings()...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start run-service.sh: %w", err)
	}
	in := &instance{
		service: &service{t: t, dataDir: dataDir, base: fmt.Sprintf("http://127.0.0.1:%d", port), output: out},
		script:  cmd, exited: make(chan struct{}), memcached: memcached,
	}
	go func() {
		in.waitErr = cmd.Wait()
		close(in.exited)
	}()
	switch err := awaitForm(in.base, in.exited, http.StatusOK); {
	case errors.Is(err, errExited):
		return nil, fmt.Errorf("run-service.sh exited: %v\n%s\n%s", in.waitErr, out, in.errorLog())
	case err != nil:
		in.cleanup()
		return nil, fmt.Errorf("%w\n%s\n%s", err, out, in.errorLog())
	}
	return in, nil
}

// cleanup stops what a failed test left running: the script first, then
// by pid whatever of the instance is left.
func (in *instance) cleanup() {
	select {
	case <-in.exited:
	default:
		in.script.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.exited:
		case <-time.After(60 * time.Second):
			in.script.Process.Kill()
			<-in.exited
		}
	}
	for _, p := range instanceProcs(in.dataDir) {
		syscall.Kill(p.pid, syscall.SIGKILL)
	}
	if in.t.Failed() {
		in.t.Logf("run-service.sh (%s) output:\n%s", in.dataDir, in.output)
	}
}

// waitExit waits for run-service.sh to end and returns how long it took.
func (in *instance) waitExit(within time.Duration) time.Duration {
	in.t.Helper()
	start := time.Now()
	select {
	case <-in.exited:
	case <-time.After(within):
		in.t.Fatalf("run-service.sh (%s) still running %v after the stop:\n%s", in.dataDir, within, in.output)
	}
	return time.Since(start)
}

// instanceProcs lists the live processes of the instance whose DATA_DIR
// is dataDir: the script, its memcached, lighttpd and everything below it,
// all of which have DATA_DIR=dataDir in their environment.
func instanceProcs(dataDir string) []proc {
	want := []byte("DATA_DIR=" + dataDir)
	entries, _ := os.ReadDir("/proc")
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !slices.ContainsFunc(bytes.Split(env, []byte{0}), func(v []byte) bool { return bytes.Equal(v, want) }) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		lp, rp := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if lp < 0 || rp < lp {
			continue
		}
		f := strings.Fields(string(stat[rp+1:]))
		if len(f) < 2 || f[0] == "Z" {
			continue // a zombie is dead already
		}
		p := proc{pid: pid, name: string(stat[lp+1 : rp])}
		p.ppid, _ = strconv.Atoi(f[1])
		out = append(out, p)
	}
	return out
}

func named(procs []proc, names ...string) []proc {
	var out []proc
	for _, p := range procs {
		if slices.Contains(names, p.name) {
			out = append(out, p)
		}
	}
	return out
}

// waitConverter waits until a converter of the instance runs.
func (in *instance) waitConverter() {
	in.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(named(instanceProcs(in.dataDir), "converter")) == 0 {
		if time.Now().After(deadline) {
			in.t.Fatalf("%s: no converter started within a minute: %v", in.dataDir, instanceProcs(in.dataDir))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slowJob queues a conversion that keeps its converter busy for seconds
// and writes little: a tracker lerped over spreadFrames frames, each
// keyframe three times through the lens model, then all but the last few
// dropped.
func (in *instance) slowJob() string {
	in.t.Helper()
	file := fmt.Sprintf(`{"width": 1920, "height": 1080, "trackers": [{"name": "T1", "keyframes": [`+
		`{"frame": 0, "x": 1, "y": 2, "residual": 0}, {"frame": %d, "x": 100, "y": 200, "residual": 0}]}]}`, spreadFrames)
	lens := func(remove bool) string {
		return fmt.Sprintf(`{"name": "lensdisto", "params": {"k": "0.1", "kcube": "0.01", "remove": "%t"}}`, remove)
	}
	tools := fmt.Sprintf(`[{"name": "lerp"}, %s, %s, %s, {"name": "slipper", "params": {"slip": "%d"}}, {"name": "starttrim"}]`,
		lens(true), lens(false), lens(true), -(spreadFrames - 10))
	return in.create("spread.json", []byte(file), map[string]string{"tools": tools}, true)
}

// spreadFrames: lerp makes 10 million keyframes at most. The job takes
// 5 to 10 s on the 2-core VM, more when it is busy.
const spreadFrames = 10_000_000

// done waits for the job and checks that it finished in its first run:
// no converter of it was stopped on the way.
func (in *instance) done(id string) {
	in.t.Helper()
	start := time.Now()
	if st := in.wait(id, 3*time.Minute); st.State != "done" {
		in.t.Fatalf("%s: job %s: %+v\n%s", in.dataDir, id, st, in.jobLog(id))
	}
	// The status's attempt is the job's run: a converter stopped from
	// outside puts the job back, and the next claim is a second run.
	_, body := in.get("/jobs/" + id + "/status")
	var st struct{ Attempt int }
	if err := json.Unmarshal(body, &st); err != nil || st.Attempt != 1 {
		in.t.Errorf("%s: job %s done in run %d, want 1 (a converter of it was stopped): %s", in.dataDir, id, st.Attempt, body)
	}
	in.t.Logf("%s: job %s done, %v after the test began waiting", filepath.Base(in.dataDir), id, time.Since(start).Round(time.Millisecond))
}

// serves checks that the instance takes and converts a new upload.
func (in *instance) serves() {
	in.t.Helper()
	file := formattest.ImportPath(in.t, "nuke/018.nk")
	content, err := os.ReadFile(file)
	if err != nil {
		in.t.Fatal(err)
	}
	in.done(in.create("018.nk", content, map[string]string{"width": "1920", "height": "1080"}, true))
}

// gone checks that no process of the instance is left and that its
// memcached is stopped or still listens, as wanted.
func (in *instance) gone(why string, memcachedUp bool) {
	in.t.Helper()
	if left := instanceProcs(in.dataDir); len(left) > 0 {
		in.t.Errorf("%s: processes of %s left after run-service.sh ended: %v", why, in.dataDir, left)
	}
	if up := in.memcachedUp(); up != memcachedUp {
		in.t.Errorf("%s: memcached at %s listening: %v, want %v", why, in.memcached, up, memcachedUp)
	}
}

// memcachedUp tells whether something listens on the instance's
// memcached address.
func (in *instance) memcachedUp() bool {
	c, err := net.DialTimeout(memcachedtest.Network(in.memcached), in.memcached, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// pids of the long-lived processes of the instance: lighttpd, fcgi, worker.
func (in *instance) pids() []int {
	var out []int
	for _, p := range named(instanceProcs(in.dataDir), "lighttpd", "fcgi", "worker") {
		out = append(out, p.pid)
	}
	slices.Sort(out)
	return out
}

// settled waits until every fcgi process of the instance runs its
// dispatcher, and returns the pids of the long-lived processes then.
func (in *instance) settled() []int {
	in.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		procs := instanceProcs(in.dataDir)
		fcgis, ready := named(procs, "fcgi"), 0
		for _, f := range fcgis {
			if len(named(children(procs, f.pid), "worker")) == 1 {
				ready++
			}
		}
		if len(fcgis) > 0 && ready == len(fcgis) {
			return in.pids()
		}
		if time.Now().After(deadline) {
			in.t.Fatalf("%s: not every fcgi process runs a dispatcher: %v", in.dataDir, procs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func isRunning(pid int, dataDir string) bool {
	return slices.ContainsFunc(instanceProcs(dataDir), func(p proc) bool { return p.pid == pid })
}

func children(procs []proc, pid int) []proc {
	var out []proc
	for _, p := range procs {
		if p.ppid == pid {
			out = append(out, p)
		}
	}
	return out
}

// untouched checks that every pid of before still runs.
func (in *instance) untouched(why string, before []int) {
	in.t.Helper()
	if now := in.pids(); !slices.Equal(now, before) {
		in.t.Errorf("%s: processes of %s were %v, now %v", why, in.dataDir, before, now)
	}
}

// Two instances from one checkout, as two `make run` with their own PORT
// and DATA_DIR: stopping one, however it is stopped, stops all of its
// processes and none of the other's.
func TestInstancesStopOnlyTheirOwnProcesses(t *testing.T) {
	formattest.SharedDir(t)
	d := startDeps(t)
	dir := t.TempDir()

	// a has a memcached of its own, started by its script; b and c use
	// the shared one.
	a := startInstance(t, d, filepath.Join(dir, "a"), "")
	b := startInstance(t, d, filepath.Join(dir, "b"), d.memcached)
	// Three jobs on b share the two cores, so that its converters run
	// through a's stop.
	jobA := a.slowJob()
	jobsB := []string{b.slowJob(), b.slowJob(), b.slowJob()}
	a.waitConverter()
	b.waitConverter()
	bPids := b.settled()
	bConverters := named(instanceProcs(b.dataDir), "converter")

	if !a.memcachedUp() {
		t.Fatalf("a's script started no memcached at %s:\n%s", a.memcached, a.output)
	}

	// SIGTERM to a's script, as Ctrl-C or kill would send it.
	a.script.Process.Signal(syscall.SIGTERM)
	took := a.waitExit(time.Minute)
	t.Logf("a stopped in %v", took.Round(time.Millisecond))
	a.gone("SIGTERM to run-service.sh", false)
	b.untouched("after a stopped", bPids)
	for _, p := range bConverters {
		// For the record: whether b was converting all along (the job
		// ending in its first run is what shows no harm was done).
		t.Logf("b's %v still running after a stopped: %v", p, isRunning(p.pid, b.dataDir))
	}
	if st, err := a.status(jobA); err == nil {
		t.Errorf("a's site still answers after its stop: %+v", st)
	}
	for _, id := range jobsB {
		b.done(id)
	}
	b.serves()
	b.untouched("after b's jobs", bPids)
	// a's script waited for nothing but its own processes: GRACE is 3s.
	if took > 15*time.Second {
		t.Errorf("a's run-service.sh took %v to stop", took)
	}

	// lighttpd of b killed outright, with one of its fcgi processes
	// hanging (SIGSTOP): the parent-death signals stop the rest, and the
	// script must find the hung fcgi and its dispatcher by itself.
	// Meanwhile c starts, and must live through b's final sweep.
	b.slowJob()
	b.waitConverter()
	procsB := instanceProcs(b.dataDir)
	hung := hungCandidate(procsB)
	lighttpdB := named(procsB, "lighttpd")
	if hung.pid == 0 || len(lighttpdB) != 1 {
		t.Fatalf("b's processes: %v", procsB)
	}
	t.Logf("stopping %v, then SIGKILL to %v", hung, lighttpdB[0])
	syscall.Kill(hung.pid, syscall.SIGSTOP)
	syscall.Kill(lighttpdB[0].pid, syscall.SIGKILL)
	c := startInstance(t, d, filepath.Join(dir, "c"), d.memcached)
	cPids := c.settled()
	jobC := c.slowJob()
	took = b.waitExit(time.Minute)
	t.Logf("b stopped %v after c started", took.Round(time.Millisecond))
	b.gone("SIGKILL to lighttpd with a hung fcgi", true)
	if !killed(b.output.String(), hung.pid) {
		t.Errorf("b's script did not say it killed the hung %v:\n%s", hung, b.output)
	}
	c.untouched("after b's sweep", cPids)
	c.done(jobC)
	c.serves()
	c.untouched("after c's jobs", cPids)

	// SIGTERM to c's lighttpd, as an operator stopping the service: the
	// script notices and ends, and leaves the shared memcached alone.
	jobC = c.slowJob()
	c.waitConverter()
	lighttpdC := named(instanceProcs(c.dataDir), "lighttpd")
	if len(lighttpdC) != 1 {
		t.Fatalf("c's processes: %v", instanceProcs(c.dataDir))
	}
	syscall.Kill(lighttpdC[0].pid, syscall.SIGTERM)
	took = c.waitExit(time.Minute)
	t.Logf("c stopped in %v", took.Round(time.Millisecond))
	c.gone("SIGTERM to lighttpd", true)
	if states := jobStates(t, filepath.Join(c.dataDir, "jobs.db"), []string{jobC}); states["running"] != 0 {
		t.Errorf("c's job left running after a clean stop: %v", states)
	}
}

// killed tells whether run-service.sh said it killed pid.
func killed(output string, pid int) bool {
	for line := range strings.Lines(output) {
		if list, ok := strings.CutPrefix(line, "run-service: killing processes still running:"); ok &&
			slices.Contains(strings.Fields(list), strconv.Itoa(pid)) {
			return true
		}
	}
	return false
}

// hungCandidate picks the fcgi process to hang: one whose dispatcher runs
// a converter if there is one.
func hungCandidate(procs []proc) proc {
	var pick proc
	for _, w := range named(procs, "worker") {
		for _, f := range named(procs, "fcgi") {
			if f.pid == w.ppid && (pick.pid == 0 || hasChild(procs, w.pid)) {
				pick = f
			}
		}
	}
	return pick
}
