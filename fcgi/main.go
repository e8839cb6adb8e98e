// Command fcgi is the web front of the service. lighttpd starts it through
// mod_fastcgi ("bin-path") with the FastCGI socket on standard input; it
// serves the pages and JSON actions, and keeps one `worker` dispatcher
// running as a child tied to its life.
//
//	fcgi              FastCGI on the socket lighttpd passes as fd 0
//	fcgi -listen ADDR plain HTTP on ADDR (development and tests)
//
// SIGTERM or SIGINT: stop accepting, let requests in flight finish
// briefly, stop the dispatcher (which gives its converters a grace period),
// exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// fcgiGCPercent is the fcgi process's GOGC unless the environment sets one.
const fcgiGCPercent = 400

func main() {
	fs := flag.NewFlagSet("fcgi", flag.ContinueOnError)
	listen := fs.String("listen", "", "serve plain HTTP on this address (e.g. 127.0.0.1:8080) instead of FastCGI on standard input")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *listen == "" && os.Getenv("GOMAXPROCS") == "" {
		// lighttpd runs several of these processes (max-procs), which
		// share the machine's cores between them: each serves on one
		// thread, sparing the Go scheduler's handoffs between threads,
		// which cost more than the small answers themselves.
		runtime.GOMAXPROCS(1)
	}
	if os.Getenv("GOGC") == "" {
		// net/http/fcgi allocates two 64 KiB buffers per connection, and
		// lighttpd opens one per request: garbage at a quarter of a
		// gigabyte a second under load, beside a live heap of a few MB.
		// At Go's default the collector ran every few milliseconds;
		// GOGC 400 takes a third off the cost of a small answer, and
		// the heap stays in the tens of MB.
		debug.SetGCPercent(fcgiGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	m := NewMain()
	m.Listen = *listen
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "fcgi:", err)
		os.Exit(1)
	}
}
