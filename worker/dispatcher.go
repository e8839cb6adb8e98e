package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/logging"
	"tracksgo/internal/notify"
	"tracksgo/internal/proc"
)

// User-facing messages of failures the dispatcher records itself.
const (
	msgCrashed = "The conversion stopped unexpectedly; the file may be too large or malformed."
)

func msgTimeout(d time.Duration) string {
	return fmt.Sprintf("The conversion took longer than %s and was stopped; the file may be too large.", d)
}

// How often the dispatcher deletes jobs past the retention time.
const retentionEvery = time.Hour

// dbTimeout bounds one database call of the dispatcher (the busy timeout
// is the usual wait).
const dbTimeout = 2 * jobs.BusyTimeout

// Main is the dispatcher program.
type Main struct {
	Getenv func(string) string // os.Getenv by default
	Config *config.Config      // read from Getenv by Run when nil
	Log    *logrus.Logger      // set up by Run when nil
	Owner  string              // lease owner id; hostname-pid-random by default

	store     *jobs.SQLite
	mailer    *notify.Mailer
	logCloser io.Closer
	mails     sync.WaitGroup

	running  map[string]*attempt // by job id
	exits    chan exit
	lastSwep time.Time
}

// attempt is a converter this dispatcher runs.
type attempt struct {
	lease    jobs.Lease
	child    *proc.Child
	started  time.Time
	deadline time.Time
	stopped  string // why the dispatcher killed it: "", stopTimeout, stopLeaseLost, stopShutdown
	recorded bool   // the converter recorded its outcome and is finishing (mailing)
	log      *logrus.Entry
}

const (
	stopTimeout   = "timeout"
	stopLeaseLost = "lease lost"
	stopShutdown  = "shutdown"
)

type exit struct {
	a   *attempt
	err error
}

// NewMain returns a dispatcher reading its configuration from the
// environment.
func NewMain() *Main { return &Main{Getenv: os.Getenv} }

func ownerID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Run dispatches jobs until ctx ends, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	if m.Config == nil {
		getenv := m.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		cfg, err := config.FromEnv(getenv)
		if err != nil {
			return err
		}
		m.Config = cfg
	}
	cfg := m.Config
	if m.Log == nil {
		log, closer, err := logging.New(cfg.LogDir, "worker")
		if err != nil {
			return err
		}
		m.Log, m.logCloser = log, closer
	}
	if m.Owner == "" {
		m.Owner = ownerID()
	}
	if fi, err := os.Stat(cfg.ConverterBin); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("converter program %s is not an executable file (CONVERTER_BIN): %v", cfg.ConverterBin, err)
	}
	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		return err
	}
	m.store = store
	m.mailer = notify.New(cfg, m.Log)
	m.running = map[string]*attempt{}
	m.exits = make(chan exit, cfg.Converters)
	log := m.Log.WithField("owner", m.Owner)
	log.WithFields(logrus.Fields{"converters": cfg.Converters, "lease": cfg.Lease.String(),
		"poll": cfg.Poll.String(), "converter": cfg.ConverterBin, "pid": os.Getpid()}).Info("dispatcher started")

	poll := time.NewTicker(cfg.Poll)
	defer poll.Stop()
	renew := time.NewTicker(max(cfg.Lease/3, 10*time.Millisecond))
	defer renew.Stop()
	m.tick(ctx)
	for {
		select {
		case <-ctx.Done():
			log.WithField("cause", context.Cause(ctx).Error()).Info("stopping: no more claims")
			m.shutdown(renew.C)
			log.Info("dispatcher stopped")
			return nil
		case e := <-m.exits:
			m.settle(e)
			m.fill(ctx)
		case <-renew.C:
			m.renewAll()
		case <-poll.C:
			m.tick(ctx)
		}
	}
}

// tick is one poll: stop converters past their time, rescue expired
// leases, claim up to the limit, and now and then apply the retention.
func (m *Main) tick(ctx context.Context) {
	now := time.Now()
	for _, a := range m.running {
		if a.stopped == "" && now.After(a.deadline) {
			a.log.WithField("timeout", m.Config.JobTimeout.String()).Warn("converter past the job timeout; killing it")
			m.stop(a, stopTimeout)
		}
	}
	m.rescue()
	m.fill(ctx)
	if now.Sub(m.lastSwep) > retentionEvery {
		m.lastSwep = now
		m.sweep(now)
	}
}

func dbctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), dbTimeout)
}

