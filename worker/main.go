// Command worker is the dispatcher of the web service: the fcgi program
// starts it, tied to its own life. It claims queued jobs from the SQLite
// database, runs one fresh converter process per job (at most CONVERTERS
// at once), renews the leases of the jobs it runs, requeues or fails jobs
// whose lease expired, and reaps every child. On SIGTERM it stops
// claiming, lets running converters finish within GRACE, then kills them
// and puts their jobs back to the queue. It exits when its parent dies.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"tracksgo/internal/proc"
)

// errParentGone is the cause of the stop when the lifeline closes.
var errParentGone = errors.New("parent process gone")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	proc.WatchParent(func() { cancel(errParentGone) })

	m := NewMain()
	code := 0
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		code = 1
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
	}
	os.Exit(code)
}
