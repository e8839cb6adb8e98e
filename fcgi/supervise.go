package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/proc"
)

// Restart backoff of the dispatcher: it doubles from minBackoff up to
// maxBackoff while the dispatcher keeps dying, and starts over once one
// has run for stableRun.
const (
	minBackoff = 500 * time.Millisecond
	maxBackoff = 30 * time.Second
	stableRun  = time.Minute
)

// supervisor keeps one dispatcher (the worker program) running while its
// context lives, and stops it on cancel.
type supervisor struct {
	cfg *config.Config
	log *logrus.Entry
	// margin is how much longer than the grace period the dispatcher gets
	// to stop before it is killed (0 = stopMargin).
	margin time.Duration

	cur atomic.Pointer[child] // the running dispatcher, for wake
}

// wake tells the running dispatcher, if any, that a job was queued: it
// claims it at once instead of at its next poll. It never blocks.
func (s *supervisor) wake() {
	if c := s.cur.Load(); c != nil {
		(*c).Wake()
	}
}

// stopMargin: the dispatcher's own grace period is GRACE; it then needs a
// moment to kill converters and requeue their jobs.
const stopMargin = 5 * time.Second

// child is a started dispatcher.
type child interface {
	Pid() int
	// Wait returns when the process ended (and was reaped).
	Wait() error
	// Terminate asks it to stop; Kill ends it and its process group.
	Terminate() error
	Kill() error
	// Wake tells it to look for work now; it never blocks.
	Wake()
}

func (s *supervisor) run(ctx context.Context) {
	backoff := minBackoff
	for {
		started := time.Now()
		c, err := startWorker(s.cfg)
		if err != nil {
			s.log.WithError(err).WithField("bin", s.cfg.WorkerBin).Error("starting the dispatcher")
		} else {
			log := s.log.WithField("worker_pid", c.Pid())
			log.Info("dispatcher started")
			exited := make(chan error, 1)
			go func() { exited <- c.Wait() }()
			s.cur.Store(&c)
			select {
			case err := <-exited:
				s.cur.Store(nil)
				log.WithError(err).Error("dispatcher exited; restarting it")
			case <-ctx.Done():
				s.cur.Store(nil)
				s.stop(c, exited, log)
				return
			}
		}
		if time.Since(started) > stableRun {
			backoff = minBackoff
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// stop asks the dispatcher to stop, gives it the converters' grace period
// and some more, then kills it.
func (s *supervisor) stop(c child, exited <-chan error, log *logrus.Entry) {
	if err := c.Terminate(); err != nil {
		log.WithError(err).Warn("signalling the dispatcher")
	}
	margin := s.margin
	if margin == 0 {
		margin = stopMargin
	}
	limit := s.cfg.Grace + margin
	select {
	case err := <-exited:
		log.WithError(err).Info("dispatcher stopped")
		return
	case <-time.After(limit):
	}
	log.WithField("after", limit.String()).Warn("dispatcher did not stop in time; killing it")
	c.Kill()
	<-exited
}

// startWorker starts the dispatcher tied to this process's life
// (internal/proc: its own process group, a parent-death signal set from a
// locked OS thread, and a lifeline pipe on fd 3 whose EOF it watches).
var startWorker = func(cfg *config.Config) (child, error) {
	cmd := exec.Command(cfg.WorkerBin)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	c, err := proc.Start(cmd)
	if err != nil {
		return nil, err
	}
	return procChild{c}, nil
}

type procChild struct{ *proc.Child }

// Terminate signals the dispatcher alone, not its process group: a
// converter it is forking belongs to that group until it sets its own,
// and would die of the signal instead of being let finish. The
// dispatcher stops its converters itself.
func (c procChild) Terminate() error {
	if err := c.Cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
