// Package status carries a job's progress from its converter to the web
// pages through memcached: the converter writes {state, percent, message,
// attempt} under a key per job, ten times a second whether it changed or
// not (so a restarted memcached has it back at once) and without ever
// waiting for memcached; the status action reads it back and falls back,
// when memcached has nothing current (key missing, written by an older
// attempt, or memcached down), to the last status it read for that
// attempt, else to the state in the database. Within one attempt the
// percent never goes down.
package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
)

const (
	// Expiry is how long memcached keeps a status.
	Expiry = time.Hour
	// Interval is the time between two writes of one job: ten a second,
	// the latest status again when nothing changed.
	Interval = 100 * time.Millisecond
	// Timeout bounds each memcached connect, read and write.
	Timeout = 200 * time.Millisecond
	// FlushTimeout bounds how long Writer.Close waits for the last write.
	FlushTimeout = time.Second
)

// Status is what the status action shows.
type Status struct {
	State   jobs.State `json:"state"`
	Percent int        `json:"percent"`
	Message string     `json:"message"`
	Attempt int        `json:"attempt"`         // the run that wrote it (jobs.Lease.Run)
	Error   string     `json:"error,omitempty"` // user-facing message of a failed job
	// At is when the converter wrote it (Unix milliseconds; 0 in a
	// status read from the database).
	At int64 `json:"at,omitempty"`
}

// Fresh is how recent a running status must be for Cached to answer it:
// its converter rewrites it every Interval, so an older one may be the
// last word of a converter that died (the database then tells more).
const Fresh = 10 * Interval

// Key is the memcached key of a job's status.
func Key(jobID string) string { return "job:" + jobID }

func newClient(addr string) *memcache.Client {
	if addr == "" {
		return nil
	}
	c := memcache.New(addr)
	c.Timeout = Timeout
	c.MaxIdleConns = 1
	return c
}

// FromJob is the status the database alone tells.
func FromJob(j *jobs.Job) Status {
	s := Status{State: j.State, Attempt: j.Runs}
	switch j.State {
	case jobs.Queued:
		s.Message = "Waiting for a converter"
	case jobs.Running:
		s.Message = "Starting the conversion"
	case jobs.Done:
		s.Percent, s.Message = 100, "Done"
	case jobs.Failed:
		s.Message, s.Error = "The conversion failed", j.Error
	}
	return s
}

// Writer writes one attempt's progress. Its methods never wait for
// memcached: they put the status in a one-value slot that a single
// background goroutine writes out, dropping the values that came in
// between. The goroutine writes the first status at once, then the latest
// one every Interval, changed or not: memcached is a cache that may lose
// it (a restart, an eviction), and the next write puts it back. A
// memcached outage costs failed writes in that goroutine, nothing else.
type Writer struct {
	client  *memcache.Client
	key     string
	attempt int
	log     logrus.FieldLogger

	mu      sync.Mutex
	pending *Status
	percent int  // highest percent set: a lower one is raised to it
	final   bool // a final status was set: later progress is ignored
	failing bool // the last write failed (log only the first of a row)

	kick     chan struct{}
	closing  chan struct{}
	done     chan struct{}
	closeOne sync.Once
}

// NewWriter starts a writer for one attempt at a job; addr "" (no
// memcached configured) drops every write. log may be nil.
func NewWriter(addr, jobID string, attempt int, log logrus.FieldLogger) *Writer {
	if log == nil {
		l := logrus.New()
		l.Out = discard{}
		log = l
	}
	w := &Writer{
		client: newClient(addr), key: Key(jobID), attempt: attempt,
		log:  log.WithFields(logrus.Fields{"job": jobID, "attempt": attempt}),
		kick: make(chan struct{}, 1), closing: make(chan struct{}), done: make(chan struct{}),
	}
	go w.loop()
	return w
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Progress sets the running percent and message; it matches
// pipeline.Request.Progress.
func (w *Writer) Progress(percent int, message string) {
	w.put(Status{State: jobs.Running, Percent: percent, Message: message}, false)
}

// Finish sets the final status (done or failed), which is always written
// (unless memcached is down) before Close returns.
func (w *Writer) Finish(state jobs.State, message, errText string) {
	s := Status{State: state, Message: message, Error: errText}
	if state == jobs.Done {
		s.Percent = 100
	}
	w.put(s, true)
}

func (w *Writer) put(s Status, final bool) {
	s.Attempt = w.attempt
	w.mu.Lock()
	if w.final {
		w.mu.Unlock()
		return
	}
	if s.State == jobs.Running {
		s.Percent = max(s.Percent, w.percent)
	}
	w.percent = s.Percent
	w.pending, w.final = &s, final
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *Writer) take() *Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.pending
	w.pending = nil
	return s
}

