package runner

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/logging"
	"tracksgo/internal/proc"
)

// ErrParentGone is the cause of the context when the dispatcher died.
var ErrParentGone = errors.New("the dispatcher is gone")

// Main is the converter's job mode:
//
//	converter --job ID --owner OWNER --attempt N
//
// It reads the configuration from the environment, logs to the log
// directory as program "converter" (every line with the job id), watches
// its lifeline on fd 3 when the dispatcher gave it one (proc.WatchParent:
// the attempt stops when the dispatcher is gone) and runs the attempt. It
// returns the process exit code.
func Main(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("converter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var lease jobs.Lease
	fs.StringVar(&lease.ID, "job", "", "id of the job to run")
	fs.StringVar(&lease.Owner, "owner", "", "lease owner (the dispatcher that claimed the job)")
	fs.IntVar(&lease.Attempt, "attempt", 0, "attempt number of the claim")
	if err := fs.Parse(args); err != nil {
		return jobs.ExitUsage
	}
	if lease.ID == "" || lease.Owner == "" || lease.Attempt <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: converter --job ID --owner OWNER --attempt N")
		return jobs.ExitUsage
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "converter:", err)
		return jobs.ExitUsage
	}
	logger, closer, err := logging.New(cfg.LogDir, "converter")
	if err != nil {
		fmt.Fprintln(stderr, "converter:", err)
		return jobs.ExitUsage
	}
	defer closer.Close()
	log := logger.WithFields(logrus.Fields{"job": lease.ID, "attempt": lease.Attempt, "pid": os.Getpid()})

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	proc.WatchParent(func() {
		log.Warn("dispatcher gone; stopping the conversion")
		cancel(ErrParentGone)
	})

	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		log.WithError(err).Error("opening the job database")
		return jobs.ExitError
	}
	defer store.Close()
	err = Run(ctx, cfg, store, lease, logger)
	switch {
	case err == nil:
		return jobs.ExitRecorded
	case errors.Is(err, jobs.ErrLeaseLost):
		log.WithError(err).Warn("lease lost; the outcome of this attempt is not recorded")
		return jobs.ExitLeaseLost
	case ctx.Err() != nil:
		log.WithError(err).Warn("stopped before recording an outcome; the dispatcher puts the job back")
		return jobs.ExitStopped
	default:
		log.WithError(err).Error("job not recorded")
		return jobs.ExitError
	}
}
