package pipeline

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// output is one exporter writing into a temporary file.
type output struct {
	final string
	tmp   *os.File
	buf   *bufio.Writer
}

// outputSet is every output of one conversion: temporary files until
// commit renames them into place; abort removes whatever is left.
type outputSet struct {
	outs []*output
	mux  track.Exporter
}

func openOutputs(dir, base string, exporters []*format.Exporter, o format.Options) (*outputSet, error) {
	set := &outputSet{}
	var fan multiplexer
	for _, e := range exporters {
		final := filepath.Join(dir, base+"_"+e.Suffix)
		tmp, err := os.CreateTemp(dir, "."+base+"_"+e.Suffix+".*.tmp")
		if err != nil {
			set.abort()
			return nil, fmt.Errorf("creating output for %s: %w", e.ID, err)
		}
		out := &output{final: final, tmp: tmp, buf: bufio.NewWriterSize(tmp, 64<<10)}
		set.outs = append(set.outs, out)
		fan = append(fan, e.New(out.buf, o))
	}
	set.mux = fan
	return set, nil
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

// multiplexer replays every call to each exporter in order.
type multiplexer []track.Exporter

func (m multiplexer) each(f func(track.Exporter) error) error {
	var errs []error
	for _, e := range m {
		if err := f(e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (m multiplexer) StartExport(w, h int) error {
	return m.each(func(e track.Exporter) error { return e.StartExport(w, h) })
}
func (m multiplexer) StartTracker(name string) error {
	return m.each(func(e track.Exporter) error { return e.StartTracker(name) })
}
func (m multiplexer) ExportPoint(k track.Keyframe) error {
	for _, e := range m { // hot path: no closure
		if err := e.ExportPoint(k); err != nil {
			return err
		}
	}
	return nil
}
func (m multiplexer) EndTracker() error {
	return m.each(func(e track.Exporter) error { return e.EndTracker() })
}
func (m multiplexer) EndExport() error {
	return m.each(func(e track.Exporter) error { return e.EndExport() })
}
