package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"tracksgo/internal/jobs"
)

var errBusy = fmt.Errorf("complete job x (run 1): %w", sqlite3.Error{Code: sqlite3.ErrBusy})

// TestRecordWaitsForABusyDatabase: a busy database is tried again until
// it takes the write; a lost lease, another error or the end of the run
// stop the tries, and only a lost lease is not ErrNotRecorded.
func TestRecordWaitsForABusyDatabase(t *testing.T) {
	log, hook := logtest.NewNullLogger()
	r := &Runner{Log: log}
	tests := []struct {
		name      string
		errs      []error // what the write returns, try after try; then nil
		cancel    bool    // the run is stopped while the database is busy
		tries     int
		want      error
		notRecord bool
	}{
		{"free at once", nil, false, 1, nil, false},
		{"busy twice", []error{errBusy, errBusy}, false, 3, nil, false},
		{"locked", []error{fmt.Errorf("w: %w", sqlite3.Error{Code: sqlite3.ErrLocked})}, false, 2, nil, false},
		{"lease lost while busy", []error{errBusy, fmt.Errorf("w: %w", jobs.ErrLeaseLost)}, false, 2, jobs.ErrLeaseLost, false},
		{"disk I/O error", []error{fmt.Errorf("w: %w", sqlite3.Error{Code: sqlite3.ErrIoErr})}, false, 1, ErrNotRecorded, true},
		{"stopped while busy", []error{errBusy, errBusy, errBusy, errBusy, errBusy}, true, 1, ErrNotRecorded, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hook.Reset()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tries := 0
			err := r.record(ctx, log, "record the result", func() error {
				tries++
				if tt.cancel {
					cancel()
				}
				if tries <= len(tt.errs) {
					return tt.errs[tries-1]
				}
				return nil
			})
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("record = %v, want %v", err, tt.want)
			}
			if errors.Is(err, ErrNotRecorded) != tt.notRecord {
				t.Errorf("record = %v: ErrNotRecorded %v, want %v", err, !tt.notRecord, tt.notRecord)
			}
			if tries != tt.tries {
				t.Errorf("%d tries, want %d", tries, tt.tries)
			}
		})
	}
}

// TestExitCodes: how the end of a run is told to the dispatcher.
func TestExitCodes(t *testing.T) {
	log, _ := logtest.NewNullLogger()
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"recorded", context.Background(), nil, jobs.ExitRecorded},
		{"lease lost", context.Background(), fmt.Errorf("x: %w", jobs.ErrLeaseLost), jobs.ExitLeaseLost},
		{"not recorded", context.Background(), fmt.Errorf("x: %w: %w", ErrNotRecorded, errBusy), jobs.ExitServerFault},
		{"not recorded when stopped", stopped, fmt.Errorf("x: %w: %w", ErrNotRecorded, context.Canceled), jobs.ExitServerFault},
		{"stopped", stopped, fmt.Errorf("x: %w", context.Canceled), jobs.ExitStopped},
		{"job not readable", context.Background(), errors.New("load job x: disk I/O error"), jobs.ExitServerFault},
	}
	for _, tt := range tests {
		if got := exitCode(tt.ctx, tt.err, log); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestLimitMemory: in a child process, with JOB_MEMORY at 256 MiB,
// allocating far more dies the way the dispatcher recognises.
func TestLimitMemory(t *testing.T) {
	if os.Getenv("RUNNER_TEST_LIMIT") == "child" {
		if err := LimitMemory(256 << 20); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(7)
		}
		var keep [][]byte
		for i := 0; i < 64; i++ {
			b := make([]byte, 16<<20)
			for k := range b {
				b[k] = byte(k)
			}
			keep = append(keep, b)
		}
		fmt.Println(len(keep), "chunks of 16 MiB allocated")
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLimitMemory$")
	cmd.Env = append(os.Environ(), "RUNNER_TEST_LIMIT=child", "GOCOVERDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "out of memory") {
		t.Fatalf("a child allocating 1 GiB under a limit of 256 MiB: %v\n%.500s", err, out)
	}
}
