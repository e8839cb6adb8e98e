package main

import (
	"testing"
	"time"
)

// TestJobsQueuedElsewhereStartWithoutThePoll: with an hour's poll, the
// dispatcher still starts a job that another process queued, and starts
// one when its parent wakes it on the lifeline: both within a moment.
func TestJobsQueuedElsewhereStartWithoutThePoll(t *testing.T) {
	s := newService(t)
	s.env["POLL"] = "1h"
	d := s.startDispatcher()
	time.Sleep(500 * time.Millisecond) // its first look found nothing

	start := time.Now()
	ids := s.queue(1) // another connection: data_version tells
	waitUntil(t, 10*time.Second, "the job done", s.allDone(ids))
	t.Logf("done %v after it was queued", time.Since(start))

	// The parent's wake-up: the change watcher may see the insert too,
	// but the wake-up must not break anything.
	more := s.queue(1)
	d.child.Wake()
	waitUntil(t, 10*time.Second, "the woken job done", s.allDone(more))
	d.stop(t)
}
