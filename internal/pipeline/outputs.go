package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/pack"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// output is one exporter writing into a temporary file, the output
// itself, or with a zip into its compressed part, in memory while small.
type output struct {
	final string // the file's path, or with a zip the entry's name
	sp    *spool
	buf   *bufio.Writer // what the exporter writes
	z     *pack.Writer  // with a zip: compresses buf's bytes into zbuf
	zbuf  *bufio.Writer
	exp   track.Exporter
	done  bool  // written out and closed
	err   error // of writing it out
}

// close writes out what is buffered (and the end of the compressed
// stream), gives back the unused disk reserve and closes the file. The
// goroutine that ran the output's chain does it, so that this work
// overlaps with the other chains.
func (o *output) close() error {
	if o.done {
		return o.err
	}
	o.done = true
	err := o.buf.Flush()
	if err == nil && o.z != nil {
		if err = o.z.Close(); err == nil {
			err = o.zbuf.Flush()
		}
	}
	if ferr := o.sp.finish(); err == nil {
		err = ferr
	}
	if err != nil {
		o.err = fmt.Errorf("writing %s: %w", filepath.Base(o.final), err)
	}
	return o.err
}

// outputSet is every output of one conversion: temporary files until
// commit renames them into place (or packs them into the zip); abort
// removes whatever is left.
type outputSet struct {
	outs    []*output
	budget  *outputBudget
	zip     string                // the zip's path; "" for files
	packing func(done, total int) // told as each part goes into the zip
}

// openOutputs creates a temporary file for every exporter; limit is the
// byte budget of them all together (<= 0: none), counted before
// compression. With zip set, each output is compressed as it is written,
// into a part dated now that commit packs into the zip.
func openOutputs(dir, base string, exporters []*format.Exporter, o format.Options, limit int64, zip string, now time.Time) (*outputSet, error) {
	set := &outputSet{budget: &outputBudget{limit: limit}, zip: zip}
	for _, e := range exporters {
		final, pattern := filepath.Join(dir, base+"_"+e.Suffix), "."+base+"_"+e.Suffix+".*.tmp"
		if zip != "" {
			final, pattern = base+"_"+e.Suffix, "."+base+"_"+e.Suffix+".*.part"
		}
		inMemory := 0
		if zip != "" {
			inMemory = partInMemory
		}
		sp, err := newSpool(dir, pattern, inMemory)
		if err != nil {
			set.abort()
			return nil, fmt.Errorf("creating output for %s: %w", e.ID, err)
		}
		out := &output{final: final, sp: sp}
		set.outs = append(set.outs, out)
		w := io.Writer(sp)
		if zip != "" {
			out.zbuf = bufio.NewWriterSize(sp, 64<<10)
			out.z = pack.NewWriter(out.zbuf, final, now)
			w = out.z
		}
		if limit > 0 {
			w = &budgetWriter{w: w, b: set.budget}
		}
		out.buf = bufio.NewWriterSize(w, 64<<10)
		out.exp = e.New(out.buf, o)
	}
	return set, nil
}

// createTemp creates a new file in dir named by pattern, its "*" replaced
// by a random string, readable like any file the user makes once it is
// in place (0644 less the umask): os.CreateTemp makes it 0600, and
// changing that is one more system call per output.
func createTemp(dir, pattern string) (*os.File, error) {
	prefix, suffix, _ := strings.Cut(pattern, "*")
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36)+suffix)
		f, err := openNew(name, 0o644)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