func (w *Writer) loop() {
	defer close(w.done)
	var (
		last *Status          // the latest status, written again every Interval
		tick <-chan time.Time // nil until the first write
	)
	timer := time.NewTimer(Interval)
	defer timer.Stop()
	for {
		select {
		case <-w.kick:
			if last != nil {
				continue // the timer writes it, keeping the pace
			}
		case <-tick:
		case <-w.closing:
			if s := w.take(); s != nil {
				w.write(s) // flush the last change without waiting
			}
			return
		}
		if s := w.take(); s != nil {
			last = s
		}
		if last == nil {
			continue
		}
		w.write(last)
		timer.Reset(Interval)
		tick = timer.C
	}
}

func (w *Writer) write(s *Status) {
	if w.client == nil {
		return
	}
	s.At = time.Now().UnixMilli()
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	err = w.client.Set(&memcache.Item{Key: w.key, Value: b, Expiration: int32(Expiry / time.Second)})
	w.mu.Lock()
	first, back := err != nil && !w.failing, err == nil && w.failing
	w.failing = err != nil
	w.mu.Unlock()
	switch {
	case first:
		w.log.WithError(err).Warn("progress not written to memcached (the conversion goes on)")
	case back:
		w.log.Info("progress written to memcached again")
	case err != nil:
		w.log.WithError(err).Debug("progress not written to memcached")
	}
}

// Close writes what is still pending (waiting at most FlushTimeout) and
// stops the writer. Progress and Finish after Close are dropped.
func (w *Writer) Close() {
	w.closeOne.Do(func() { close(w.closing) })
	t := time.NewTimer(FlushTimeout)
	defer t.Stop()
	select {
	case <-w.done:
	case <-t.C:
		w.log.Warn("last progress write to memcached did not finish in time; dropped")
	}
}

// Delete removes a job's status from memcached at addr ("" does
// nothing): the job was deleted, and no status may outlive it. A missing
// key is no error.
func Delete(addr, jobID string) error {
	c := newClient(addr)
	if c == nil {
		return nil
	}
	defer c.Close()
	if err := c.Delete(Key(jobID)); err != nil && !errors.Is(err, memcache.ErrCacheMiss) {
		return fmt.Errorf("deleting the status of job %s: %w", jobID, err)
	}
	return nil
}

// Reader reads statuses for the status action. It remembers the last
// status it read of each running attempt, so that a miss (memcached
// restarted, or down for a moment) shows what was last shown instead of
// the database's "Starting the conversion" at 0 %.
type Reader struct {
	client *memcache.Client
	batch  *batchGetter // reads through client, many polls a round trip

	mu      sync.Mutex
	seen    map[string]seenStatus    // by job id
	decoded map[string]decodedStatus // by job id: the last value read
}

type decodedStatus struct {
	raw string
	Status
}

type seenStatus struct {
	Status
	at time.Time
}

// seenLimit bounds the remembered statuses; past it the oldest ones go.
const seenLimit = 4096

// NewReader reads from memcached at addr; "" reads the database state only.
func NewReader(addr string) *Reader {
	r := &Reader{client: newClient(addr), seen: map[string]seenStatus{}, decoded: map[string]decodedStatus{}}
	if r.client != nil {
		r.batch = &batchGetter{client: r.client}
	}
	return r
}

// Cached answers a job's status from memcached alone, when memcached can
// tell it for sure: a final status (its converter writes it only once
// the database recorded the outcome), or a running one written within
// Fresh (its converter is alive), never lower than what this reader
// read before for that attempt. Otherwise (no key, an older status,
// memcached down) ok is false and the caller asks the database
// (Status).
func (r *Reader) Cached(jobID string) (s Status, ok bool) {
	if r.client == nil {
		return Status{}, false
	}
	got, err := r.get(jobID)
	if err != nil {
		return Status{}, false
	}
	got.Percent = min(max(got.Percent, 0), 100)
	switch got.State {
	case jobs.Done, jobs.Failed:
		r.forget(jobID)
		got.At = 0
		return got, true
	case jobs.Running:
		if age := time.Since(time.UnixMilli(got.At)); got.At == 0 || age > Fresh || age < -Fresh {
			return Status{}, false
		}
		got.At, got.Error = 0, ""
		return r.keep(jobID, got), true
	}
	return Status{}, false
}

