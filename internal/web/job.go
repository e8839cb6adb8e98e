package web

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/jobs"
	"tracksgo/internal/preview"
	"tracksgo/internal/tools"
)

// jobJSON is a job as the API shows it: the job and where to find its parts.
type jobJSON struct {
	*jobs.Job
	URL         string   `json:"url"`
	StatusURL   string   `json:"status_url"`
	DownloadURL string   `json:"download_url,omitempty"`
	FileURLs    []string `json:"file_urls,omitempty"`
}

func (s *Server) jobView(j *jobs.Job) jobJSON {
	v := jobJSON{Job: j, URL: "/jobs/" + j.ID, StatusURL: "/jobs/" + j.ID + "/status"}
	if j.State == jobs.Done && j.Result != nil {
		v.DownloadURL = v.URL + "/download"
		for _, f := range j.Result.Files {
			v.FileURLs = append(v.FileURLs, fileURL(j.ID, f))
		}
	}
	return v
}

func fileURL(id, name string) string {
	return "/jobs/" + id + "/files/" + url.PathEscape(name)
}

type fileLink struct {
	Name, URL, Format, Size string
}

// jobPage is the job page in any state.
type jobPage struct {
	Title     string
	Job       *jobs.Job
	Progress  Progress
	Refresh   bool
	StatusURL string
	ZipURL    string
	Format    string // the format the file was read as, by its short name
	Detected  bool   // the format was detected, not chosen
	Files     []fileLink
	Error     string // a failed job's message, in the page's words (plainError)
	Hints     []string
	// AgainURL is the form filled with this job's settings and file.
	AgainURL string
	// DeleteURL deletes the job; CanDelete: this browser created it.
	DeleteURL string
	CanDelete bool
	Retention string
	Tools     []toolApplied // the job's tools, in the order they ran
	// Imported is what the file held before the tools, shown when there
	// were tools; the result itself describes the outputs.
	Imported *jobs.Summary
	// Preview draws the outputs' trackers; nil for a job converted
	// before previews were made.
	Preview *previewView
}

// previewView is the drawing the converter left beside the outputs,
// inlined so that its titles and hover work without a script, and the
// table of its trackers.
type previewView struct {
	SVG   template.HTML // written by the converter (internal/preview), names escaped there
	Rows  []previewRow
	Table *preview.Table
}

// previewRow is a row of the trackers' table; ID is its tracker's group
// in the drawing.
type previewRow struct {
	preview.Row
	ID     string
	Swatch template.CSS // its colour, "#rrggbb", for the swatch
}

// loadPreview reads a done job's preview, nil where there is none.
func (s *Server) loadPreview(j *jobs.Job) *previewView {
	svg, table, err := preview.Read(s.cfg.ResultDir(j.ID))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.WithError(err).WithField("job", j.ID).Error("reading the preview")
		}
		return nil
	}
	v := &previewView{SVG: template.HTML(svg), Table: table}
	for i, row := range table.Trackers {
		color := template.CSS("transparent")
		if validColor(row.Color) {
			color = template.CSS(row.Color)
		}
		v.Rows = append(v.Rows, previewRow{Row: row, ID: preview.TrackerID(i), Swatch: color})
	}
	return v
}

// validColor accepts "#rrggbb" only: the table's colours go into a style.
func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// toolApplied is one tool of a job as the page lists it: the tool's title
// and description, as the upload form shows them, and the parameters given.
type toolApplied struct {
	ID, Title, Desc string
	Params          []string // `Slip (frames) 1000`, `Prefix text "cam_A"`, in the tool's order of parameters
}

// toolsApplied lists a job's tools in the order they ran.
func toolsApplied(specs []tools.Spec) []toolApplied {
	var list []toolApplied
	for _, s := range specs {
		t, err := tools.Lookup(s.Name)
		if err != nil {
			// Every stored tool was checked when the job was made.
			list = append(list, toolApplied{ID: s.Name, Title: s.Name})
			continue
		}
		a := toolApplied{ID: t.ID, Title: t.Title, Desc: t.Desc}
		for _, p := range t.Params {
			// As the tools read them: an empty value is not given, and
			// only a text keeps its spaces (quoted, so that they show).
			v := s.Params[p.Name]
			if p.Type != "string" {
				v = strings.TrimSpace(v)
			}
			label := p.Label
			if label == "" {
				label = p.Name
			}
			switch {
			case v == "":
			case p.Type == "string":
				a.Params = append(a.Params, fmt.Sprintf("%s %q", label, v))
			default:
				a.Params = append(a.Params, label+" "+v)
			}
		}
		list = append(list, a)
	}
	return list
}

