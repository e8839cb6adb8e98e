package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"tracksgo/internal/config"
	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/pipeline"
	"tracksgo/internal/tools"
)

// Version is the converter's version.
const Version = "1.0.0"

// Main is the command-line converter.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Terminal       bool // stdout is a terminal: draw a progress bar
}

// usageError is a bad command line: the message, then what helps.
type usageError struct {
	msg  string
	list func(io.Writer)
}

func (e *usageError) Error() string { return e.msg }

// Run runs the converter with the arguments (without the program name) and
// returns the exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	if err := m.run(ctx, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(m.Stderr, "converter: "+oneLine(err.Error()))
		var ue *usageError
		if errors.As(err, &ue) {
			if ue.list != nil {
				ue.list(m.Stderr)
			}
			return 2
		}
		return 1
	}
	return 0
}

// oneLine joins a multi-line message (NoTrackersRecovered has three lines).
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

type options struct {
	req       pipeline.Request
	only      []string
	listImp   bool
	listExp   bool
	version   bool
	trace     bool
	toolError error
	usage     func(io.Writer)
}

func (m *Main) flags(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("converter", flag.ContinueOnError)
	// Parse errors are reported by Run as one line; only --help prints usage.
	fs.SetOutput(io.Discard)
	str := func(p *string, long, short, arg, help string) {
		fs.StringVar(p, long, "", help)
		if short != "" {
			fs.StringVar(p, short, "", "same as --"+long)
		}
	}
	integer := func(p *int, long, short, help string) {
		fs.IntVar(p, long, 0, help)
		if short != "" {
			fs.IntVar(p, short, 0, "same as --"+long)
		}
	}
	str(&o.req.Importer, "from", "f", "IMPORTER", "read the input with this importer instead of detecting it (see --list-importers)")
	integer(&o.req.Width, "width", "w", "comp width in pixels, for formats that do not store it")
	integer(&o.req.Height, "height", "h", "comp height in pixels, for formats that do not store it")
	only := func(v string) error {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				o.only = append(o.only, n)
			}
		}
		return nil
	}
	fs.Func("only", "write only this exporter's file; repeat or separate with commas for several (see --list-exporters)", only)
	fs.Func("o", "same as --only", only)
	fs.StringVar(&o.req.OutDir, "out", "", "write the outputs into this folder instead of beside the input")
	o.req.OutputLimit = defaultOutputLimit
	fs.Func("output-limit", "the most bytes all outputs together may hold, as bytes or with KiB, MiB or GiB; 0 = no limit (default 2GiB)", func(v string) error {
		n, err := parseSize(v)
		if err != nil {
			return err
		}
		o.req.OutputLimit = n
		return nil
	})
	fs.BoolVar(&o.listImp, "list-importers", false, "list the input formats and exit")
	fs.BoolVar(&o.listExp, "list-exporters", false, "list the output formats and exit")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.trace, "trace", false, "print every progress report as [percent -> message]")
	for _, tf := range tools.Flags() {
		tf := tf
		add := func(arg string) error {
			specs, err := tf.Parse(arg)
			if err != nil {
				o.toolError = err // already names the flag
				return err
			}
			o.req.Tools = append(o.req.Tools, specs...)
			return nil
		}
		names := []string{tf.Name}
		if tf.Short != "" {
			names = append(names, tf.Short)
		}
		for i, n := range names {
			help := tf.Help
			if i > 0 {
				help = "same as --" + tf.Name
			}
			if tf.Bool {
				fs.BoolFunc(n, help, func(string) error { return add("") })
			} else {
				fs.Func(n, help+argHint(tf.Arg), add)
			}
		}
	}
	fs.Usage = func() {}
	o.usage = func(w io.Writer) {
		fs.SetOutput(w)
		defer fs.SetOutput(io.Discard)
		fmt.Fprintf(w, "Usage: converter [options] INPUT_FILE\n")
		fmt.Fprintf(w, "Example: converter -f shakescript -w 1920 -h 1080 /Films/Blockbuster/Shots/001/script.shk\n\n")
		fmt.Fprintf(w, "Writes <input name>_<format suffix> beside the input (or into --out) for every output format,\n")
		fmt.Fprintf(w, "or only those chosen with --only. Tools apply in the order given on the command line.\n\nOptions:\n")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nEnvironment: SOURCE_DATE_EPOCH fixes the date written into Flame and boujou files.\n")
	}
	return fs
}

func argHint(arg string) string {
	if arg == "" {
		return ""
	}
	return " (" + arg + ")"
}

