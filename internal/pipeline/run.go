package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// Error codes of the pipeline's own checks, as in FORMATS.md §2.5.
const (
	msgEmpty      = "This is an empty source file"
	msgDimensions = "Width and height must be provided for this importer"
	msgNoTrackers = "Could not recover any non-empty trackers from this file.\nWrong import format maybe?\n"
)

// Run converts req.Input. Outputs are written to temporary files and renamed
// into place (or packed into req.Zip) only when the whole conversion
// succeeded (FORMATS.md §11.4).
// Errors carry the user-facing message of FORMATS.md §2.5.
func Run(ctx context.Context, req Request) (*Result, error) {
	name := req.Name
	if name == "" {
		name = filepath.Base(req.Input)
	}
	progress := req.Progress
	if progress == nil {
		progress = func(int, string) {}
	}
	if err := formats.Blacklisted(name); err != nil {
		return nil, err
	}
	f, err := os.Open(req.Input)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return nil, &format.UserError{Code: format.CodeEmptySourceFile, Msg: msgEmpty}
	}
	imp, err := chooseImporter(f, name, req)
	if err != nil {
		return nil, err
	}
	outs, err := chooseExporters(req.Exporters)
	if err != nil {
		return nil, err
	}
	if err := tools.Validate(req.Tools); err != nil {
		return nil, err
	}

	dir := req.OutDir
	if dir == "" {
		dir = filepath.Dir(req.Input)
	}
	now := time.Now
	if req.Now != nil {
		now = req.Now
	}
	set, err := openOutputs(dir, baseName(name), outs, format.Options{Now: req.Now}, req.OutputLimit, req.Zip, now())
	if err != nil {
		return nil, err
	}
	set.packing = req.Packing
	defer set.abort()
	// With tools the outputs hold what the tools make of the import: a
	// counter behind them counts it.
	var out *counter
	count := func(next track.Exporter) track.Exporter {
		out = newCounter(next)
		return out
	}
	run, err := set.prepare(ctx, req.Tools, tools.NewBudget(req.KeyframeLimit), !req.pointByPoint, count, req.Observe)
	if err != nil {
		return nil, err
	}
	// A format that does not store the comp size uses the one given: the
	// exports can start while the file is still being parsed.
	if !imp.AutoSize {
		run.start(req.Width, req.Height)
	}
	defer run.stop()

	// Import (0-50 %).
	progress(0, "Starting the parser")
	cr := &countingReader{r: f, size: st.Size(), progress: progress}
	res := &Result{Importer: imp.ID, Imported: emptySummary()}
	sess := &format.Session{Width: req.Width, Height: req.Height,
		Progress:  func(msg string) { progress(int(cr.percent), msg) },
		SizeFound: run.start,
		Emit: func(t *track.Tracker) error {
			// The run's context ends too when an export failed (a
			// limit was passed): the rest of the file is not read.
			if err := run.ctx.Err(); err != nil {
				return err
			}
			if t.Empty() {
				return nil
			}
			if len(req.Tools) == 0 {
				if err := track.CheckOrder(t); err != nil {
					return err
				}
			}
			trim(t)
			run.in.add(t)
			res.Imported.addTracker(t)
			return nil
		}}
	err = imp.Import(bufio.NewReaderSize(cr, 64<<10), sess)
	run.in.close()
	if err != nil {
		run.stop()
		if failed, real := run.failure(); real {
			return nil, failed // the export's failure stopped the import
		}
		return nil, err
	}
	if res.Imported.Trackers == 0 {
		msg := msgNoTrackers
		if imp.Snags != "" {
			// The format as people name it: the message is read on the job page too.
			msg += fmt.Sprintf("Also note that this particular format (%s) has the following snags: %s", imp.Short, imp.Snags)
		}
		return nil, &format.UserError{Code: format.CodeNoTrackersRecovered, Msg: msg}
	}
	in := &res.Imported
	in.Width, in.Height = sess.Width, sess.Height
	if !imp.AutoSize {
		in.Width, in.Height = req.Width, req.Height
	}
	if w, h, started := run.size(); started && (w != in.Width || h != in.Height) {
		return nil, fmt.Errorf("%s: the comp size changed from %dx%d to %dx%d after the importer said it was final", imp.ID, w, h, in.Width, in.Height)
	}

	// Export (50-100 %).
	progress(50, fmt.Sprintf("Validating %d imported trackers", in.Trackers))
	progress(50, "Starting export")
	if err := run.finish(in.Width, in.Height, progress); err != nil {
		return nil, err
	}
	files, err := set.commit()
	if err != nil {
		return nil, err
	}
	res.Files = files
	res.Summary = res.Imported
	if len(req.Tools) > 0 {
		res.Summary = out.sum
	}
	progress(100, fmt.Sprintf("Wrote %d points and %d keyframes", res.Trackers, res.Keyframes))
	return res, nil
}

