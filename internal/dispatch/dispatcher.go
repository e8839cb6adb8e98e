// Package dispatch runs the jobs of the web service: the worker program
// is a thin main around it.
//
// Two loops share one database. The Dispatcher claims queued jobs one at
// a time with a single atomic statement, runs a fresh converter process
// per run (at most CONVERTERS at once), renews the leases of its runs,
// stops converters past JOB_TIMEOUT, and settles every run that ends
// without recording an outcome: the job's own failures (a crash, the
// timeout, the memory limit) use up one of its MAX_ATTEMPTS, anything
// else (a shutdown, a stop from outside, a result the database could not
// take) puts it back to the queue as it was, at most MAX_REQUEUES times.
// Maintenance rescues the runs of dispatchers that died (their leases
// expired), applies the retention, and removes what dead runs left: their
// temporary folders and results no job owns.
//
// Correctness never rests on there being one dispatcher: every write of a
// run is fenced on its lease (job, owner, run number).
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/proc"
)

// dbTimeout bounds one database call (the busy timeout is the usual wait).
const dbTimeout = 2 * jobs.BusyTimeout

// termWait is how long a converter past its time has, after SIGTERM, to
// say whether it had finished (exit status 5: its result was waiting for
// the database) before it is killed.
var termWait = 5 * time.Second

func dbctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), dbTimeout)
}

// Dispatcher is the claim loop of one worker process.
type Dispatcher struct {
	Config *config.Config
	Store  jobs.Store
	Log    logrus.FieldLogger
	Owner  string // lease owner id, unique among every dispatcher that ever ran
	Mail   *Mail  // failure mails; nil sends none
	// Wake, when not nil, says that a job may have been queued: the
	// dispatcher looks for work at once rather than at its next poll,
	// which is then only the safety net.
	Wake <-chan struct{}

	running map[string]*run // by job id
	exits   chan exit
}

// run is a converter this dispatcher runs.
type run struct {
	lease    jobs.Lease
	child    *proc.Child
	stderr   *stderrWatch
	started  time.Time
	deadline time.Time
	killAt   time.Time // when a converter asked to stop is killed
	stopped  string    // why the dispatcher stopped it: "", stopTimeout, stopLeaseLost, stopShutdown
	recorded bool      // the converter recorded its outcome and is finishing (mailing)
	log      logrus.FieldLogger
}

type exit struct {
	r   *run
	err error
}

// Run dispatches jobs until ctx ends, then shuts down gracefully: no more
// claims, running converters may finish within GRACE, then they are killed
// and their jobs put back.
func (d *Dispatcher) Run(ctx context.Context) error {
	cfg := d.Config
	d.running = map[string]*run{}
	d.exits = make(chan exit, cfg.Converters)
	log := d.Log.WithField("owner", d.Owner)
	poll := time.NewTicker(cfg.Poll)
	defer poll.Stop()
	renew := time.NewTicker(max(cfg.Lease/3, 10*time.Millisecond))
	defer renew.Stop()
	d.fill(ctx)
	for {
		select {
		case <-ctx.Done():
			log.WithField("cause", context.Cause(ctx).Error()).Info("stopping: no more claims")
			d.shutdown(renew.C)
			return nil
		case e := <-d.exits:
			d.settle(e)
			d.fill(ctx)
		case <-renew.C:
			d.renewAll()
		case <-d.Wake:
			d.fill(ctx)
		case <-poll.C:
			d.enforceDeadlines(time.Now())
			d.fill(ctx)
		}
	}
}

// Running is the number of converters running (for tests, from the
// loop's goroutine only).
func (d *Dispatcher) Running() int { return len(d.running) }

// enforceDeadlines asks converters past JOB_TIMEOUT to stop and kills those
// that were asked and did not.
func (d *Dispatcher) enforceDeadlines(now time.Time) {
	for _, r := range d.running {
		switch {
		case r.stopped == "" && now.After(r.deadline):
			r.log.WithField("timeout", d.Config.JobTimeout.String()).Warn("converter past the job timeout; stopping it")
			r.stopped, r.killAt = stopTimeout, now.Add(termWait)
			if err := r.child.Signal(syscall.SIGTERM); err != nil {
				r.log.WithError(err).Error("stopping the converter")
			}
		case !r.killAt.IsZero() && now.After(r.killAt):
			r.log.Warn("converter did not stop; killing it")
			d.kill(r, r.stopped)
		}
	}
}