// Status returns the status of job, as just read from the database. The
// database's state rules: memcached only adds the percent and message of
// the current attempt while the job runs, never lower than what this
// reader read before for that attempt. Nothing current in memcached (a
// missing key, a status written by another attempt, memcached down or
// slow: each call waits at most about 2×Timeout) gives the last status
// read for the attempt, else FromJob(job). The error is for a future
// source that can fail; today it is always nil.
func (r *Reader) Status(ctx context.Context, job *jobs.Job) (Status, error) {
	s := FromJob(job)
	if job.State != jobs.Running {
		r.forget(job.ID)
		return s, nil
	}
	if r.client == nil || ctx.Err() != nil {
		return s, nil
	}
	got, err := r.get(job.ID)
	if err != nil || got.Attempt != job.Runs {
		if prev, ok := r.recall(job); ok {
			return prev, nil
		}
		return s, nil
	}
	s.Percent, s.Message = min(max(got.Percent, 0), 100), got.Message
	if got.State != jobs.Running && s.Message == "" {
		s.Message = "Finishing"
	}
	return r.keep(job.ID, s), nil
}

// recall is the last status read for the job's current attempt.
func (r *Reader) recall(job *jobs.Job) (Status, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, ok := r.seen[job.ID]
	if !ok || prev.Attempt != job.Runs {
		return Status{}, false
	}
	return prev.Status, true
}

// keep remembers s as the job's last status, unless one read before for
// the same attempt was further along: that one is returned instead.
func (r *Reader) keep(jobID string, s Status) Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.seen[jobID]; ok && prev.Attempt == s.Attempt && prev.Percent > s.Percent {
		return prev.Status
	}
	if len(r.seen) >= seenLimit {
		r.prune()
	}
	r.seen[jobID] = seenStatus{Status: s, at: time.Now()}
	return s
}

// prune drops the statuses not read for longer than a job may run, or
// the older half when that frees nothing.
func (r *Reader) prune() {
	cutoff := time.Now().Add(-Expiry)
	for id, s := range r.seen {
		if s.at.Before(cutoff) {
			delete(r.seen, id)
		}
	}
	if len(r.seen) < seenLimit {
		return
	}
	ats := make([]time.Time, 0, len(r.seen))
	for _, s := range r.seen {
		ats = append(ats, s.at)
	}
	slices.SortFunc(ats, time.Time.Compare)
	median := ats[len(ats)/2]
	for id, s := range r.seen {
		if !s.at.After(median) {
			delete(r.seen, id)
		}
	}
}

// Delete removes a deleted job's status from memcached and from what
// this reader remembers.
func (r *Reader) Delete(jobID string) error {
	r.forget(jobID)
	if r.client == nil {
		return nil
	}
	if err := r.client.Delete(Key(jobID)); err != nil && !errors.Is(err, memcache.ErrCacheMiss) {
		return fmt.Errorf("deleting the status of job %s: %w", jobID, err)
	}
	return nil
}

func (r *Reader) forget(jobID string) {
	r.mu.Lock()
	delete(r.seen, jobID)
	r.mu.Unlock()
}

func (r *Reader) get(jobID string) (Status, error) {
	it, err := r.batch.Get(Key(jobID))
	if err != nil {
		return Status{}, err
	}
	return r.decode(jobID, it.Value)
}

// decode reads a status as memcached holds it. A job's page polls the
// same value several times between two writes of its converter, and a
// finished job's never changes: the last value of each job is decoded
// once.
func (r *Reader) decode(jobID string, value []byte) (Status, error) {
	r.mu.Lock()
	if d, ok := r.decoded[jobID]; ok && d.raw == string(value) {
		r.mu.Unlock()
		return d.Status, nil
	}
	r.mu.Unlock()
	var s Status
	if err := json.Unmarshal(value, &s); err != nil {
		return s, errors.Join(errors.New("bad status in memcached"), err)
	}
	r.mu.Lock()
	if len(r.decoded) >= seenLimit {
		clear(r.decoded)
	}
	r.decoded[jobID] = decodedStatus{raw: string(value), Status: s}
	r.mu.Unlock()
	return s, nil
}
