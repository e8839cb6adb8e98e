package jobs

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A job queued through another handle on the database (another process,
// as the web side is) is noticed within the interval; a read is not a
// change.
func TestWatchChangesSeesOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	watched, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer watched.Close()
	other, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan struct{}, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		watched.WatchChanges(ctx, 10*time.Millisecond, func() { changes <- struct{}{} })
	}()
	time.Sleep(50 * time.Millisecond) // the watcher has read its first version
	if _, err := other.Get(ctx, "0123"); err == nil {
		t.Fatal("a job that does not exist")
	}
	select {
	case <-changes:
		t.Fatal("a read was taken for a change")
	case <-time.After(100 * time.Millisecond):
	}

	start := time.Now()
	if err := other.Create(ctx, &Job{FileName: "a.nk", Upload: "/u/a"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("change seen after %v", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the new job was not noticed")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("WatchChanges did not return when its context ended")
	}
}
