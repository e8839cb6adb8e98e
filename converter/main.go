// Command converter converts 2D tracks between the formats of matchmoving
// and compositing applications.
//
// With a file argument it is the command-line converter:
//
//	converter [-f IMPORTER] [-w WIDTH -h HEIGHT] [-o EXPORTER] [--out DIR] [tool flags] FILE
//
// The web service's dispatcher runs it as `converter --job ID ...`, one
// process per job.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// gcPercent is the converter's GOGC. Its heap is mostly keyframe arrays,
// which hold no pointers and cost the collector next to nothing to mark,
// so a tight heap goal costs little time; Go's default of 100 lets the heap
// grow to twice what a conversion holds before it collects. GOGC in the
// environment still wins.
const gcPercent = 25

func main() {
	if os.Getenv("GOGC") == "" {
		tightenAfterFirstGC()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	if len(args) > 0 && (args[0] == "--job" || args[0] == "-job") {
		os.Exit(runJob(ctx, args, os.Stderr))
	}
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Terminal: isTerminal(os.Stdout)}
	os.Exit(m.Run(ctx, args))
}

// tightenAfterFirstGC sets gcPercent from the first collection on. A
// small conversion ends before its heap reaches the first goal (4 MiB at
// Go's default) and is never collected; at gcPercent from the start it
// would be, several times, for nothing. A large one is held to the tight
// goal all the same: its heap passes 4 MiB long before its peak.
func tightenAfterFirstGC() {
	// The finalizer of an object dropped at once runs after the first
	// collection. (An object of pointer size or more, so that it is not
	// batched with others by the tiny allocator, whose finalizers may
	// never run.)
	first := new([4]*int)
	runtime.SetFinalizer(first, func(*[4]*int) { debug.SetGCPercent(gcPercent) })
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