// fill claims and starts jobs while fewer than CONVERTERS run.
func (d *Dispatcher) fill(ctx context.Context) {
	for ctx.Err() == nil && len(d.running) < d.Config.Converters {
		c, cancel := dbctx()
		j, err := d.Store.Claim(c, d.Owner, d.Config.Lease)
		cancel()
		if err != nil {
			d.Log.WithError(err).WithField("owner", d.Owner).Error("claiming a job")
			return
		}
		if j == nil {
			return
		}
		if err := d.start(j); err != nil {
			return
		}
	}
}

// converterEnv is the environment of a converter: the dispatcher's own,
// with the memory limit the converter applies to itself (JOB_MEMORY) and
// the Go collector's target below it (GOMEMLIMIT, 80 %).
func (d *Dispatcher) converterEnv() []string {
	limit := d.Config.JobMemory
	return append(os.Environ(),
		"JOB_MEMORY="+strconv.FormatInt(limit, 10),
		"GOMEMLIMIT="+strconv.FormatInt(limit/5*4, 10))
}

// start runs a converter for a job just claimed.
func (d *Dispatcher) start(j *jobs.Job) error {
	lease := j.LeaseOf()
	log := d.Log.WithFields(logrus.Fields{"job": j.ID, "run": lease.Run, "attempt": j.Attempts, "owner": d.Owner})
	cmd := exec.Command(d.Config.ConverterBin, "--job", j.ID, "--owner", d.Owner, "--run", strconv.Itoa(lease.Run))
	cmd.Env = d.converterEnv()
	watch := &stderrWatch{out: os.Stderr}
	cmd.Stdout, cmd.Stderr = os.Stderr, watch
	cmd.WaitDelay = time.Second // the pipe of stderr, should anything keep it open
	child, err := proc.Start(cmd)
	if err != nil {
		log.WithError(err).Error("starting the converter; putting the job back")
		d.requeue(j, lease, log)
		return err
	}
	now := time.Now()
	r := &run{lease: lease, child: child, stderr: watch, started: now, deadline: now.Add(d.Config.JobTimeout),
		log: log.WithField("converter_pid", child.Pid())}
	d.running[j.ID] = r
	r.log.WithField("file", j.FileName).Info("converter started")
	go func() {
		err := child.Wait() // reaps it
		d.exits <- exit{r, err}
	}()
	return nil
}

// kill kills a converter's process group; settle records why.
func (d *Dispatcher) kill(r *run, why string) {
	if r.stopped == "" {
		r.stopped = why
	}
	r.killAt = time.Time{}
	if err := r.child.Kill(); err != nil {
		r.log.WithError(err).Error("killing the converter")
	}
}

// settle handles a converter that exited (and was reaped): whatever is
// left of its process group is killed, its temporary folder removed, and
// a job it did not record is settled, fenced on the lease: the job's own
// failures use up an attempt, anything else puts it back.
func (d *Dispatcher) settle(e exit) {
	r := e.r
	delete(d.running, r.lease.ID)
	r.child.Kill() // stragglers of its group, if any
	if err := os.RemoveAll(d.Config.WorkDir(r.lease.ID, r.lease.Run)); err != nil {
		r.log.WithError(err).Error("removing the run's temporary folder")
	}
	log := r.log.WithField("ran", time.Since(r.started).Round(time.Millisecond).String())
	if e.err != nil {
		log = log.WithField("exit", e.err.Error())
	}
	c, cancel := dbctx()
	defer cancel()
	j, err := d.Store.Get(c, r.lease.ID)
	if errors.Is(err, jobs.ErrNotFound) {
		// Its creator deleted the job while it ran: what the converter
		// placed since (it may have been killed before removing it) goes
		// too.
		if err := os.RemoveAll(d.Config.ResultDir(r.lease.ID)); err != nil {
			log.WithError(err).Error("removing the results of a deleted job")
		}
		os.Remove(filepath.Join(d.Config.UploadDir(), r.lease.ID))
		log.Info("converter exited; its job was deleted")
		return
	}
	if err != nil {
		log.WithError(err).Error("converter exited; reading its job (its lease will expire and the job be rescued)")
		return
	}
	if j.State != jobs.Running || j.Owner != r.lease.Owner || j.Runs != r.lease.Run {
		log.WithField("state", j.State).Info("converter exited")
		return
	}
	v := classify(r.stopped, e.err, r.stderr.OOM(), d.Config)
	log = log.WithField("why", v.why)
	if !v.own {
		d.requeue(j, r.lease, log)
		return
	}
	st, err := d.Store.FailAttempt(c, r.lease, d.Config.MaxAttempts, v.message)
	if err != nil {
		log.WithError(err).Error("recording the failed attempt (its lease will expire and the job be rescued)")
		return
	}
	if st == jobs.Queued {
		log.WithFields(logrus.Fields{"attempt": j.Attempts, "max_attempts": d.Config.MaxAttempts}).
			Warn("converter failed; the job will be tried again")
		return
	}
	log.WithField("error", v.message).Warn("converter failed at the last attempt; job failed")
	j.State, j.Error, j.Owner = jobs.Failed, v.message, ""
	d.Mail.Failed(j, v.message)
}

