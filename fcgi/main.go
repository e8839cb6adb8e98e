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

// fcgiMemoryLimit is the fcgi process's soft memory limit, the heap size at
// which it collects, unless the environment sets GOGC or GOMEMLIMIT.
const fcgiMemoryLimit = 128 << 20

func main() {
	fs := flag.NewFlagSet("fcgi", flag.ContinueOnError)
	listen := fs.String("listen", "", "serve plain HTTP on this address (e.g. 127.0.0.1:8080) instead of FastCGI on standard input")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *listen == "" && os.Getenv("GOMAXPROCS") == "" {
		// lighttpd runs one of these processes (lighttpd.conf: max-procs),
		// serving on one thread beside lighttpd on the other core: the Go
		// scheduler's handoffs between threads, and its monitor waking
		// every 20 µs in a process that keeps going idle, cost more than
		// the small answers themselves.
		runtime.GOMAXPROCS(1)
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// net/http/fcgi allocates two 64 KiB buffers per request (lighttpd
		// opens a connection for each), which comes to a gigabyte and more
		// a second under load beside a live heap of a few MB: Go's default
		// collected every few milliseconds. The collector runs instead
		// when the heap reaches the limit, a few times a second; uploads
		// are streamed to disk, so nothing here holds much.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(fcgiMemoryLimit)
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
