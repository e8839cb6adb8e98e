package dispatch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
)

// mails records the failure mails.
type mails struct {
	mu   sync.Mutex
	sent map[string][]string // job id → messages
}

func (m *mails) JobFailed(_ context.Context, j *jobs.Job, msg string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sent == nil {
		m.sent = map[string][]string{}
	}
	m.sent[j.ID] = append(m.sent[j.ID], msg)
	return nil
}

func (m *mails) of(id string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent[id]
}

// fixture is a data directory, a database and a configuration whose
// converter is a shell script: the dispatcher runs real processes, which
// end the way the test wants.
type fixture struct {
	t     *testing.T
	cfg   *config.Config
	store *jobs.SQLite
	mails *mails
	mail  *Mail
	log   *logrus.Logger
}

func newFixture(t *testing.T, script string, env map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "converter.sh")
	// The script knows its run: $2 is the job id, $6 the run number.
	body := "#!/bin/sh\nwork=" + filepath.Join(dir, "tmp") + "/$2-$6\nmkdir -p $work && echo half > $work/out.nk\n" + script + "\n"
	if err := os.WriteFile(bin, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"DATA_DIR": dir, "CONVERTER_BIN": bin, "POLL": "20ms", "LEASE": "5s",
		"GRACE": "2s", "JOB_TIMEOUT": "1m", "CONVERTERS": "2"}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	log, _ := logtest.NewNullLogger()
	m := &mails{}
	return &fixture{t: t, cfg: cfg, store: store, mails: m, mail: NewMail(m), log: log}
}

func (f *fixture) queue(n int) []string {
	f.t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		j := &jobs.Job{FileName: fmt.Sprintf("f%d.json", i), Upload: "/nonexistent"}
		if err := f.store.Create(context.Background(), j); err != nil {
			f.t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	return ids
}

func (f *fixture) get(id string) *jobs.Job {
	f.t.Helper()
	j, err := f.store.Get(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

// dispatch runs a Dispatcher until the returned stop is called (or the
// test ends).
func (f *fixture) dispatch() (stop func()) {
	d := &Dispatcher{Config: f.cfg, Store: f.store, Log: f.log, Owner: NewOwner(), Mail: f.mail}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					f.t.Errorf("dispatcher: %v", err)
				}
			case <-time.After(30 * time.Second):
				f.t.Fatal("the dispatcher did not stop")
			}
		})
	}
	f.t.Cleanup(stop)
	return stop
}

func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			f.t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *fixture) ended(id string) func() bool {
	return func() bool { s := f.get(id).State; return s == jobs.Done || s == jobs.Failed }
}

// noWorkDirs fails when a run's temporary folder is left.
func (f *fixture) noWorkDirs() {
	f.t.Helper()
	entries, _ := os.ReadDir(f.cfg.TmpDir())
	for _, e := range entries {
		f.t.Errorf("left in tmp: %s", e.Name())
	}
}

