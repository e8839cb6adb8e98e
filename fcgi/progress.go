package main

import (
	"context"

	"tracksgo/internal/jobs"
	"tracksgo/internal/status"
	"tracksgo/internal/web"
)

// memcachedProgress gives the status action the progress converters
// publish in memcached (internal/status); the reader itself falls back to
// the database's state when memcached has nothing current or is down.
type memcachedProgress struct{ r *status.Reader }

func (m memcachedProgress) Progress(ctx context.Context, j *jobs.Job) (web.Progress, bool) {
	s, err := m.r.Status(ctx, j)
	if err != nil {
		return web.Progress{}, false
	}
	return web.Progress{State: s.State, Percent: s.Percent, Message: s.Message, Error: s.Error}, true
}

// Cached is the status memcached tells for sure (status.Reader.Cached),
// in the words the status action uses for an ended job.
func (m memcachedProgress) Cached(ctx context.Context, id string) (web.Progress, bool) {
	s, ok := m.r.Cached(id)
	if !ok {
		return web.Progress{}, false
	}
	p := web.Progress{State: s.State, Percent: s.Percent, Message: s.Message, Attempt: s.Attempt, Error: s.Error}
	if s.State == jobs.Failed {
		p.Percent, p.Message = 100, "Failed"
	}
	return p, true
}

// Delete removes a deleted job's status from memcached (web.ProgressDeleter).
func (m memcachedProgress) Delete(id string) error { return m.r.Delete(id) }