// exportRun sends the trackers to every output, each exporter in a
// goroutine of its own so that they run on all cores at once. Without
// tools every chain reads the imported trackers themselves, which Run
// lints once; with tools, one stage runs the tools and Lint once for every
// exporter and collects what they make into a second feed that the
// exporters read (tools are deterministic, so this is what a chain of
// tools per exporter would give, at one copy instead of one per format).
// Exporters that must see every tracker before they write take them
// whole (track.WholeExporter) rather than copy them, and a tracker that
// every chain has passed is let go (feed), so that memory holds only the
// trackers some exporter still needs. The chains may start while the file
// is parsed: when one catches up with the import and waits, another runs.
type exportRun struct {
	ctx    context.Context
	cancel context.CancelFunc // a failed chain, the budget or stop end the others early
	in     *feed              // the imported trackers
	out    *feed              // what the chains read: in, or the tools' output
	whole  bool               // chains may take settled trackers whole

	tools    track.Exporter // the tools, Lint, counter and collector; nil without tools
	toolsIn  *reader
	toolsErr error

	chains  []track.Exporter
	readers []*reader // each chain's way through out
	outs    []*output // of the first chains; the last may be an observer, with none
	errs    []error
	budget  *outputBudget

	mu            sync.Mutex
	stopped       bool
	started       bool // the import side started the run
	w, h          int  // with this comp size
	chainsStarted bool
	wg            sync.WaitGroup
}

// prepare builds the stages of a run; count, when not nil, is told what
// the tools make (it stands in front of the collector); observe, when not
// nil, is one more chain, without an output file (Request.Observe).
func (s *outputSet) prepare(ctx context.Context, specs []tools.Spec, b *tools.Budget, whole bool, count func(track.Exporter) track.Exporter, observe track.Exporter) (*exportRun, error) {
	ctx, cancel := context.WithCancel(ctx)
	r := &exportRun{ctx: ctx, cancel: cancel, outs: s.outs, whole: whole, budget: s.budget}
	s.budget.hit = cancel
	for _, o := range s.outs {
		r.chains = append(r.chains, o.exp)
	}
	if observe != nil {
		r.chains = append(r.chains, observe)
	}
	r.errs = make([]error, len(r.chains))
	if len(specs) == 0 {
		// Nothing changes the trackers on their way: Run lints them once
		// as they are imported (track.CheckOrder), not once per exporter
		// and keyframe.
		r.in = newFeed(len(r.chains))
		r.out = r.in
	} else {
		r.in, r.out = newFeed(1), newFeed(len(r.chains))
		r.toolsIn = r.in.newReader()
		var next track.Exporter = &collector{run: r}
		if count != nil {
			next = count(next)
		}
		t, err := tools.BuildBudget(specs, track.NewLint(next), b)
		if err != nil {
			cancel()
			return nil, err
		}
		r.tools = t
	}
	for range r.chains {
		r.readers = append(r.readers, r.out.newReader())
	}
	return r, nil
}

// size is the comp size the import side started the run with, if it did.
func (r *exportRun) size() (int, int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.w, r.h, r.started
}

// start runs the tools, or the chains, with the imported comp size. It is
// called from the importing goroutine (or before the import).
func (r *exportRun) start(w, h int) {
	r.mu.Lock()
	if r.started || r.stopped {
		r.mu.Unlock()
		return
	}
	r.started, r.w, r.h = true, w, h
	if r.tools != nil {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.runTools(w, h)
		}()
	}
	r.mu.Unlock()
	if r.tools == nil {
		r.startChains(w, h)
	}
}

// startChains runs every chain with the comp size of what they read,
// each in its own goroutine.
func (r *exportRun) startChains(w, h int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.chainsStarted || r.stopped {
		return
	}
	r.chainsStarted = true
	for i := range r.chains {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.run(i, w, h)
		}()
	}
}

// runTools runs the tools stage over the imported trackers.
func (r *exportRun) runTools(w, h int) {
	defer r.toolsIn.close()
	if err := exportAll(r.ctx, r.tools, w, h, r.toolsIn, false); err != nil {
		r.toolsErr = err
		r.cancel()
		r.out.close() // chains waiting for the tools' next tracker end
		return
	}
	// Tools that never gave a comp size still leave the chains an
	// export to finish.
	r.startChains(w, h)
}

// run runs chain i and closes its output, if it has one.
func (r *exportRun) run(i, w, h int) {
	rd := r.readers[i]
	defer rd.close()
	err := stopAtBudget(func() error {
		if err := exportAll(r.ctx, r.chains[i], w, h, rd, r.whole); err != nil {
			return err
		}
		if i >= len(r.outs) {
			return nil // the observer
		}
		return r.outs[i].close()
	})
	if err != nil {
		r.errs[i] = err
		r.cancel()
	}
}

