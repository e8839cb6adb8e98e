package dispatch

import (
	"context"
	"sync"
	"time"

	"tracksgo/internal/jobs"
)

// Notifier mails the admin about a failed job (notify.Mailer).
type Notifier interface {
	JobFailed(ctx context.Context, job *jobs.Job, message string) error
}

// Mail sends the failure mails of the dispatcher and its maintenance in
// the background: neither loop waits for SMTP. Wait waits for them.
type Mail struct {
	n  Notifier
	wg sync.WaitGroup
}

// NewMail sends through n; a nil n sends nothing.
func NewMail(n Notifier) *Mail { return &Mail{n: n} }

// Failed mails that job failed with msg. The Notifier logs its own errors.
func (m *Mail) Failed(j *jobs.Job, msg string) {
	if m == nil || m.n == nil {
		return
	}
	m.wg.Go(func() { m.n.JobFailed(context.Background(), j, msg) })
}

// Wait waits for the mails being sent, at most d; it tells whether they
// all went.
func (m *Mail) Wait(d time.Duration) bool {
	if m == nil {
		return true
	}
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
