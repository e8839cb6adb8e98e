// Package runner runs one job in the converter process: the dispatcher
// starts `converter --job ID --owner OWNER --run N` for every run of a job
// it claimed, and the converter calls Main.
//
// One run: check the lease, run the pipeline into the run's temporary
// folder under the data directory (config.WorkDir), its outputs
// compressed as they are written into one zip (the only copy the job
// keeps), rename the folder into the job's result folder (replacing any
// result of an earlier run that was not recorded), record the result or the
// user-facing error fenced on the lease (waiting for a busy database),
// publish progress to memcached, and mail the admin.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"tracksgo/internal/config"
	"tracksgo/internal/formats"
	"tracksgo/internal/jobs"
	"tracksgo/internal/notify"
	"tracksgo/internal/pipeline"
	"tracksgo/internal/preview"
	"tracksgo/internal/status"
	"tracksgo/internal/tools"
)

// ZipName is the name of the zip of every output in a job's result
// folder: the upload's name without folders and its last extension, then
// "_tracks.zip" (the same rule as the pipeline's output names).
func ZipName(fileName string) string {
	stem := formats.BaseName(fileName)
	if i := strings.LastIndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	return stem + "_tracks.zip"
}

// Runner runs jobs, one run at a time.
type Runner struct {
	Config *config.Config
	Store  jobs.Store
	Mailer *notify.Mailer // nil: no mails
	Log    logrus.FieldLogger
	// DeleteCheck is how often a run looks whether its job was deleted
	// (DefaultDeleteCheck when 0).
	DeleteCheck time.Duration

	// seen, when set, is told every status the run publishes (tests).
	seen func(state jobs.State, percent int, message string)
}

// DefaultDeleteCheck is how often a run looks whether its job is still
// there: a job deleted by its creator stops within about that time.
const DefaultDeleteCheck = time.Second

// errDeleted ends the context of a run whose job was deleted.
var errDeleted = errors.New("the job was deleted")

// Run runs one run of a job with the configuration's memcached and
// mail settings; see (*Runner).Run.
func Run(ctx context.Context, cfg *config.Config, store jobs.Store, lease jobs.Lease, log logrus.FieldLogger) error {
	r := &Runner{Config: cfg, Store: store, Mailer: notify.New(cfg, log), Log: log}
	return r.Run(ctx, lease)
}

// ErrNotRecorded: the run ended (converted, or failed with a message
// for the user) but the database did not take its outcome. That is the
// server's fault, not the file's: the job goes back to the queue.
var ErrNotRecorded = errors.New("outcome not recorded")

