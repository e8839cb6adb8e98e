package dispatch

import (
	"context"
	"testing"
	"time"
)

// A wake-up starts a queued job at once: with an hour's poll, nothing else
// would.
func TestWakeClaimsAtOnce(t *testing.T) {
	f := newFixture(t, `exit 1`, map[string]string{"POLL": "1h", "MAX_ATTEMPTS": "1"})
	wake := make(chan struct{}, 1)
	d := &Dispatcher{Config: f.cfg, Store: f.store, Log: f.log, Owner: NewOwner(), Mail: f.mail, Wake: wake}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	time.Sleep(100 * time.Millisecond) // its first look found nothing

	id := f.queue(1)[0]
	time.Sleep(200 * time.Millisecond)
	if j := f.get(id); j.Runs != 0 {
		t.Fatalf("the job ran without a wake-up (state %s): is the poll not an hour?", j.State)
	}
	start := time.Now()
	wake <- struct{}{}
	f.waitFor("the job to be claimed", func() bool { return f.get(id).Runs > 0 })
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("claimed %v after the wake-up", took)
	}
}
