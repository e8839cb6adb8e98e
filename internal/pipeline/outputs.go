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
		out := &output{final: final, tmp: tmp, buf: bufio.NewWriterSize(tmp, 64<<10)}
		out.exp = e.New(out.buf, o)
		set.outs = append(set.outs, out)
	}
	return set, nil
}

// export sends the trackers to every output. The original fans one stream
// out to all exporters; here each exporter gets its own chain of tools and
// Lint over the same imported trackers, so that the exporters run on all
// cores at once. Tools are deterministic, so every chain sees what a shared
// one would have produced. The first output's chain reports progress.
func (s *outputSet) export(ctx context.Context, specs []tools.Spec, w, h int, trackers []*track.Tracker, progress func(int, string)) error {
	chains := make([]track.Exporter, len(s.outs))
	for i, o := range s.outs {
		c, err := tools.Build(specs, track.NewLint(o.exp))
		if err != nil {
			return err
		}
		chains[i] = c
	}
	errs := make([]error, len(chains))
	var (
		mu   sync.Mutex
		next = 1 // chain 0 runs first, in this goroutine, with progress
		wg   sync.WaitGroup
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		i := next
		next++
		return i
	}
	work := func() {
		defer wg.Done()
		for i := take(); i < len(chains); i = take() {
			errs[i] = exportAll(ctx, chains[i], w, h, trackers, nil)
		}
	}
	for n := min(runtime.GOMAXPROCS(0), len(chains)) - 1; n > 0; n-- {
		wg.Add(1)
		go work()
	}
	errs[0] = exportAll(ctx, chains[0], w, h, trackers, progress)
	wg.Add(1)
	work()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// commit flushes, syncs and renames every output into place.
func (s *outputSet) commit() ([]string, error) {
	for _, o := range s.outs {
		if err := o.buf.Flush(); err != nil {
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
