package dispatch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tracksgo/internal/jobs"
)

// TestDeletedRunningJobIsStoppedAndCleaned: a job deleted by its creator
// while its converter runs (here one that placed its results and goes on)
// loses its lease: the dispatcher kills the converter at its next renewal,
// and what the converter placed goes, without a requeue, a failure or a
// mail.
func TestDeletedRunningJobIsStoppedAndCleaned(t *testing.T) {
	f := newFixture(t, `mkdir -p $(dirname $0)/results/$2 && echo out > $(dirname $0)/results/$2/a_nuke.nk; sleep 30`,
		map[string]string{"LEASE": "300ms", "MAX_ATTEMPTS": "1"})
	token, hash := jobs.NewToken()
	upload := filepath.Join(f.cfg.UploadDir(), "x")
	j := &jobs.Job{FileName: "a.nk", Upload: upload, DeleteHash: hash}
	if err := f.store.Create(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	stop := f.dispatch()
	results := f.cfg.ResultDir(j.ID)
	f.waitFor("the converter to place its results", func() bool {
		_, err := os.Stat(filepath.Join(results, "a_nuke.nk"))
		return err == nil
	})
	// The web's delete: the row, then the files it knows of.
	if _, err := f.store.Delete(context.Background(), j.ID, token); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(results)
	// The converter, not yet told, places its results again.
	os.MkdirAll(results, 0o755)
	os.WriteFile(filepath.Join(results, "late.nk"), []byte("late"), 0o644)

	start := time.Now()
	f.waitFor("the converter to be stopped and its results removed", func() bool {
		entries, _ := os.ReadDir(f.cfg.TmpDir())
		_, err := os.Stat(results)
		return len(entries) == 0 && os.IsNotExist(err)
	})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the converter of a deleted job ran on for %s", took)
	}
	stop()
	if _, err := f.store.Get(context.Background(), j.ID); err == nil {
		t.Error("the deleted job is back")
	}
	if c, _ := f.store.Claim(context.Background(), "w", time.Minute); c != nil {
		t.Errorf("a job to claim after the delete: %+v", c)
	}
	f.mail.Wait(time.Second)
	if got := f.mails.of(j.ID); len(got) != 0 {
		t.Errorf("mails about a deleted job: %q", got)
	}
}
