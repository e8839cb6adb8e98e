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
