package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
// into place only when the whole conversion succeeded (FORMATS.md §11.4).
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
	set, err := openOutputs(dir, baseName(name), outs, format.Options{Now: req.Now})
	if err != nil {
		return nil, err
	}
	defer set.abort()
	// With tools the outputs hold what the tools make of the import: the
	// exporter of chain 0, under its tools and Lint, counts what it gets.
	var out *counter
	if len(req.Tools) > 0 && len(set.outs) > 0 {
		out = newCounter(set.outs[0].exp)
		set.outs[0].exp = out
	}
	trackers := newFeed()
	run, err := set.prepare(ctx, req.Tools, trackers)
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
			if err := ctx.Err(); err != nil {
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
			trackers.add(t)
			res.Imported.addTracker(t)
			return nil
		}}
	err = imp.Import(bufio.NewReaderSize(cr, 64<<10), sess)
	trackers.close()
	if err != nil {
		return nil, err
	}
	if res.Imported.Trackers == 0 {
		msg := msgNoTrackers
		if imp.Snags != "" {
			msg += fmt.Sprintf("Also note that this particular format (%s) has the following snags: %s", imp.ID, imp.Snags)
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
	if out != nil {
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

// exportAll sends the trackers through one chain, as the feed delivers
// them. With progress set (only once the import is over) it reports
// 50-100 % with the original's messages.
func exportAll(ctx context.Context, chain track.Exporter, w, h int, trackers *feed, progress func(int, string)) error {
	if err := chain.StartExport(w, h); err != nil {
		return err
	}
	percent := 50.0
	n := trackers.len()
	var msg []byte
	for i := 0; ; i++ {
		t, ok := trackers.at(i)
		if !ok {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if progress == nil {
			if whole, ok := chain.(track.WholeExporter); ok && track.Settled(t) {
				// Nothing changes t on the way to this exporter: it may keep
				// the tracker rather than copy it keyframe by keyframe.
				// ExportWhole stands for StartTracker, the points and
				// EndTracker together, so none of them is called.
				if err := whole.ExportWhole(t); err != nil {
					return err
				}
				continue
			}
			if err := chain.StartTracker(t.Name); err != nil {
				return err
			}
			for _, kf := range t.Keyframes {
				if err := chain.ExportPoint(kf); err != nil {
					return err
				}
			}
			if err := chain.EndTracker(); err != nil {
				return err
			}
			continue
		}
		if err := chain.StartTracker(t.Name); err != nil {
			return err
		}
		step := (50.0 / float64(n)) / float64(t.Len())
		for k, kf := range t.Keyframes {
			if err := chain.ExportPoint(kf); err != nil {
				return err
			}
			percent += step
			// One report per keyframe, as the original, would cost a string
			// per point: report the first and last keyframe of each tracker
			// and every change of the whole percent.
			if k == 0 || k == t.Len()-1 || int(percent) != int(percent-step) {
				// Writing keyframe <k> of "<name>", <remaining> trackers to go
				msg = append(msg[:0], "Writing keyframe "...)
				msg = strconv.AppendInt(msg, int64(k+1), 10)
				msg = append(msg, ` of "`...)
				msg = append(msg, t.Name...)
				msg = append(msg, `", `...)
				msg = strconv.AppendInt(msg, int64(n-i), 10)
				msg = append(msg, " trackers to go"...)
				progress(int(percent), string(msg))
			}
		}
		if err := chain.EndTracker(); err != nil {
			return err
		}
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