func (s *Server) job(w http.ResponseWriter, r *http.Request) {
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, s.jobView(j))
		return
	}
	w.Header().Set("Vary", "Cookie") // the delete button is the creator's
	p := &jobPage{Title: j.FileName, Job: j, StatusURL: "/jobs/" + j.ID + "/status",
		AgainURL: "/jobs/" + j.ID + "/again", DeleteURL: "/jobs/" + j.ID + "/delete",
		CanDelete: canDelete(r), Retention: humanDuration(s.cfg.Retention), Detected: j.Options.Importer == ""}
	switch j.State {
	case jobs.Done:
		if j.Result == nil {
			j.Result = &jobs.Result{}
		}
		p.ZipURL = "/jobs/" + j.ID + "/download"
		p.Tools = toolsApplied(j.Options.Tools)
		if len(p.Tools) > 0 {
			p.Imported = j.Result.Imported
		}
		p.Format = j.Result.Importer
		if imp, err := formats.LookupImporter(j.Result.Importer); err == nil {
			p.Format = imp.Short
		}
		sizes := s.outputSizes(j)
		for _, name := range j.Result.Files {
			link := fileLink{Name: name, URL: fileURL(j.ID, name), Format: exporterOf(name)}
			if n, ok := sizes[name]; ok {
				link.Size = humanBytes(n)
			}
			p.Files = append(p.Files, link)
		}
		p.Preview = s.loadPreview(j)
	case jobs.Failed:
		p.Error = plainError(j.Error)
		p.Hints = hintsFor(j, importerOf(j))
	default:
		p.Refresh = true
		p.Progress = s.progressOf(r.Context(), j)
	}
	s.render(w, r, http.StatusOK, "job", p)
}

// exporterOf names the format of an output file by its suffix.
func exporterOf(name string) string {
	best, human := 0, ""
	for _, e := range formats.Exporters() {
		if strings.HasSuffix(name, "_"+e.Suffix) && len(e.Suffix) > best {
			best, human = len(e.Suffix), e.Human
		}
	}
	return human
}

// importerOf is the importer a failed job's file was read with: the one
// chosen, else the one detection picks (as the converter did); nil when
// none claims it or the upload is gone.
func importerOf(j *jobs.Job) *format.Importer {
	if j.Options.Importer != "" {
		imp, _ := formats.LookupImporter(j.Options.Importer)
		return imp
	}
	d, err := detectFile(j.Upload, j.FileName)
	if err != nil || d.Importer == "" {
		return nil
	}
	imp, _ := formats.LookupImporter(d.Importer)
	return imp
}

// plainError is a failed job's message in the page's words: formats by
// the names people know them by, not their ids. The stored message (the
// API's, the mail's) stays as the converter wrote it.
func plainError(msg string) string {
	msg = strings.Replace(msg, format.MsgDimensionsRequired, "Width and height must be provided for this file", 1)
	// The reference's words for a file without trackers guess at the
	// format; the page says what was read instead.
	if rest, ok := strings.CutPrefix(msg, noTrackers); ok {
		msg = "No tracker with keyframes was found in this file."
		if f, snags, ok := strings.Cut(strings.TrimPrefix(rest, "Also note that this particular format ("), ") has the following snags: "); ok {
			msg += " It was read as " + f + ". " + snags
		}
		return msg
	}
	// Errors in the file start with the id of the importer that read it.
	if id, rest, ok := strings.Cut(msg, ": "); ok && !strings.Contains(id, " ") {
		if imp, err := formats.LookupImporter(id); err == nil {
			msg = imp.Short + ": " + rest
		}
	}
	return msg
}

// noTrackers starts the message of a file without trackers (FORMATS.md
// §2.5, NoTrackersRecovered).
const noTrackers = "Could not recover any non-empty trackers from this file.\nWrong import format maybe?\n"