// budgetPassed is the panic that stops an exporter writing past the
// byte budget. Exporters leave write errors to the caller, who sees them
// at flush (track.Exporter), so one that is writing a long tracker would
// go on formatting every keyframe of it for nothing: the panic stops it
// at the write, and stopAtBudget, around the chain, turns it back into
// the budget's error. Exporters hold no lock and defer nothing, and the
// output is thrown away, so nothing is left half done.
type budgetPassed struct{ err error }

// stopAtBudget runs a chain, returning the budget's error if it panicked
// with budgetPassed.
func stopAtBudget(chain func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			bp, ok := p.(budgetPassed)
			if !ok {
				panic(p)
			}
			err = bp.err
		}
	}()
	return chain()
}

// finish starts what the import did not, reports the export's progress
// while it runs, waits for every chain and returns the error of the run.
func (r *exportRun) finish(w, h int, progress func(int, string)) error {
	r.start(w, h)
	ended := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(ended)
	}()
	pace := r.readers
	if r.tools != nil {
		pace = []*reader{r.toolsIn}
	}
	r.report(progress, pace, ended)
	<-ended
	err, _ := r.failure()
	return err
}

// failure is the error of a run that has ended: a passed budget, else
// the tools' error, else the first chain's in chain order. Errors of
// chains stopped because another failed come last; real tells whether
// the error is more than such a cancellation.
func (r *exportRun) failure() (err error, real bool) {
	if err := r.budget.passed(); err != nil {
		return err, true
	}
	var stopped error
	for _, err := range append([]error{r.toolsErr}, r.errs...) {
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			if stopped == nil {
				stopped = err
			}
		default:
			return err, true
		}
	}
	return stopped, false
}

// report reports 50-100 % as the original does while it writes (FORMATS.md
// §2.4): a step for every imported keyframe, with a message for the first
// and last keyframe of each tracker and for every change of the whole
// percent. The reports follow the slowest reader of the imported trackers
// (they publish where they are), so that they say how far the export is.
func (r *exportRun) report(progress func(int, string), pace []*reader, ended <-chan struct{}) {
	n := r.in.len()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	over := false
	// wait returns once every reader reached p, or the run ended; false
	// when it failed.
	wait := func(p uint64) bool {
		for !over && slowest(pace) < p {
			select {
			case <-ended:
				over = true
			case <-tick.C:
			}
		}
		return r.ctx.Err() == nil
	}
	percent := 50.0
	var msg []byte
	for i := 0; i < n; i++ {
		name, keys := r.in.info(i)
		step := (50.0 / float64(n)) / float64(keys)
		for k := 0; k < keys; k++ {
			percent += step
			// One report per keyframe, as the original, would cost a
			// string per point.
			if k != 0 && k != keys-1 && int(percent) == int(percent-step) {
				continue
			}
			if !wait(position(i, k)) {
				return
			}
			// Writing keyframe <k> of "<name>", <remaining> trackers to go
			msg = append(msg[:0], "Writing keyframe "...)
			msg = strconv.AppendInt(msg, int64(k+1), 10)
			msg = append(msg, ` of "`...)
			msg = append(msg, name...)
			msg = append(msg, `", `...)
			msg = strconv.AppendInt(msg, int64(n-i), 10)
			msg = append(msg, " trackers to go"...)
			progress(int(percent), string(msg))
		}
	}
}

// slowest is the smallest position of the readers.
func slowest(rs []*reader) uint64 {
	p := uint64(math.MaxUint64)
	for _, r := range rs {
		p = min(p, r.pos.Load())
	}
	return p
}

// stop ends a run: no chain is started any more, and those running end
// at their next tracker (or within a few thousand keyframes).
func (r *exportRun) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.cancel()
	r.in.close()
	r.out.close()
	r.wg.Wait()
}

// collector builds the trackers the tools make into the feed the chains
// read, and starts the chains once the tools give the comp size. A
// tracker is gathered in chunks (track.Keys): the tools may make it long
// (Lerp over a wide gap).
type collector struct {
	run    *exportRun
	name   string
	keys   track.Keys
	points int
}