// fill claims and starts jobs while fewer than Converters run.
func (m *Main) fill(ctx context.Context) {
	for ctx.Err() == nil && len(m.running) < m.Config.Converters {
		c, cancel := dbctx()
		j, err := m.store.Claim(c, m.Owner, m.Config.Lease)
		cancel()
		if err != nil {
			m.Log.WithError(err).WithField("owner", m.Owner).Error("claiming a job")
			return
		}
		if j == nil {
			return
		}
		if err := m.start(j); err != nil {
			return
		}
	}
}

// start runs a converter for a job just claimed.
func (m *Main) start(j *jobs.Job) error {
	lease := j.LeaseOf()
	log := m.Log.WithFields(logrus.Fields{"job": j.ID, "attempt": lease.Attempt, "owner": m.Owner})
	cmd := exec.Command(m.Config.ConverterBin, "--job", j.ID, "--owner", m.Owner, "--attempt", strconv.Itoa(lease.Attempt))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	child, err := proc.Start(cmd)
	if err != nil {
		log.WithError(err).Error("starting the converter; putting the job back")
		c, cancel := dbctx()
		defer cancel()
		if err := m.store.Release(c, lease); err != nil {
			log.WithError(err).Error("releasing the job")
		}
		return err
	}
	now := time.Now()
	a := &attempt{lease: lease, child: child, started: now, deadline: now.Add(m.Config.JobTimeout),
		log: log.WithField("converter_pid", child.Pid())}
	m.running[j.ID] = a
	a.log.WithField("file", j.FileName).Info("converter started")
	go func() {
		err := child.Wait() // reaps it
		m.exits <- exit{a, err}
	}()
	return nil
}

// stop kills a converter's process group; settle records why.
func (m *Main) stop(a *attempt, why string) {
	if a.stopped == "" {
		a.stopped = why
	}
	if err := a.child.Kill(); err != nil {
		a.log.WithError(err).Error("killing the converter")
	}
}

// settle handles a converter that exited (and was reaped): whatever it
// left of its process group is killed, and a job it did not record is
// failed (crash, timeout) or put back (shutdown, or stopped from outside
// while attempts remain), fenced on the lease.
func (m *Main) settle(e exit) {
	a := e.a
	delete(m.running, a.lease.ID)
	a.child.Kill() // stragglers of its group, if any
	log := a.log.WithField("ran", time.Since(a.started).Round(time.Millisecond).String())
	if e.err != nil {
		log = log.WithField("exit", e.err.Error())
	}
	c, cancel := dbctx()
	defer cancel()
	j, err := m.store.Get(c, a.lease.ID)
	if err != nil {
		log.WithError(err).Error("converter exited; reading its job")
		return
	}
	if j.State != jobs.Running || j.Owner != a.lease.Owner || j.Attempts != a.lease.Attempt {
		log.WithField("state", j.State).Info("converter exited")
		return
	}
	interrupted := a.stopped == "" && interruptedExit(e.err)
	switch {
	case a.stopped == stopLeaseLost:
		log.Info("converter stopped: its lease was lost")
	case a.stopped == stopShutdown, interrupted && a.lease.Attempt < m.Config.MaxAttempts:
		if err := m.store.Release(c, a.lease); err != nil {
			log.WithError(err).Error("putting the job back to the queue")
			return
		}
		if interrupted {
			log.Warn("converter stopped from outside before it recorded a result; job put back to the queue")
		} else {
			log.Info("converter stopped for shutdown; job put back to the queue")
		}
	default:
		msg := msgCrashed
		switch {
		case a.stopped == stopTimeout:
			msg = msgTimeout(m.Config.JobTimeout)
		case interrupted:
			msg = jobs.RescueMessage(a.lease.Attempt)
		}
		if err := m.store.Fail(c, a.lease, msg); err != nil {
			log.WithError(err).Error("recording the failure")
			return
		}
		log.WithField("error", msg).Warn("converter exited without recording a result; job failed")
		j.State, j.Error = jobs.Failed, msg
		m.mailFailure(j, msg)
	}
}

// interruptedExit tells whether a converter that did not record its
// outcome was stopped from outside rather than crashed: it exited with
// jobs.ExitStopped (it caught SIGTERM or SIGINT) or died of one of the
// signals that ask a process to stop. The file is not at fault then. A
// SIGKILL is not among them: that is the kernel's out-of-memory killer
// as often as an operator.
func interruptedExit(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP:
			return true
		}
		return false
	}
	return ee.ExitCode() == jobs.ExitStopped
}

