package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
// trackers themselves, which Run lints once. The first chain waits for the end of the import
// and reports progress; the others may start while the file is parsed.
type exportRun struct {
	ctx      context.Context
	trackers *feed
	chains   []track.Exporter
	errs     []error
	w, h     int

	mu      sync.Mutex
	next    int // the next chain to run; chain 0 is run by finish
	stopped bool
	started bool
	wg      sync.WaitGroup
}

// prepare builds one chain per output.
func (s *outputSet) prepare(ctx context.Context, specs []tools.Spec, trackers *feed) (*exportRun, error) {
	r := &exportRun{ctx: ctx, trackers: trackers, next: 1}
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

// start runs chains 1… on all cores but one, with the given comp size. It
// is called from the importing goroutine (or before the import).
func (r *exportRun) start(w, h int) {
	if r.started {
		return
	}
	r.started, r.w, r.h = true, w, h
	for n := min(runtime.GOMAXPROCS(0), len(r.chains)) - 1; n > 0; n-- {
		r.wg.Add(1)
		go r.work()
	}
}

func (r *exportRun) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return len(r.chains)
	}
	i := r.next
	r.next++
	return i
}

func (r *exportRun) work() {
	defer r.wg.Done()
	for i := r.take(); i < len(r.chains); i = r.take() {
		r.errs[i] = exportAll(r.ctx, r.chains[i], r.w, r.h, r.trackers, nil)
	}
}

// finish runs chain 0 with progress, helps with the rest, and returns the
// first error in chain order.
func (r *exportRun) finish(w, h int, progress func(int, string)) error {
	r.start(w, h)
	r.errs[0] = exportAll(r.ctx, r.chains[0], r.w, r.h, r.trackers, progress)
	r.wg.Add(1)
	r.work()
	r.wg.Wait()
	for _, err := range r.errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// stop ends a run that will not finish (the import failed): no chain is
// started any more, and those running end once the feed is closed.
func (r *exportRun) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.trackers.close()
	r.wg.Wait()
}

// commit flushes, syncs and renames every output into place.
func (s *outputSet) commit() ([]string, error) {
	for _, o := range s.outs {
		if err := o.buf.Flush(); err != nil {
			return nil, fmt.Errorf("writing %s: %w", filepath.Base(o.final), err)
		}
		if err := o.pre.finish(); err != nil {
			return nil, fmt.Errorf("writing %s: %w", filepath.Base(o.final), err)
		}
		if err := o.tmp.Close(); err != nil {
			return nil, fmt.Errorf("writing %s: %w", filepath.Base(o.final), err)
		}
	}
	var files []string
	for _, o := range s.outs {
		if err := os.Chmod(o.tmp.Name(), 0o644); err != nil {
			return nil, err
		}
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