// requeue puts a run that ended through no fault of its job back to the
// queue (or fails the job, past MAX_REQUEUES).
func (d *Dispatcher) requeue(j *jobs.Job, l jobs.Lease, log logrus.FieldLogger) {
	c, cancel := dbctx()
	defer cancel()
	st, err := d.Store.Requeue(c, l, d.Config.MaxRequeues)
	if err != nil {
		log.WithError(err).Error("putting the job back to the queue (its lease will expire and the job be rescued)")
		return
	}
	if st == jobs.Queued {
		log.WithField("requeues", j.Requeues+1).Info("job put back to the queue")
		return
	}
	msg := jobs.RequeueMessage(d.Config.MaxRequeues)
	log.WithField("requeues", j.Requeues+1).Warn("job put back too many times; failed")
	j.State, j.Error, j.Owner = jobs.Failed, msg, ""
	d.Mail.Failed(j, msg)
}

// renewAll extends the lease of every running run; a lost lease means
// another dispatcher took the job over, so the converter is killed. While
// the database is busy the round stops at the first busy renewal: the
// others would wait the busy timeout each, and the loop with them.
func (d *Dispatcher) renewAll() {
	for _, r := range d.running {
		if r.stopped == stopLeaseLost || r.recorded {
			continue
		}
		c, cancel := dbctx()
		err := d.Store.Renew(c, r.lease, d.Config.Lease)
		if errors.Is(err, jobs.ErrLeaseLost) && d.recordedBy(c, r.lease) {
			// The converter ended the job itself and is still mailing the
			// admin: killing it now would lose the mail. Its job timeout
			// still bounds it.
			r.recorded = true
			err = nil
		}
		cancel()
		switch {
		case errors.Is(err, jobs.ErrLeaseLost):
			r.log.Info("lease no longer held (the job finished or another dispatcher took it over); stopping the converter")
			d.kill(r, stopLeaseLost)
		case jobs.IsBusy(err):
			r.log.WithError(err).Warn("renewing the lease: the database is busy")
			return
		case err != nil:
			r.log.WithError(err).Warn("renewing the lease")
		}
	}
}

// recordedBy tells whether the run l names ended its job itself: runs
// never decrease, so a finished job still at l's run was finished by that
// run, unless a rescue failed it for too many requeues.
func (d *Dispatcher) recordedBy(ctx context.Context, l jobs.Lease) bool {
	j, err := d.Store.Get(ctx, l.ID)
	if err != nil || j.Runs != l.Run {
		return false
	}
	return j.State == jobs.Done || j.State == jobs.Failed && j.Error != jobs.RequeueMessage(d.Config.MaxRequeues)
}

// shutdown lets running converters finish within the grace period
// (renewing their leases meanwhile), then kills them and puts their jobs
// back to the queue.
func (d *Dispatcher) shutdown(renew <-chan time.Time) {
	if len(d.running) == 0 {
		return
	}
	d.Log.WithFields(logrus.Fields{"owner": d.Owner, "running": len(d.running), "grace": d.Config.Grace.String()}).
		Info("waiting for running converters")
	grace := time.NewTimer(d.Config.Grace)
	defer grace.Stop()
	for len(d.running) > 0 {
		select {
		case e := <-d.exits:
			d.settle(e)
		case <-renew:
			d.renewAll()
		case <-grace.C:
			for _, r := range d.running {
				r.log.Warn("grace period over; killing the converter")
				d.kill(r, stopShutdown)
			}
		}
	}
}

// NewOwner returns a lease owner id: host, pid and random bits.
func NewOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), jobs.NewID()[:8])
}