// renewAll extends the lease of every running attempt; a lost lease
// means another dispatcher took the job over, so the converter is killed.
func (m *Main) renewAll() {
	for _, a := range m.running {
		if a.stopped != "" || a.recorded {
			continue
		}
		c, cancel := dbctx()
		err := m.store.Renew(c, a.lease, m.Config.Lease)
		if errors.Is(err, jobs.ErrLeaseLost) && m.recordedBy(c, a.lease) {
			// The converter ended the job itself and is still mailing the
			// admin: killing it now would lose the mail. Its job timeout
			// still bounds it.
			a.recorded = true
			err = nil
		}
		cancel()
		switch {
		case errors.Is(err, jobs.ErrLeaseLost):
			a.log.Info("lease no longer held (the job finished or another dispatcher took it over); stopping the converter")
			m.stop(a, stopLeaseLost)
		case err != nil:
			a.log.WithError(err).Warn("renewing the lease")
		}
	}
}

// recordedBy tells whether the attempt l names ended its job itself:
// attempts never decrease, so a finished job still at l's attempt was
// finished by that attempt, unless a rescue failed it for an expired lease.
func (m *Main) recordedBy(ctx context.Context, l jobs.Lease) bool {
	j, err := m.store.Get(ctx, l.ID)
	if err != nil || j.Attempts != l.Attempt {
		return false
	}
	return j.State == jobs.Done || j.State == jobs.Failed && j.Error != jobs.RescueMessage(j.Attempts)
}

// rescue requeues or fails the jobs whose lease expired.
func (m *Main) rescue() {
	c, cancel := dbctx()
	defer cancel()
	failed, err := m.store.Rescue(c, m.Config.MaxAttempts)
	if err != nil {
		m.Log.WithError(err).Error("rescuing expired jobs")
		return
	}
	for _, id := range failed {
		j, err := m.store.Get(c, id)
		if err != nil {
			m.Log.WithError(err).WithField("job", id).Error("reading a rescued job")
			continue
		}
		m.Log.WithFields(logrus.Fields{"job": id, "attempts": j.Attempts}).Warn("job failed: out of attempts")
		m.mailFailure(j, j.Error)
	}
}

// mailFailure mails the admin in the background: the loop never waits
// for SMTP. Close waits for the mails.
func (m *Main) mailFailure(j *jobs.Job, msg string) {
	m.mails.Add(1)
	go func() {
		defer m.mails.Done()
		m.mailer.JobFailed(context.Background(), j, msg) // logs its own errors
	}()
}

// sweep deletes the finished jobs older than the retention with their
// upload and results, and temporary folders that dead converters left.
func (m *Main) sweep(now time.Time) {
	cfg := m.Config
	c, cancel := dbctx()
	defer cancel()
	ids, err := m.store.DeleteOlderThan(c, now.Add(-cfg.Retention))
	if err != nil {
		m.Log.WithError(err).Error("retention")
		return
	}
	for _, id := range ids {
		os.RemoveAll(cfg.ResultDir(id))
		os.Remove(filepath.Join(cfg.UploadDir(), id))
		m.Log.WithField("job", id).Info("job past retention deleted")
	}
	tmp := filepath.Join(cfg.DataDir, "tmp")
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > cfg.JobTimeout+time.Hour {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
}

// shutdown lets running converters finish within the grace period
// (renewing their leases meanwhile), then kills them and puts their jobs
// back to the queue.
func (m *Main) shutdown(renew <-chan time.Time) {
	if len(m.running) == 0 {
		return
	}
	m.Log.WithFields(logrus.Fields{"owner": m.Owner, "running": len(m.running), "grace": m.Config.Grace.String()}).
		Info("waiting for running converters")
	grace := time.NewTimer(m.Config.Grace)
	defer grace.Stop()
	for len(m.running) > 0 {
		select {
		case e := <-m.exits:
			m.settle(e)
		case <-renew:
			m.renewAll()
		case <-grace.C:
			for _, a := range m.running {
				a.log.Warn("grace period over; killing the converter")
				m.stop(a, stopShutdown)
			}
		}
	}
}

// Close waits for pending mails (at most a minute) and closes the
// database and the log.
func (m *Main) Close() error {
	done := make(chan struct{})
	go func() { m.mails.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
	}
	var errs []error
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	if m.logCloser != nil {
		errs = append(errs, m.logCloser.Close())
	}
	return errors.Join(errs...)
}
