package runner

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/logging"
	"tracksgo/internal/proc"
)

// ErrParentGone is the cause of the context when the dispatcher died.
var ErrParentGone = errors.New("the dispatcher is gone")

// Main is the converter's job mode:
//
//	converter --job ID --owner OWNER --run N
//
// It reads the configuration from the environment, has the kernel limit
// its memory to JOB_MEMORY, logs to the log directory as program
// "converter" (every line with the job id), watches its lifeline on fd 3
// when the dispatcher gave it one (proc.WatchParent: the run stops when
// the dispatcher is gone) and runs the job. It returns the process exit
// code (jobs.Exit*): whatever kept it from recording an outcome that is
// not the file's fault (the database, the configuration, a stop from
// outside) has a code of its own, so that the dispatcher puts the job back
// instead of failing it.
func Main(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("converter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var lease jobs.Lease
	fs.StringVar(&lease.ID, "job", "", "id of the job to run")
	fs.StringVar(&lease.Owner, "owner", "", "lease owner (the dispatcher that claimed the job)")
	fs.IntVar(&lease.Run, "run", 0, "run number of the claim (the lease fence)")
	if err := fs.Parse(args); err != nil {
		return jobs.ExitUsage
	}
	if lease.ID == "" || lease.Owner == "" || lease.Run <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: converter --job ID --owner OWNER --run N")
		return jobs.ExitUsage
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "converter:", err)
		return jobs.ExitServerFault
	}
	if err := LimitMemory(cfg.JobMemory); err != nil {
		fmt.Fprintln(stderr, "converter:", err)
		return jobs.ExitServerFault
	}
	logger, closer, err := logging.New(cfg.LogDir, "converter")
	if err != nil {
		fmt.Fprintln(stderr, "converter:", err)
		return jobs.ExitServerFault
	}
	defer closer.Close()
	log := logger.WithFields(logrus.Fields{"job": lease.ID, "run": lease.Run, "pid": os.Getpid()})

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	proc.WatchParent(func() {
		log.Warn("dispatcher gone; stopping the conversion")
		cancel(ErrParentGone)
	})

	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		log.WithError(err).Error("opening the job database")
		return jobs.ExitServerFault
	}
	defer store.Close()
	err = Run(ctx, cfg, store, lease, logger)
	return exitCode(ctx, err, log)
}

// exitCode tells the dispatcher how a run ended.
func exitCode(ctx context.Context, err error, log logrus.FieldLogger) int {
	switch {
	case err == nil:
		return jobs.ExitRecorded
	case errors.Is(err, jobs.ErrLeaseLost):
		log.WithError(err).Warn("lease lost; the outcome of this run is not recorded")
		return jobs.ExitLeaseLost
	case errors.Is(err, ErrNotRecorded):
		log.WithError(err).Error("the outcome could not be recorded; the dispatcher puts the job back")
		return jobs.ExitServerFault
	case ctx.Err() != nil:
		log.WithError(err).Warn("stopped before recording an outcome; the dispatcher puts the job back")
		return jobs.ExitStopped
	default:
		log.WithError(err).Error("job not run; the dispatcher puts it back")
		return jobs.ExitServerFault
	}
}

// LimitMemory has the kernel refuse this process more than n bytes of
// memory: RLIMIT_DATA, which counts its writable private memory (the Go
// heap, thread stacks, SQLite's allocations). Not RLIMIT_AS: the Go
// runtime reserves far more address space than it uses (over a GiB at
// start), and that limit would count it. The Go runtime then dies with
// "fatal error: runtime: out of memory", which the dispatcher recognises.
// The dispatcher also sets GOMEMLIMIT below it, so that the collector
// works harder before the limit is reached.
func LimitMemory(n int64) error {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_DATA, &lim); err != nil {
		return fmt.Errorf("memory limit (JOB_MEMORY): %w", err)
	}
	lim.Cur = min(uint64(n), lim.Max) // the soft limit: lowering it needs no privilege
	if err := unix.Setrlimit(unix.RLIMIT_DATA, &lim); err != nil {
		return fmt.Errorf("memory limit of %s (JOB_MEMORY): %w", config.FormatSize(n), err)
	}
	return nil
}
