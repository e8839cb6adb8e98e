package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
)

// Retry backoff of a database that cannot be opened: it doubles from
// minOpenBackoff up to maxOpenBackoff.
const (
	minOpenBackoff = time.Second
	maxOpenBackoff = time.Minute
)

// opener opens the job database, retrying with a backoff while it cannot
// be read (corrupt, unreadable, locked for too long), so that the process
// stays up and says why instead of exiting and being respawned by lighttpd
// in a hot loop. The problem is logged once, with the path and the cause,
// among all the FastCGI processes of one lighttpd (note), and again only
// when the cause changes or the database opens.
type opener struct {
	path string
	log  *logrus.Entry
	// note is the file that the processes share to log a problem once;
	// "" logs in every process.
	note string
	open func(path string) (*jobs.SQLite, error)
	// min and max bound the backoff (0: minOpenBackoff, maxOpenBackoff).
	min, max time.Duration

	failed int    // tries that failed
	last   string // the cause last met
}

// attempt tries once to open the database, logging what is news.
func (o *opener) attempt() *jobs.SQLite {
	store, err := o.open(o.path)
	if err == nil {
		if o.failed > 0 {
			log := o.log.WithFields(logrus.Fields{"db": o.path, "tries": o.failed + 1})
			if o.claim("ok") {
				log.Info("job database readable again; serving")
			} else {
				log.Debug("job database readable again")
			}
		}
		return store
	}
	o.failed++
	if cause := err.Error(); cause != o.last {
		o.last = cause
		log := o.log.WithFields(logrus.Fields{"db": o.path, "cause": cause})
		if o.claim("failing: " + cause) {
			log.Error("cannot open the job database; every page answers 503 until it can, retrying with a backoff up to " + o.limit().String())
		} else {
			log.Debug("cannot open the job database (logged by another process)")
		}
	}
	return nil
}

func (o *opener) limit() time.Duration {
	if o.max == 0 {
		return maxOpenBackoff
	}
	return o.max
}

// run retries after a failed attempt, waiting before each try, and
// returns the open database, or nil when ctx ends first.
func (o *opener) run(ctx context.Context) *jobs.SQLite {
	backoff := o.min
	if backoff == 0 {
		backoff = minOpenBackoff
	}
	for {
		if !o.wait(ctx, backoff) {
			return nil
		}
		if store := o.attempt(); store != nil {
			return store
		}
		backoff = min(2*backoff, o.limit())
	}
}

// notePoll is how often a waiting process looks whether another one
// opened the database meanwhile.
const notePoll = time.Second

// wait sleeps for d, or less when the note says that another process
// opened the database; false when ctx ended.
func (o *opener) wait(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	poll := time.NewTicker(notePoll)
	defer poll.Stop()
	ok := fmt.Sprintf("%d ok", os.Getppid())
	for {
		select {
		case <-ctx.Done():
			return false
		case <-timer.C:
			return true
		case <-poll.C:
			if b, err := os.ReadFile(o.note); o.note != "" && err == nil && string(b) == ok {
				return true
			}
		}
	}
}

// claim records state in the shared note and tells whether it is news
// to the processes of this lighttpd (the parent): whether this process is
// the one to log it. Without a usable note every process logs.
func (o *opener) claim(state string) bool {
	if o.note == "" {
		return true
	}
	news, err := swapNote(o.note, fmt.Sprintf("%d %s", os.Getppid(), state))
	if err != nil {
		o.log.WithError(err).Debug("database problem note")
		return true
	}
	return news
}

// swapNote writes content into the file at path, under an exclusive lock,
// and tells whether it held something else. The file is written in
// place: every writer holds the lock.
func swapNote(path, content string) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return false, fmt.Errorf("lock %s: %w", path, err)
	}
	old := make([]byte, len(content)+1)
	n, _ := f.ReadAt(old, 0)
	if bytes.Equal(old[:n], []byte(content)) {
		return false, nil
	}
	if err := f.Truncate(0); err != nil {
		return false, err
	}
	if _, err := f.WriteAt([]byte(content), 0); err != nil {
		return false, err
	}
	return true, nil
}
