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
		debug.SetGCPercent(gcPercent)
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

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