func (c *collector) StartExport(w, h int) error {
	c.run.startChains(w, h)
	return nil
}

func (c *collector) StartTracker(name string) error {
	c.name = name // Lint, in front, sees that the last one ended
	return nil
}

func (c *collector) ExportPoint(k track.Keyframe) error {
	c.keys.Append(k)
	// A tool that makes many keyframes of one tracker stops with the run.
	if c.points++; c.points%checkEvery == 0 {
		return c.run.ctx.Err()
	}
	return nil
}

func (c *collector) EndTracker() error {
	c.run.out.add(&track.Tracker{Name: c.name, Keyframes: c.keys.Take()})
	return nil
}

func (c *collector) EndExport() error {
	c.run.out.close()
	return nil
}

// trim gives back the spare capacity that appends left in a finished
// tracker (up to a quarter of a long one, half of a short one): the
// tracker may be held until the end of the run.
func trim(t *track.Tracker) {
	if n, c := len(t.Keyframes), cap(t.Keyframes); c-n > n/16 && c-n > 16 {
		t.Keyframes = append(make([]track.Keyframe, 0, n), t.Keyframes...)
	}
}

// outputBudget is the byte budget of the outputs of one conversion
// together: every output draws on it as its bytes go to the file, and the
// first write past it fails the run.
type outputBudget struct {
	limit int64 // <= 0: no limit
	used  atomic.Int64
	over  atomic.Bool
	hit   func() // ends the run
}

// draw takes n bytes, or fails once the outputs passed the limit.
func (b *outputBudget) draw(n int) error {
	if b.limit <= 0 {
		return nil
	}
	if b.used.Add(int64(n)) > b.limit {
		if !b.over.Swap(true) && b.hit != nil {
			b.hit()
		}
		return b.err()
	}
	return nil
}

// passed is the error of a passed budget, or nil.
func (b *outputBudget) passed() error {
	if b.over.Load() {
		return b.err()
	}
	return nil
}

func (b *outputBudget) err() error {
	return &format.UserError{Code: format.CodeOutputLimit, Msg: fmt.Sprintf(
		"The outputs would exceed %s, the most one conversion may write: choose fewer formats or trim the frame range", Bytes(b.limit))}
}

// budgetWriter counts what goes to one output's file.
type budgetWriter struct {
	w io.Writer
	b *outputBudget
}

// Write panics with budgetPassed once the outputs passed the budget:
// see stopAtBudget, which every chain runs under.
func (w *budgetWriter) Write(p []byte) (int, error) {
	if err := w.b.draw(len(p)); err != nil {
		panic(budgetPassed{err})
	}
	return w.w.Write(p)
}

// Bytes writes a byte count in the largest binary unit that divides it
// (2 GiB, 512 MiB, 1536 bytes).
func Bytes(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// commit renames every output into place, or packs them into the zip and
// returns the names of its entries; each was closed when its chain ended.
func (s *outputSet) commit() ([]string, error) {
	for _, o := range s.outs {
		if err := o.close(); err != nil {
			return nil, err
		}
	}
	if s.zip != "" {
		return s.pack()
	}
	var files []string
	for _, o := range s.outs {
		if err := rename(o.sp.path, o.final); err != nil {
			return nil, fmt.Errorf("placing %s: %w", filepath.Base(o.final), err)
		}
		o.sp.path = ""
		files = append(files, o.final)
	}
	return files, nil
}

// pack assembles the zip from the compressed parts and removes them.
func (s *outputSet) pack() ([]string, error) {
	parts := make([]pack.Part, len(s.outs))
	names := make([]string, len(s.outs))
	for i, o := range s.outs {
		parts[i] = pack.Part{Header: o.z.Header(), Path: o.sp.path, Data: o.sp.mem}
		names[i] = o.final
	}
	if err := pack.Assemble(s.zip, parts, s.packing); err != nil {
		return nil, err
	}
	s.abort() // the parts, now in the zip
	return names, nil
}

// abort removes the temporary files that were not committed.
func (s *outputSet) abort() {
	for _, o := range s.outs {
		o.sp.remove()
	}
}