func TestDispatcherSettles(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		env      map[string]string
		message  string
		attempts int // attempts and runs when the job failed
		runs     int
	}{
		{"a crash uses up the attempts", "exit 1", map[string]string{"MAX_ATTEMPTS": "3"},
			MsgCrashed, 3, 3},
		{"a server fault is requeued up to the cap, no attempt used", "exit 5", map[string]string{"MAX_ATTEMPTS": "1", "MAX_REQUEUES": "2"},
			jobs.RequeueMessage(2), 0, 3},
		{"a stop from outside is requeued", "kill -TERM $$", map[string]string{"MAX_ATTEMPTS": "1", "MAX_REQUEUES": "1"},
			jobs.RequeueMessage(1), 0, 2},
		{"the memory limit is named", "echo 'fatal error: runtime: out of memory' >&2; exit 2", map[string]string{"MAX_ATTEMPTS": "2", "JOB_MEMORY": "1GiB"},
			MsgMemory(1 << 30), 2, 2},
		{"a SIGKILL nobody in the service sent", "kill -KILL $$", map[string]string{"MAX_ATTEMPTS": "1", "JOB_MEMORY": "1GiB"},
			MsgKilled(1 << 30), 1, 1},
		{"a timeout, stopped", "trap 'exit 4' TERM; sleep 30 & wait", map[string]string{"MAX_ATTEMPTS": "2", "JOB_TIMEOUT": "200ms"},
			MsgTimeout(200 * time.Millisecond), 2, 2},
		{"a timeout while the result waited for the database", "trap 'exit 5' TERM; sleep 30 & wait", map[string]string{"MAX_ATTEMPTS": "1", "MAX_REQUEUES": "1", "JOB_TIMEOUT": "200ms"},
			jobs.RequeueMessage(1), 0, 2},
		{"a timeout, SIGTERM ignored", "trap '' TERM; sleep 30 & wait; sleep 30", map[string]string{"MAX_ATTEMPTS": "1", "JOB_TIMEOUT": "200ms"},
			MsgTimeout(200 * time.Millisecond), 1, 1},
	}
	termWait = 300 * time.Millisecond
	t.Cleanup(func() { termWait = 5 * time.Second })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.script, tt.env)
			id := f.queue(1)[0]
			stop := f.dispatch()
			f.waitFor("the job to end", f.ended(id))
			stop()
			j := f.get(id)
			if j.State != jobs.Failed || j.Error != tt.message || j.Attempts != tt.attempts || j.Runs != tt.runs {
				t.Errorf("job %s %q, attempts %d, runs %d; want failed %q, attempts %d, runs %d",
					j.State, j.Error, j.Attempts, j.Runs, tt.message, tt.attempts, tt.runs)
			}
			f.mail.Wait(time.Second)
			if got := f.mails.of(id); len(got) != 1 || got[0] != tt.message {
				t.Errorf("mails %q, want one with %q", got, tt.message)
			}
			f.noWorkDirs()
		})
	}
}

// TestConverterEnvironment: the converter gets its memory limit and the
// collector's target below it.
func TestConverterEnvironment(t *testing.T) {
	f := newFixture(t, `echo "$JOB_MEMORY $GOMEMLIMIT" > $(dirname $0)/env; exit 1`, map[string]string{"JOB_MEMORY": "1GiB", "MAX_ATTEMPTS": "1"})
	id := f.queue(1)[0]
	stop := f.dispatch()
	f.waitFor("the job to end", f.ended(id))
	stop()
	b, err := os.ReadFile(filepath.Join(f.cfg.DataDir, "env"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(b)), fmt.Sprintf("%d %d", 1<<30, (1<<30)/5*4); got != want {
		t.Errorf("JOB_MEMORY GOMEMLIMIT = %q, want %q", got, want)
	}
}

// TestShutdownPutsJobsBack: converters still running when the grace
// period ends are killed; their jobs go back to the queue as they were.
func TestShutdownPutsJobsBack(t *testing.T) {
	f := newFixture(t, "sleep 30", map[string]string{"GRACE": "100ms", "MAX_ATTEMPTS": "1"})
	ids := f.queue(3)
	stop := f.dispatch()
	f.waitFor("two converters at work", func() bool {
		entries, _ := os.ReadDir(f.cfg.TmpDir())
		return len(entries) == 2
	})
	stop()
	queued := 0
	for _, id := range ids {
		j := f.get(id)
		if j.State != jobs.Queued || j.Attempts != 0 {
			t.Errorf("job %s attempts %d after a shutdown, want queued with 0 attempts", j.State, j.Attempts)
		}
		if j.Requeues == 1 {
			queued++
		}
	}
	if queued != 2 {
		t.Errorf("%d jobs requeued, want the 2 that ran", queued)
	}
	f.noWorkDirs()
}

// TestConvertersRunAtMostConverters: never more converters than
// CONVERTERS, and every job runs.
func TestConvertersRunAtMostConverters(t *testing.T) {
	f := newFixture(t, `n=$(ls $(dirname $work) | wc -l); echo $n >> $(dirname $0)/seen; sleep 0.1; exit 1`,
		map[string]string{"CONVERTERS": "2", "MAX_ATTEMPTS": "1"})
	ids := f.queue(6)
	stop := f.dispatch()
	for _, id := range ids {
		f.waitFor("every job to end", f.ended(id))
	}
	stop()
	b, _ := os.ReadFile(filepath.Join(f.cfg.DataDir, "seen"))
	for _, n := range strings.Fields(string(b)) {
		if n != "1" && n != "2" {
			t.Errorf("a converter saw %s runs at work, want at most 2", n)
		}
	}
	if got := len(strings.Fields(string(b))); got != 6 {
		t.Errorf("%d converter runs, want 6", got)
	}
}