// Run runs the job's run that lease names. It returns nil once the
// outcome, done or failed, is recorded; an error when it could not be: the
// lease was lost (jobs.ErrLeaseLost), the context ended (the run was
// stopped and is the dispatcher's to settle), the outcome could not be
// recorded (ErrNotRecorded), or the job could not be read.
//
// A job deleted meanwhile (its creator's delete) stops the run: what it
// placed is removed, nothing is recorded or mailed, and the error is
// jobs.ErrLeaseLost.
func (r *Runner) Run(ctx context.Context, lease jobs.Lease) (err error) {
	log := r.Log.WithFields(logrus.Fields{"job": lease.ID, "run": lease.Run, "owner": lease.Owner})
	job, err := r.Store.Get(ctx, lease.ID)
	if errors.Is(err, jobs.ErrNotFound) {
		return fmt.Errorf("load job %s: deleted: %w", lease.ID, jobs.ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("load job %s: %w", lease.ID, err)
	}
	if job.State != jobs.Running || job.Owner != lease.Owner || job.Runs != lease.Run {
		return fmt.Errorf("job %s is %s by %q at run %d, not running for run %d of %q: %w",
			job.ID, job.State, job.Owner, job.Runs, lease.Run, lease.Owner, jobs.ErrLeaseLost)
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go r.watchDeletion(ctx, job.ID, stop)
	prog := &published{w: status.NewWriter(r.Config.Memcached, job.ID, lease.Run, log), seen: r.seen}
	defer func() {
		// Even a run that recorded its outcome: the job may have been
		// deleted since, and the final status written after the delete
		// removed it must go too.
		prog.w.Close()
		r.dropIfDeleted(job, log)
	}()
	bar := &bar{set: prog.Progress}
	bar.step(0, "Starting the conversion")
	log.WithFields(logrus.Fields{"file": job.FileName, "importer": job.Options.Importer, "attempt": job.Attempts}).Info("job started")

	result, convErr := r.convert(ctx, job, lease.Run, log, bar)
	if errors.Is(context.Cause(ctx), errDeleted) {
		return fmt.Errorf("job %s run %d: %w: %w", job.ID, lease.Run, errDeleted, jobs.ErrLeaseLost)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("job %s run %d stopped: %w", job.ID, lease.Run, context.Cause(ctx))
	}
	if convErr != nil {
		msg, detail := r.userMessage(job, convErr)
		if err := r.record(ctx, log, "record the failure", func() error { return r.Store.Fail(ctx, lease, msg) }); err != nil {
			return deletedOr(ctx, err)
		}
		prog.Finish(jobs.Failed, "The conversion failed", msg)
		log.WithField("error", convErr.Error()).Warn("job failed")
		r.mail(func() error { return r.Mailer.JobFailed(ctx, job, msg+detail) }, log)
		return nil
	}
	if err := r.record(ctx, log, "record the result", func() error { return r.Store.Complete(ctx, lease, result) }); err != nil {
		return deletedOr(ctx, err)
	}
	// The words the status action answers from the database too.
	prog.Finish(jobs.Done, fmt.Sprintf("Wrote %d points and %d keyframes", result.Trackers, result.Keyframes), "")
	log.WithFields(logrus.Fields{"trackers": result.Trackers, "keyframes": result.Keyframes,
		"files": len(result.Files), "importer": result.Importer}).Info("job done")
	job.State, job.Result = jobs.Done, result
	r.mail(func() error { return r.Mailer.JobDone(ctx, job, result) }, log)
	return nil
}

// deletedOr is err, or a lost lease when the run's context ended because
// its job was deleted (the write was cut short by it).
func deletedOr(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errDeleted) {
		return fmt.Errorf("%w: %w: %w", err, errDeleted, jobs.ErrLeaseLost)
	}
	return err
}

// watchDeletion ends the run's context with errDeleted once its job is
// gone, looking every DeleteCheck until ctx ends. A read that fails for
// another reason is waited out: recording finds out in the end.
func (r *Runner) watchDeletion(ctx context.Context, id string, stop context.CancelCauseFunc) {
	every := r.DeleteCheck
	if every <= 0 {
		every = DefaultDeleteCheck
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if _, err := r.Store.Get(ctx, id); errors.Is(err, jobs.ErrNotFound) {
			stop(errDeleted)
			return
		}
	}
}

// dropIfDeleted removes what a run of a deleted job left behind: the
// results it may have placed after the delete removed the job's, and its
// progress in memcached. A job still there (its lease taken over by
// another run) keeps everything.
func (r *Runner) dropIfDeleted(job *jobs.Job, log logrus.FieldLogger) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*jobs.BusyTimeout)
	defer cancel()
	if _, err := r.Store.Get(ctx, job.ID); !errors.Is(err, jobs.ErrNotFound) {
		return
	}
	if err := os.RemoveAll(r.Config.ResultDir(job.ID)); err != nil {
		log.WithError(err).Error("removing the results of a deleted job")
	}
	if err := status.Delete(r.Config.Memcached, job.ID); err != nil {
		log.WithError(err).Warn("removing the progress of a deleted job from memcached")
	}
	log.Info("the job was deleted during its run; what the run left is removed")
}

