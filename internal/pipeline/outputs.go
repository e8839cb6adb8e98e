package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// output is one exporter writing into a temporary file.
type output struct {
	final string
	tmp   *os.File
	pre   *preallocFile
	buf   *bufio.Writer
	exp   track.Exporter
	done  bool  // written out and closed
	err   error // of writing it out
}

// close writes out what is buffered, gives back the unused disk reserve
// and closes the file. The goroutine that ran the output's chain does it,
// so that this work overlaps with the other chains.
func (o *output) close() error {
	if o.done {
		return o.err
	}
	o.done = true
	err := o.buf.Flush()
	if err == nil {
		err = o.pre.finish()
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		o.err = fmt.Errorf("writing %s: %w", filepath.Base(o.final), err)
	}
	return o.err
}

// outputSet is every output of one conversion: temporary files until
// commit renames them into place; abort removes whatever is left.
type outputSet struct {
	outs []*output
}

func openOutputs(dir, base string, exporters []*format.Exporter, o format.Options) (*outputSet, error) {
	set := &outputSet{}
	for _, e := range exporters {
		final := filepath.Join(dir, base+"_"+e.Suffix)
		tmp, err := os.CreateTemp(dir, "."+base+"_"+e.Suffix+".*.tmp")
		if err != nil {
			set.abort()
			return nil, fmt.Errorf("creating output for %s: %w", e.ID, err)
		}
		// Readable like any file the user makes, once it is in place.
		if err := tmp.Chmod(0o644); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			set.abort()
			return nil, fmt.Errorf("creating output for %s: %w", e.ID, err)
		}
		pre := newPreallocFile(tmp)
		out := &output{final: final, tmp: tmp, pre: pre, buf: bufio.NewWriterSize(pre, 64<<10)}
		out.exp = e.New(out.buf, o)
		set.outs = append(set.outs, out)
	}
	return set, nil
}

// exportRun sends the trackers to every output. The original fans one
// stream out to all exporters; here each exporter gets its own chain of
// tools and Lint over the same trackers, so that the exporters run on all
// cores at once. Tools are deterministic, so every chain sees what a shared
// one would have produced; without tools the chains see the imported
// trackers themselves, which Run lints once. The first chain waits for
// the end of the import and reports progress; the others may start while
// the file is parsed, each in a goroutine of its own: when one catches up
// with the import and waits, another runs, so that no core idles while
// there is work (several chains on the same tracker also share the cache).
type exportRun struct {
	ctx      context.Context
	cancel   context.CancelFunc // by stop: chains of a failed run end early
	trackers *feed
	chains   []track.Exporter
	outs     []*output
	errs     []error
	w, h     int

	mu      sync.Mutex
	stopped bool
	started bool
	wg      sync.WaitGroup
}

// prepare builds one chain per output.
func (s *outputSet) prepare(ctx context.Context, specs []tools.Spec, trackers *feed) (*exportRun, error) {
	ctx, cancel := context.WithCancel(ctx)
	r := &exportRun{ctx: ctx, cancel: cancel, trackers: trackers, outs: s.outs}
	for _, o := range s.outs {
		if len(specs) == 0 {
			// Nothing changes the trackers on their way: Run lints them
			// once as they are imported (track.CheckOrder), not once per
			// exporter and keyframe.
			r.chains = append(r.chains, o.exp)
			continue
		}
		c, err := tools.Build(specs, track.NewLint(o.exp))
		if err != nil {
			return nil, err
		}
		r.chains = append(r.chains, c)
	}
	r.errs = make([]error, len(r.chains))
	return r, nil
}

// size is the comp size the chains started with, if they did.
func (r *exportRun) size() (int, int, bool) { return r.w, r.h, r.started }

// start runs chains 1… with the given comp size, each in its own
// goroutine. It is called from the importing goroutine (or before the
// import).
func (r *exportRun) start(w, h int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started || r.stopped {
		return
	}
	r.started, r.w, r.h = true, w, h
	for i := 1; i < len(r.chains); i++ {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.run(i, nil)
		}()
	}
}

// run runs chain i and closes its output.
func (r *exportRun) run(i int, progress func(int, string)) {
	r.errs[i] = exportAll(r.ctx, r.chains[i], r.w, r.h, r.trackers, progress)
	if err := r.outs[i].close(); r.errs[i] == nil {
		r.errs[i] = err
	}
}

// finish runs chain 0 with progress, waits for the others, and returns
// the first error in chain order.
func (r *exportRun) finish(w, h int, progress func(int, string)) error {
	r.start(w, h)
	r.run(0, progress)
	r.wg.Wait()
	for _, err := range r.errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// stop ends a run that will not finish (the import failed): no chain is
// started any more, and those running end at their next tracker.
func (r *exportRun) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.cancel()
	r.trackers.close()
	r.wg.Wait()
}

// commit renames every output into place; each was closed when its
// chain ended.
func (s *outputSet) commit() ([]string, error) {
	for _, o := range s.outs {
		if err := o.close(); err != nil {
			return nil, err
		}
	}
	var files []string
	for _, o := range s.outs {
		if err := os.Rename(o.tmp.Name(), o.final); err != nil {
			return nil, fmt.Errorf("placing %s: %w", filepath.Base(o.final), err)
		}
		o.tmp = nil
		files = append(files, o.final)
	}
	return files, nil
}

// abort removes the temporary files that were not committed.
func (s *outputSet) abort() {
	for _, o := range s.outs {
		if o.tmp != nil {
			o.tmp.Close()
			os.Remove(o.tmp.Name())
		}
	}
}
