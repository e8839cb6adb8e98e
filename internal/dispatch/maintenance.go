package dispatch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
)

// Maintenance is the housekeeping of one worker process, apart from its
// claim loop: every dispatcher does it, and doing it twice is harmless.
type Maintenance struct {
	Config *config.Config
	Store  *jobs.SQLite
	Log    logrus.FieldLogger
	Mail   *Mail // failure mails; nil sends none
	// Every is how often the retention and the cleaning run (an hour by
	// default); rescues run on every POLL.
	Every time.Duration
}

// Run cleans what dead runs left at once (a dispatcher that starts is
// often one that replaces a dead one), then rescues expired leases every
// POLL and sweeps every Every, until ctx ends.
func (m *Maintenance) Run(ctx context.Context) {
	every := m.Every
	if every <= 0 {
		every = time.Hour
	}
	m.Sweep(time.Now())
	poll := time.NewTicker(m.Config.Poll)
	defer poll.Stop()
	sweep := time.NewTicker(every)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
			m.Rescue()
		case now := <-sweep.C:
			m.Sweep(now)
		}
	}
}

// Rescue puts back the jobs whose lease expired (their dispatcher died or
// stalled: not the job's fault), removes the temporary folders of those
// runs, and mails the admin about jobs failed for too many requeues. It
// returns the runs rescued.
func (m *Maintenance) Rescue() []jobs.Rescued {
	c, cancel := dbctx()
	defer cancel()
	rescued, err := m.Store.Rescue(c, m.Config.MaxRequeues)
	if err != nil {
		m.Log.WithError(err).Error("rescuing expired jobs")
		return nil
	}
	for _, r := range rescued {
		log := m.Log.WithFields(logrus.Fields{"job": r.ID, "run": r.Run})
		// The run's converter died with its dispatcher (or is fenced out
		// now, should it live on): its files are nobody's.
		if err := os.RemoveAll(m.Config.WorkDir(r.ID, r.Run)); err != nil {
			log.WithError(err).Error("removing the rescued run's temporary folder")
		}
		if r.State == jobs.Queued {
			log.Warn("lease expired (its dispatcher is gone); job put back to the queue")
			continue
		}
		j, err := m.Store.Get(c, r.ID)
		if err != nil {
			log.WithError(err).Error("reading a job failed for too many requeues")
			continue
		}
		log.WithField("requeues", j.Requeues).Warn("lease expired once too often; job failed")
		m.Mail.Failed(j, j.Error)
	}
	return rescued
}

// Sweep deletes the finished jobs past the retention with their upload
// and results, then removes what dead runs left (CleanWork, CleanResults).
func (m *Maintenance) Sweep(now time.Time) {
	cfg := m.Config
	c, cancel := dbctx()
	ids, err := m.Store.DeleteOlderThan(c, now.Add(-cfg.Retention))
	cancel()
	if err != nil {
		m.Log.WithError(err).Error("retention")
	}
	for _, id := range ids {
		os.RemoveAll(cfg.ResultDir(id))
		os.Remove(filepath.Join(cfg.UploadDir(), id))
		m.Log.WithField("job", id).Info("job past retention deleted")
	}
	m.CleanWork()
	m.CleanResults()
}

// workName is the name of a run's temporary folder (config.WorkDir):
// job id, run number. The folders of the runs of earlier versions (job
// id and random digits) match too, and never name a live run.
var (
	workName = regexp.MustCompile(`^([0-9a-f]{32})-([0-9]+)$`)
	jobID    = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// CleanWork removes the temporary folders of runs that are not running:
// their converter died before removing them. Only folders named after a
// run are looked at; the uploads lighttpd buffers in the same folder are
// never touched. It returns the folders removed.
func (m *Maintenance) CleanWork() []string {
	tmp := m.Config.TmpDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			m.Log.WithError(err).Error("reading the temporary folder")
		}
		return nil
	}
	var removed []string
	for _, e := range entries {
		match := workName.FindStringSubmatch(e.Name())
		if match == nil || !e.IsDir() {
			continue
		}
		run, err := strconv.Atoi(match[2])
		if err == nil && m.live(match[1], run) {
			continue
		}
		path := filepath.Join(tmp, e.Name())
		if err := os.RemoveAll(path); err != nil {
			m.Log.WithError(err).WithField("dir", path).Error("removing a dead run's temporary folder")
			continue
		}
		m.Log.WithField("dir", path).Info("removed a dead run's temporary folder")
		removed = append(removed, path)
	}
	return removed
}

// live tells whether the job is running at that run; an error reading it
// counts as live (the folder stays until a later sweep).
func (m *Maintenance) live(id string, run int) bool {
	c, cancel := dbctx()
	defer cancel()
	j, err := m.Store.Get(c, id)
	if errors.Is(err, jobs.ErrNotFound) {
		return false
	}
	return err != nil || j.State == jobs.Running && j.Runs == run
}

// CleanResults removes the result folders that no job owns: the job is
// gone, or failed after a run had placed its results but could not record
// them. Results of queued and running jobs stay (the next run replaces
// them). It returns the folders removed.
func (m *Maintenance) CleanResults() []string {
	dir := filepath.Dir(m.Config.ResultDir("x"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			m.Log.WithError(err).Error("reading the results folder")
		}
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !jobID.MatchString(e.Name()) {
			continue
		}
		c, cancel := dbctx()
		j, err := m.Store.Get(c, e.Name())
		cancel()
		if err != nil && !errors.Is(err, jobs.ErrNotFound) || err == nil && j.State != jobs.Failed {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(path); err != nil {
			m.Log.WithError(err).WithField("dir", path).Error("removing results no job owns")
			continue
		}
		m.Log.WithField("dir", path).Info("removed results no job owns")
		removed = append(removed, path)
	}
	return removed
}