func chooseImporter(f *os.File, name string, req Request) (*format.Importer, error) {
	sized := req.Width > 0 && req.Height > 0
	var imp *format.Importer
	if req.Importer != "" {
		i, err := formats.LookupImporter(req.Importer)
		if err != nil {
			return nil, err
		}
		imp = i
	} else {
		head := make([]byte, formats.SniffSize)
		n, err := io.ReadFull(f, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		if imp, err = formats.Detect(name, head[:n]); err != nil {
			return nil, err
		}
	}
	if !imp.AutoSize && !sized {
		return nil, &format.UserError{Code: format.CodeDimensionsRequired, Msg: msgDimensions}
	}
	return imp, nil
}

func chooseExporters(names []string) ([]*format.Exporter, error) {
	if len(names) == 0 {
		return formats.DefaultExporters(), nil
	}
	var out []*format.Exporter
	seen := map[*format.Exporter]bool{}
	for _, n := range names {
		e, err := formats.LookupExporter(n)
		if err != nil {
			return nil, err
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// baseName is the file name without folders and without its last extension.
func baseName(name string) string {
	b := formats.BaseName(name)
	if i := strings.LastIndexByte(b, '.'); i > 0 {
		b = b[:i]
	}
	return b
}

// OutputName is the file an exporter writes for an input name (FORMATS.md §2.2).
func OutputName(input string, e *format.Exporter) string {
	return baseName(input) + "_" + e.Suffix
}

// checkEvery is how many keyframes of one tracker a chain sends between
// two looks at whether the run goes on (and two reports of where it is).
const checkEvery = 4096

// exportAll sends the trackers through one chain, as the reader delivers
// them. With whole set, an exporter that keeps every tracker takes the
// settled ones whole.
func exportAll(ctx context.Context, chain track.Exporter, w, h int, rd *reader, whole bool) error {
	if err := chain.StartExport(w, h); err != nil {
		return err
	}
	wholeExp, _ := chain.(track.WholeExporter)
	for {
		t, settled, ok := rd.read()
		if !ok {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if whole && settled && wholeExp != nil {
			// Nothing changes t on the way to this exporter: it may keep
			// the tracker rather than copy it keyframe by keyframe.
			// ExportWhole stands for StartTracker, the points and
			// EndTracker together, so none of them is called.
			if err := wholeExp.ExportWhole(t); err != nil {
				return err
			}
			continue
		}
		if err := chain.StartTracker(t.Name); err != nil {
			return err
		}
		for k, kf := range t.Keyframes {
			if k%checkEvery == checkEvery-1 {
				rd.sent(k)
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := chain.ExportPoint(kf); err != nil {
				return err
			}
		}
		if err := chain.EndTracker(); err != nil {
			return err
		}
	}
	// Exporters that keep every tracker write them all now: not for a
	// run that has failed.
	if err := ctx.Err(); err != nil {
		return err
	}
	return chain.EndExport()
}

// countingReader reports parse progress: 50 % × bytes read / size, with
// "Parsing the file" whenever it advanced more than 3 since the last report.
type countingReader struct {
	r        io.Reader
	size     int64
	read     int64
	percent  float64
	reported float64
	progress func(int, string)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	c.percent = 50 * float64(c.read) / float64(c.size)
	if c.percent > 50 {
		c.percent = 50 // the file grew while we read it
	}
	if c.percent-c.reported > 3 {
		c.reported = c.percent
		c.progress(int(c.percent), "Parsing the file")
	}
	return n, err
}
