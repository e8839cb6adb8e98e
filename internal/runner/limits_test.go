package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/jobs"
	"tracksgo/internal/tools"
)

// TestJobOverTheOutputLimitFailsFast: a Shake text file of 174 bytes with
// keyframes on frames 1 and 9,999,999, converted to every format behind
// Lerp, asks for ten million keyframes in each of 21 files (18 GB, which
// took 71 s before there was a budget). The job fails within seconds with
// the message that names the limit and what to change, and leaves no
// file: no result folder, no temporary folder.
func TestJobOverTheOutputLimitFailsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("makes ten million keyframes")
	}
	upload, err := os.ReadFile("testdata/far_apart.txt")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, map[string]string{"MEMCACHED": "", "JOB_OUTPUT_LIMIT": "1048576"})
	job := f.queue(t, "far_apart.txt", upload, jobs.Options{Width: 1920, Height: 1080,
		Tools: []tools.Spec{{Name: "lerp"}}})
	start := time.Now()
	if err := Run(context.Background(), f.cfg, f.store, job.LeaseOf(), f.log); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	got, _ := f.store.Get(context.Background(), job.ID)
	want := "The outputs would exceed 1 MiB, the most one conversion may write: choose fewer formats or trim the frame range"
	if got.State != jobs.Failed || got.Error != want {
		t.Fatalf("job %s with error %q, want failed with %q", got.State, got.Error, want)
	}
	// That it stopped at the limit is the error above; the time is only
	// a guard against a run that writes everything (a minute and more),
	// generous for the race detector on a loaded machine.
	if took > time.Minute {
		t.Errorf("the job failed after %v", took)
	}
	t.Logf("failed after %v", took)
	if _, err := os.Stat(f.cfg.ResultDir(job.ID)); !os.IsNotExist(err) {
		t.Errorf("a failed job has a result folder: %v", err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(f.cfg.DataDir, "tmp")); len(tmp) != 0 {
		t.Errorf("temporary folders left: %v", tmp)
	}
	var left []string
	filepath.Walk(f.cfg.DataDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.Contains(filepath.Base(p), "far_apart") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Errorf("files of the job left: %v", left)
	}
}

// TestJobToolsShareOneKeyframeBudget: Lerp asked to fill a gap wider than
// the budget of a whole job fails at once, before it makes anything.
func TestJobToolsShareOneKeyframeBudget(t *testing.T) {
	f := newFixture(t, map[string]string{"MEMCACHED": ""})
	far := fmt.Sprintf("TrackName a\n   Frame             X             Y   Correlation\n    1.00  1.000  1.000  1.000\n%d.00  2.000  2.000  1.000\n", tools.DefaultKeyframeLimit+3)
	job := f.queue(t, "farther.txt", []byte(far), jobs.Options{Width: 1920, Height: 1080, Tools: []tools.Spec{{Name: "lerp"}}})
	start := time.Now()
	if err := Run(context.Background(), f.cfg, f.store, job.LeaseOf(), f.log); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.Get(context.Background(), job.ID)
	want := "lerp: the tools would create more than 10,000,000 keyframes, the most one conversion may add: remove the lerp tool or trim the frame range"
	if got.State != jobs.Failed || got.Error != want {
		t.Fatalf("job %s with error %q, want failed with %q", got.State, got.Error, want)
	}
	if took := time.Since(start); took > 30*time.Second { // a guard, not a speed test
		t.Errorf("the job failed after %v", took)
	}
}
