package dispatch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tracksgo/internal/jobs"
)

func (f *fixture) maintenance() *Maintenance {
	return &Maintenance{Config: f.cfg, Store: f.store, Log: f.log, Mail: f.mail}
}

// claim claims the next job for owner with a lease of the given length.
func (f *fixture) claim(owner string, lease time.Duration) *jobs.Job {
	f.t.Helper()
	j, err := f.store.Claim(context.Background(), owner, lease)
	if err != nil || j == nil {
		f.t.Fatalf("claim: %v, %v", j, err)
	}
	return j
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "data"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestRescue: a run whose lease expired (its dispatcher died) goes back to
// the queue without using an attempt, its temporary folder removed; past
// MAX_REQUEUES the job fails with a message that does not blame the file,
// and the admin gets a mail.
func TestRescue(t *testing.T) {
	f := newFixture(t, "exit 1", map[string]string{"MAX_REQUEUES": "1"})
	m := f.maintenance()
	id := f.queue(1)[0]
	for run := 1; run <= 2; run++ {
		j := f.claim("dead-dispatcher", time.Millisecond)
		work := f.cfg.WorkDir(id, j.Runs)
		mkdir(t, work)
		time.Sleep(5 * time.Millisecond)
		rescued := m.Rescue()
		want := map[bool]jobs.State{true: jobs.Queued, false: jobs.Failed}[run == 1]
		if len(rescued) != 1 || rescued[0].ID != id || rescued[0].Run != run || rescued[0].State != want {
			t.Fatalf("run %d: rescued %+v, want %s", run, rescued, want)
		}
		if exists(work) {
			t.Errorf("run %d: the rescued run's folder is left", run)
		}
		if got := f.get(id); got.State != want || got.Attempts != 0 || got.Requeues != run {
			t.Errorf("run %d: %s attempts %d requeues %d", run, got.State, got.Attempts, got.Requeues)
		}
	}
	f.mail.Wait(time.Second)
	if got := f.mails.of(id); len(got) != 1 || got[0] != jobs.RequeueMessage(1) {
		t.Errorf("mails %q, want one with %q", got, jobs.RequeueMessage(1))
	}
	if rescued := m.Rescue(); len(rescued) != 0 {
		t.Errorf("nothing to rescue, rescued %+v", rescued)
	}
}

// TestCleanWork: the temporary folders of runs that are not running go;
// those of running runs, and whatever else is in tmp (lighttpd's upload
// buffers), stay.
func TestCleanWork(t *testing.T) {
	f := newFixture(t, "exit 1", nil)
	m := f.maintenance()
	ids := f.queue(3)
	running := f.claim("w", time.Minute)
	// The second job ran once (its run 1 died), and runs again now.
	again := f.claim("w", time.Minute)
	if _, err := f.store.Requeue(context.Background(), again.LeaseOf(), 5); err != nil {
		t.Fatal(err)
	}
	again = f.claim("w", time.Minute)
	done := f.claim("w", time.Minute)
	if err := f.store.Complete(context.Background(), done.LeaseOf(), &jobs.Result{}); err != nil {
		t.Fatal(err)
	}
	if running.ID != ids[0] || again.ID != ids[1] || again.Runs != 2 || done.ID != ids[2] {
		t.Fatal("unexpected claim order")
	}
	tmp := f.cfg.TmpDir()
	keep := []string{
		f.cfg.WorkDir(running.ID, 1), f.cfg.WorkDir(again.ID, 2),
		filepath.Join(tmp, "lighttpd-upload-Ab3xYz"), filepath.Join(tmp, "not-a-run"),
	}
	gone := []string{
		f.cfg.WorkDir(again.ID, 1), f.cfg.WorkDir(done.ID, 1),
		f.cfg.WorkDir(jobs.NewID(), 1),              // a job deleted since
		filepath.Join(tmp, running.ID+"-123456789"), // a folder of an older version (random suffix)
	}
	for _, p := range append(slices.Clone(keep), gone...) {
		mkdir(t, p)
	}
	if err := os.WriteFile(filepath.Join(tmp, "lighttpd-upload-file"), []byte("body"), 0o600); err != nil {
		t.Fatal(err)
	}
	removed := m.CleanWork()
	slices.Sort(removed)
	slices.Sort(gone)
	if !slices.Equal(removed, gone) {
		t.Errorf("removed %v, want %v", removed, gone)
	}
	for _, p := range append(keep, filepath.Join(tmp, "lighttpd-upload-file")) {
		if !exists(p) {
			t.Errorf("%s was removed", p)
		}
	}
	for _, p := range gone {
		if exists(p) {
			t.Errorf("%s is left", p)
		}
	}
}

// TestCleanResults: result folders of failed and deleted jobs go (a run
// placed them but could not record them); those of done, queued and
// running jobs stay.
func TestCleanResults(t *testing.T) {
	f := newFixture(t, "exit 1", nil)
	m := f.maintenance()
	ids := f.queue(4)
	ctx := context.Background()
	done := f.claim("w", time.Minute)
	f.store.Complete(ctx, done.LeaseOf(), &jobs.Result{})
	failed := f.claim("w", time.Minute)
	f.store.Fail(ctx, failed.LeaseOf(), "bad file")
	running := f.claim("w", time.Minute)
	queued := ids[3]
	deleted := jobs.NewID()
	for _, id := range []string{done.ID, failed.ID, running.ID, queued, deleted, "README"} {
		mkdir(t, f.cfg.ResultDir(id))
	}
	removed := m.CleanResults()
	want := []string{f.cfg.ResultDir(failed.ID), f.cfg.ResultDir(deleted)}
	slices.Sort(removed)
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, id := range []string{done.ID, running.ID, queued, "README"} {
		if !exists(f.cfg.ResultDir(id)) {
			t.Errorf("results of %s removed", id)
		}
	}
}

// TestSweepRetention: finished jobs past the retention go with their
// upload and results; newer ones and unfinished ones stay.
func TestSweepRetention(t *testing.T) {
	f := newFixture(t, "exit 1", map[string]string{"RETENTION": "1h"})
	m := f.maintenance()
	ctx := context.Background()
	ids := f.queue(2)
	old := f.claim("w", time.Minute)
	f.store.Complete(ctx, old.LeaseOf(), &jobs.Result{})
	for _, id := range ids {
		mkdir(t, f.cfg.ResultDir(id))
		mkdir(t, f.cfg.UploadDir())
		os.WriteFile(filepath.Join(f.cfg.UploadDir(), id), []byte("u"), 0o644)
	}
	m.Sweep(time.Now().Add(30 * time.Minute))
	if _, err := f.store.Get(ctx, old.ID); err != nil {
		t.Fatalf("a job within the retention was deleted: %v", err)
	}
	m.Sweep(time.Now().Add(2 * time.Hour))
	if _, err := f.store.Get(ctx, old.ID); err == nil {
		t.Error("a job past the retention is still there")
	}
	if exists(f.cfg.ResultDir(old.ID)) || exists(filepath.Join(f.cfg.UploadDir(), old.ID)) {
		t.Error("the files of a job past the retention are left")
	}
	if _, err := f.store.Get(ctx, ids[1]); err != nil || !exists(f.cfg.ResultDir(ids[1])) {
		t.Errorf("a queued job or its files were swept: %v", err)
	}
}

// TestMaintenanceRunCleansAtStart: a dispatcher that starts removes what
// dead runs left before any poll.
func TestMaintenanceRunCleansAtStart(t *testing.T) {
	f := newFixture(t, "exit 1", map[string]string{"POLL": "1h"})
	dead := f.cfg.WorkDir(jobs.NewID(), 1)
	mkdir(t, dead)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.maintenance().Run(ctx); close(done) }()
	f.waitFor("the dead run's folder removed", func() bool { return !exists(dead) })
	cancel()
	<-done
}