func (m *Main) run(ctx context.Context, args []string) error {
	o := &options{}
	fs := m.flags(o)
	// The input may stand anywhere, as in the original (last by convention):
	// parse, take one positional argument, go on parsing the rest.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			switch {
			case errors.Is(err, flag.ErrHelp):
				o.usage(m.Stderr)
				return err
			case o.toolError != nil:
				return &usageError{msg: o.toolError.Error()}
			}
			return &usageError{msg: err.Error() + " (see --help)"}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case o.version:
		fmt.Fprintf(m.Stdout, "converter v.%s running on %s %s/%s\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		fmt.Fprintln(m.Stdout, "Reads and writes the track formats of Tracksperanto; see the README for the list.")
		return nil
	case o.listExp:
		listExporters(m.Stderr)
		return nil
	case o.listImp:
		listImporters(m.Stderr)
		return nil
	}
	if len(positional) == 0 {
		return &usageError{msg: "No input file provided - should be the last argument. Also use the --help option."}
	}
	if len(positional) > 1 {
		return &usageError{msg: fmt.Sprintf("only one input file at a time, got %d: %s", len(positional), strings.Join(positional, " "))}
	}
	input := positional[0]
	if _, err := os.Stat(input); err != nil {
		//lint:ignore ST1005 the reference CLI's message, word for word (FORMATS.md §9.2)
		return fmt.Errorf("Input file %s does not exist", input)
	}
	if o.req.Width < 0 || o.req.Height < 0 {
		return &usageError{msg: "--width and --height must be positive numbers of pixels"}
	}
	if o.req.Importer != "" {
		if _, err := formats.LookupImporter(o.req.Importer); err != nil {
			return &usageError{msg: err.Error(), list: listImporters}
		}
	}
	for _, n := range o.only {
		if _, err := formats.LookupExporter(n); err != nil {
			return &usageError{msg: err.Error(), list: listExporters}
		}
	}
	now, err := config.SourceDate(m.Getenv)
	if err != nil {
		return err
	}
	o.req.Input = input
	o.req.Exporters = o.only
	o.req.Now = now
	o.req.KeyframeLimit = tools.DefaultKeyframeLimit
	if o.req.OutDir != "" {
		if err := os.MkdirAll(o.req.OutDir, 0o755); err != nil {
			return err
		}
	}
	bar := &progressBar{w: m.Stdout, terminal: m.Terminal, trace: o.trace}
	o.req.Progress = bar.report
	res, err := pipeline.Run(ctx, o.req)
	bar.done()
	var ue *format.UserError
	if errors.As(err, &ue) && ue.Code == format.CodeOutputLimit {
		return fmt.Errorf("%w (or raise --output-limit; 0 means no limit)", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, summaryLine(res, len(o.req.Tools) > 0))
	for _, f := range res.Files {
		fmt.Fprintf(m.Stdout, "Wrote %s\n", f)
	}
	return nil
}

// defaultOutputLimit is the byte budget of all outputs together, the
// same as the web service's JOB_OUTPUT_LIMIT.
const defaultOutputLimit = 2 << 30

// parseSize reads --output-limit: a whole number of bytes, or of KiB, MiB
// or GiB.
func parseSize(v string) (int64, error) {
	num, unit := strings.TrimSpace(v), int64(1)
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, unit = strings.TrimSpace(rest), u.size
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/unit {
		return 0, fmt.Errorf("%q is not a size such as 2GiB, 512MiB or a number of bytes", v)
	}
	return n * unit, nil
}

// summaryLine says what the outputs hold: with tools, what was read and
// then what the tools made of it. Frames are shown counting from 1, as
// most applications number them (internal frames are 0-based).
func summaryLine(res *pipeline.Result, tools bool) string {
	out := fmt.Sprintf("%d trackers with %d keyframes on frames %d-%d counting from 1",
		res.Trackers, res.Keyframes, res.FirstFrame+1, res.LastFrame+1)
	if !tools {
		return fmt.Sprintf("Found and converted %s (%s, %dx%d).", out, res.Importer, res.Width, res.Height)
	}
	in := res.Imported
	return fmt.Sprintf("Found %d trackers with %d keyframes (%s, %dx%d); after the tools, wrote %s (%dx%d).",
		in.Trackers, in.Keyframes, res.Importer, in.Width, in.Height, out, res.Width, res.Height)
}

func listExporters(w io.Writer) {
	fmt.Fprintln(w, "The following export modules are available:")
	for _, e := range formats.Exporters() {
		fmt.Fprintf(w, "\t%q - %s\n", e.Name(), e.Human)
	}
}

func listImporters(w io.Writer) {
	fmt.Fprintln(w, "The following import modules are available:")
	for _, i := range formats.Importers() {
		fmt.Fprintf(w, "\t%q - %s\n", i.Name(), i.Human)
	}
}

// progressBar draws on a terminal, prints a line per percent otherwise.
type progressBar struct {
	w        io.Writer
	terminal bool
	trace    bool
	last     int
	drawn    bool
	lastDraw time.Time
}

func (p *progressBar) report(percent int, msg string) {
	if p.trace {
		fmt.Fprintf(p.w, "[%d -> %s]\n", percent, msg)
		return
	}
	if percent == p.last && p.drawn && (!p.terminal || time.Since(p.lastDraw) < 100*time.Millisecond) {
		return
	}
	p.last, p.drawn, p.lastDraw = percent, true, time.Now()
	if !p.terminal {
		fmt.Fprintf(p.w, "%3d%% %s\n", percent, msg)
		return
	}
	const width = 30
	filled := percent * width / 100
	if len(msg) > 40 {
		msg = msg[:37] + "..."
	}
	fmt.Fprintf(p.w, "\rConverting [%s%s] %3d%% %-40s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), percent, msg)
}

func (p *progressBar) done() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
	}
}