// hintsFor suggests what to try after a failure, from its message and
// the format the file was read as (imp; nil when unknown).
func hintsFor(j *jobs.Job, imp *format.Importer) []string {
	msg := j.Error
	var hints []string
	switch {
	case strings.Contains(msg, "Width and height"):
		what := "this format does not store them in the file"
		if imp != nil && imp.SizeInFile {
			what = "this file does not hold them, though some " + imp.Short + " files do"
		} else if imp != nil {
			what = imp.Short + " files do not store them"
		}
		hints = append(hints, "Enter the comp width and height on the form: "+what+". Use the size of the footage the tracks were made on.")
	case strings.Contains(msg, "Unknown input format"):
		hints = append(hints,
			"Choose the input format on the form instead of automatic detection: a file that was edited by hand may no longer look like its format.",
			"Check that the file is a 2D track export from one of the supported applications; project files, images and movies cannot be read.")
	case strings.Contains(msg, "Could not recover any"):
		hints = append(hints, noTrackerHints(j, imp)...)
	case strings.Contains(msg, "empty"):
		hints = append(hints, "Check that the file was saved completely before uploading it.")
	case strings.Contains(msg, "did not finish"), strings.Contains(msg, "took too long"), strings.Contains(msg, "timed out"), strings.Contains(msg, "took longer"):
		hints = append(hints, "Try again in a little while; if the file is very large, try fewer output formats or a smaller export.")
	default:
		hints = append(hints, "Export the tracks again from the application and upload the new file.")
	}
	if len(j.Options.Tools) > 0 {
		var names []string
		for _, t := range toolsApplied(j.Options.Tools) {
			names = append(names, t.Title)
		}
		hints = append(hints, "Try without the tools ("+strings.Join(names, ", ")+"): some of them, such as Drop short trackers or Crop, can remove every tracker.")
	}
	return hints
}

// noTrackerHints fit a file that was read but held no tracker.
func noTrackerHints(j *jobs.Job, imp *format.Importer) []string {
	if imp == nil {
		return []string{"Check that the tracks were exported, not only the scene."}
	}
	switch imp.ID {
	case "NukeScript":
		return []string{
			"Check that the script has a Tracker, Reconcile3D, Transform, PlanarTracker or CornerPin2D node whose points are animated (keyframed, not set by an expression): other nodes are not read.",
			"For the tracks of a CameraTracker node, export them from its Tracking tab and upload that file instead.",
		}
	case "Syntheyes", "SyntheyesAllTrackerPaths":
		other := "Syntheyes"
		if imp.ID == "Syntheyes" {
			other = "SyntheyesAllTrackerPaths"
		}
		o, _ := formats.LookupImporter(other)
		return []string{"SynthEyes writes two kinds of track export: choose " + o.Short + " as the input format on the form."}
	case "PFTrack":
		return []string{"PFTrack exports the trackers of the solved part of the shot only: delete the camera solve, export again and upload the new file."}
	case "ShakeScript":
		return []string{"Remove the expressions from the tracker nodes (or those nodes) in Shake, save the script and upload it again."}
	}
	if j.Options.Importer == "" {
		return []string{"Check that the tracks were exported, not only the scene; if the file comes from another application than " + imp.Short + ", choose its format on the form."}
	}
	return []string{"Check that the tracks were exported, not only the scene, and that " + imp.Short + " is the format of the file: automatic detection may know better."}
}

// download sends the zip of every output.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	if j.State != jobs.Done {
		s.fail(w, r, http.StatusNotFound, "This job has no results yet.")
		return
	}
	s.serveResult(w, r, j, ZipPath(s.cfg.ResultDir(j.ID), j), ZipName(j), "application/zip")
}

// file sends one output, by a name listed in the job's result only.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	name := r.PathValue("name")
	if j.State != jobs.Done || j.Result == nil || !slices.Contains(j.Result.Files, name) ||
		name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || name == ".." {
		s.fail(w, r, http.StatusNotFound, "This job has no file of that name.")
		return
	}
	s.serveZipped(w, r, j, name, "text/plain; charset=utf-8")
}

// serveResult sends a result file as an attachment. Results never change
// once written, so they are cacheable as immutable, with validators.
func (s *Server) serveResult(w http.ResponseWriter, r *http.Request, j *jobs.Job, path, name, ctype string) {
	f, err := os.Open(path)
	if err != nil {
		s.log.WithError(err).WithFields(logrus.Fields{"job": j.ID, "file": name}).Error("opening result")
		s.fail(w, r, http.StatusNotFound, "This result is no longer on the server. Convert the file again.")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The result could not be read.")
		return
	}
	serveDownload(w, r, name, ctype, fmt.Appendf(nil, "%s\x00%s\x00%d\x00%d", j.ID, name, fi.Size(), fi.ModTime().UnixNano()), fi.ModTime(), f)
}
