// Package status carries a job's progress from its converter to the web
// pages through memcached: the converter writes {state, percent, message,
// attempt} under a key per job, throttled and without ever waiting for
// memcached; the status action reads it back and falls back to the state
// in the database when memcached has nothing current (key missing, written
// by an older attempt, or memcached down).
package status

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
)

const (
	// Expiry is how long memcached keeps a status.
	Expiry = time.Hour
	// Interval is the shortest time between two writes of one job: at
	// most ten a second.
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
	Attempt int        `json:"attempt"`         // the attempt that wrote it
	Error   string     `json:"error,omitempty"` // user-facing message of a failed job
}

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
	s := Status{State: j.State, Attempt: j.Attempts}
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
// background goroutine writes out, at most once per Interval, dropping the
// values that came in between. A memcached outage costs failed writes in
// that goroutine, nothing else.
type Writer struct {
	client  *memcache.Client
	key     string
	attempt int
	log     logrus.FieldLogger

	mu      sync.Mutex
	pending *Status
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
	for {
		closing := false
		select {
		case <-w.kick:
		case <-w.closing:
			closing = true
		}
		s := w.take()
		if s == nil {
			if closing {
				return
			}
			continue
		}
		w.write(s)
		if closing {
			continue // flush what is left without waiting
		}
		t := time.NewTimer(Interval)
		select {
		case <-t.C:
		case <-w.closing:
		}
		t.Stop()
	}
}

func (w *Writer) write(s *Status) {
	if w.client == nil {
		return
	}
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	err = w.client.Set(&memcache.Item{Key: w.key, Value: b, Expiration: int32(Expiry / time.Second)})
	w.mu.Lock()
	first := err != nil && !w.failing
	w.failing = err != nil
	w.mu.Unlock()
	switch {
	case first:
		w.log.WithError(err).Warn("progress not written to memcached (the conversion goes on)")
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

// Reader reads statuses for the status action.
type Reader struct {
	client *memcache.Client
}

// NewReader reads from memcached at addr; "" reads the database state only.
func NewReader(addr string) *Reader { return &Reader{client: newClient(addr)} }

// Status returns the status of job, as just read from the database. The
// database's state rules: memcached only adds the percent and message of
// the current attempt while the job runs. A missing key, a status written
// by another attempt, or memcached being down or slow (each call waits at
// most about 2×Timeout) all give FromJob(job). The error is for a future
// source that can fail; today it is always nil.
func (r *Reader) Status(ctx context.Context, job *jobs.Job) (Status, error) {
	s := FromJob(job)
	if job.State != jobs.Running || r.client == nil || ctx.Err() != nil {
		return s, nil
	}
	got, err := r.get(job.ID)
	if err != nil || got.Attempt != job.Attempts {
		return s, nil
	}
	s.Percent, s.Message = got.Percent, got.Message
	if s.Percent > 100 {
		s.Percent = 100
	}
	if s.Percent < 0 {
		s.Percent = 0
	}
	if got.State != jobs.Running && s.Message == "" {
		s.Message = "Finishing"
	}
	return s, nil
}

func (r *Reader) get(jobID string) (Status, error) {
	var s Status
	it, err := r.client.Get(Key(jobID))
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(it.Value, &s); err != nil {
		return s, errors.Join(errors.New("bad status in memcached"), err)
	}
	return s, nil
}