// record writes a run's outcome. While the database is locked or busy
// (another connection held the write lock past the busy timeout) it tries
// again, for as long as the run goes on: the dispatcher renews the lease
// meanwhile, and finished work must not be thrown away for a lock. It
// stops at a lost lease (jobs.ErrLeaseLost), and with ErrNotRecorded at
// any other error or when ctx ends.
func (r *Runner) record(ctx context.Context, log logrus.FieldLogger, what string, write func() error) error {
	wait := 100 * time.Millisecond
	for tries := 1; ; tries++ {
		err := write()
		switch {
		case err == nil:
			if tries > 1 {
				log.WithField("tries", tries).Info("outcome recorded once the database was free")
			}
			return nil
		case errors.Is(err, jobs.ErrLeaseLost):
			return fmt.Errorf("%s: %w", what, err)
		case !jobs.IsBusy(err) || ctx.Err() != nil:
			return fmt.Errorf("%s: %w: %w", what, ErrNotRecorded, err)
		}
		log.WithError(err).WithField("tries", tries).Warn("the database is busy; trying again")
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w: %w", what, ErrNotRecorded, context.Cause(ctx))
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// Messages of failures on the server's side, which the user cannot fix
// by changing the file or the options.
const (
	MsgUploadGone  = "The uploaded file is no longer on the server; please upload it again."
	MsgServerError = "The conversion failed because of a problem on the server, not with your file; please try again later."
)

// userMessage is the message a failed job shows: the pipeline's own text
// for problems with the file or the options, a generic one for failures
// of the server (a file of the data folder that cannot be read or
// written), whose detail goes to the log and the admin mail only.
func (r *Runner) userMessage(job *jobs.Job, err error) (msg, detail string) {
	if _, serr := os.Stat(job.Upload); serr != nil {
		return MsgUploadGone, "\n(" + err.Error() + ")"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.HasPrefix(filepath.Clean(pe.Path), filepath.Clean(r.Config.DataDir)) {
		return MsgServerError, "\n(" + err.Error() + ")"
	}
	return err.Error(), ""
}

func (r *Runner) mail(send func() error, log logrus.FieldLogger) {
	if r.Mailer == nil {
		return
	}
	if err := send(); err != nil {
		log.WithError(err).Error("mailing the admin")
	}
}

// convert runs the pipeline into the zip of a temporary folder, writes
// the preview beside it and renames the folder into the job's result
// folder.
func (r *Runner) convert(ctx context.Context, job *jobs.Job, run int, log logrus.FieldLogger, bar *bar) (*jobs.Result, error) {
	// The run's own folder, named after it: the dispatcher removes it if
	// this process dies before it does.
	work := r.Config.WorkDir(job.ID, run)
	if err := os.RemoveAll(work); err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(work)
	out := filepath.Join(work, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	o := job.Options
	// The preview sees what the outputs get, on a chain of its own.
	rec := preview.New()
	// The outputs are compressed as they are written and packed into the
	// zip: the job keeps that one copy, and serves each file from it.
	res, err := pipeline.Run(ctx, pipeline.Request{
		Input: job.Upload, Name: job.FileName,
		Importer: o.Importer, Width: o.Width, Height: o.Height, Tools: o.Tools, Exporters: o.Exporters,
		OutDir: out, Zip: filepath.Join(out, ZipName(job.FileName)),
		Progress: bar.convert, Packing: bar.pack, Now: r.Config.Now,
		// The budgets of one job: its outputs together, and the keyframes
		// its tools may create, whatever the number of formats.
		OutputLimit: r.Config.OutputLimit, KeyframeLimit: tools.DefaultKeyframeLimit,
		Observe: rec,
	})
	if err != nil {
		return nil, err
	}
	// The drawing and the table of the trackers go beside the outputs
	// for the job page, but are none of them: the names list and the
	// zip leave them out. The outputs do not need them: a failure is
	// logged and the page shows no preview.
	if err := rec.WriteFiles(out); err != nil {
		log.WithError(err).Warn("the preview was not written")
	}
	bar.step(packedAt, "Saving the results")
	if err := os.Chmod(out, 0o755); err != nil {
		return nil, err
	}
	if err := publish(out, r.Config.ResultDir(job.ID)); err != nil {
		return nil, err
	}
	log.WithField("dir", r.Config.ResultDir(job.ID)).Debug("outputs in place")
	// The result describes the outputs (after the tools); what was read
	// from the file is kept beside it.
	imported := jobs.Summary(res.Imported)
	return &jobs.Result{
		Importer: res.Importer, Width: res.Width, Height: res.Height,
		Trackers: res.Trackers, Keyframes: res.Keyframes, FirstFrame: res.FirstFrame, LastFrame: res.LastFrame,
		Files: res.Files, Imported: &imported,
	}, nil
}

// publish renames the finished folder src to dst. When dst exists (the
// result of an earlier run that was not recorded),
// the two are exchanged atomically (renameat2 RENAME_EXCHANGE) and the old
// one is removed, so dst is never missing nor mixed; where the file system
// cannot exchange, the old one is moved aside first.
func publish(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("result folder: %w", err)
	}
	err := os.Rename(src, dst)
	if err == nil {
		return nil
	}
	if !errors.Is(err, unix.ENOTEMPTY) && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("placing the results: %w", err)
	}
	if xerr := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE); xerr == nil {
		return os.RemoveAll(src) // now the old results
	}
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("moving old results aside: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("placing the results: %w", err)
	}
	return os.RemoveAll(old)
}
