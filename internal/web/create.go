package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/formats"
	"tracksgo/internal/jobs"
	"tracksgo/internal/tools"
)

const (
	// formOverhead is what a request may carry besides the file: the
	// multipart framing and the option fields.
	formOverhead = 1 << 20
	// maxField bounds one option field.
	maxField = 64 << 10
)

// inputError is a rejected upload: an HTTP status and a message for the user.
type inputError struct {
	code int
	msg  string
}

func (e *inputError) Error() string { return e.msg }

func badInput(code int, format string, args ...any) *inputError {
	return &inputError{code: code, msg: fmt.Sprintf(format, args...)}
}

// upload is a received file, stored under a server-chosen temporary name,
// or one the server holds already (stored.go).
type upload struct {
	path   string // where the file is: a temporary path in the upload directory for a new one
	name   string // the user's file name, cleaned
	size   int64
	source int    // fromRequest, fromKept or fromJob
	kept   string // fromKept: its token
	from   string // fromJob: the job's id
}

// create receives an upload and queues its job.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.UploadLimit+formOverhead)
	vals, up, err := s.receive(r)
	defer func() {
		// A new file not placed nor kept; held ones stay where they are.
		if up != nil && up.source == fromRequest && up.path != "" {
			os.Remove(up.path)
		}
	}()
	if err == nil && up == nil {
		up, err = s.storedUpload(r.Context(), vals)
	}
	var opts jobs.Options
	settings := false // the error is in the settings, not in the file
	if err == nil {
		opts, err = parseOptions(vals)
		settings = err != nil
	}
	if err == nil && up == nil {
		err = badInput(http.StatusBadRequest, "Choose a track file to convert.")
	}
	if err == nil {
		if berr := formats.Blacklisted(up.name); berr != nil {
			err = badInput(http.StatusUnprocessableEntity, "%s", berr.Error())
		}
	}
	if err == nil {
		err = checkSize(up, opts)
		settings = err != nil
	}
	if err != nil {
		s.reject(w, r, vals, up, settings, err)
		return
	}

	id := jobs.NewID()
	final := filepath.Join(s.cfg.UploadDir(), id)
	if err := s.place(up, final); err != nil {
		if up.source == fromJob && errors.Is(err, fs.ErrNotExist) {
			// The earlier job went (deleted, or past the retention)
			// since the form was shown.
			vals.Del(fieldFrom)
			s.reject(w, r, vals, nil, false, badInput(http.StatusUnprocessableEntity,
				"The file of the earlier job is no longer on the server. Choose the file again."))
			return
		}
		s.log.WithError(err).WithField("job", id).Error("storing upload")
		s.fail(w, r, http.StatusInternalServerError, "The upload could not be stored. Please try again.")
		return
	}
	if up.source == fromRequest {
		up.path = ""
		s.dropKept(strings.TrimSpace(vals.Get(fieldKept))) // replaced by the new file
	}
	token, hash := jobs.NewToken()
	j := &jobs.Job{ID: id, FileName: up.name, Upload: final, Options: opts, DeleteHash: hash}
	if err := s.store().Create(r.Context(), j); err != nil {
		os.Remove(final)
		s.log.WithError(err).WithField("job", id).Error("creating job")
		s.fail(w, r, http.StatusServiceUnavailable, "The job could not be queued right now. Please try again in a moment.")
		return
	}
	log := s.log.WithFields(logrus.Fields{"job": id, "file": up.name, "bytes": up.size, "importer": opts.Importer})
	if up.from != "" {
		log = log.WithField("upload_of", up.from)
	}
	log.Info("job queued")
	// The answer is the job as created (Create fills in what the
	// database set): a dispatcher, woken now, may claim it at once.
	s.queued()
	loc := "/jobs/" + id
	w.Header().Set("Location", loc)
	if wantsJSON(r) {
		writeJSON(w, http.StatusCreated, createdJSON{jobJSON: s.jobView(j), DeleteToken: token, DeleteURL: loc})
		return
	}
	s.setDeleteCookie(w, r, id, token)
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// createdJSON is the answer to an API client's upload: the job, and the
// token that deletes it (given only here).
type createdJSON struct {
	jobJSON
	DeleteToken string `json:"delete_token"`
	DeleteURL   string `json:"delete_url"` // DELETE with the token
}

// reject answers a refused upload: the form again with the message and
// the user's values, or JSON. A new file refused for its settings only
// is kept on the server, so that the form can be sent again without it;
// a file the server holds already is offered again.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, vals url.Values, up *upload, settings bool, err error) {
	var in *inputError
	if !errors.As(err, &in) {
		s.log.WithError(err).Error("receiving upload")
		in = badInput(http.StatusInternalServerError, "The upload could not be received. Please try again.")
	}
	if in.code == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close") // do not read the rest of a huge body
	}
	if wantsJSON(r) {
		writeJSON(w, in.code, errorJSON{Error: in.msg})
		return
	}
	p := s.newFormPage(vals)
	p.Error, p.Retry = in.msg, true
	if up != nil && up.source == fromRequest && settings && formats.Blacklisted(up.name) == nil {
		if _, err := s.keep(up); err != nil {
			s.log.WithError(err).Error("keeping the upload of a rejected form")
		} else {
			s.dropKept(strings.TrimSpace(vals.Get(fieldKept))) // replaced by the new file
		}
	}
	p.offer(storedFileOf(up))
	s.render(w, r, in.code, "form", p)
}

// receive reads the multipart body: the option fields into vals, the file
// into a temporary file of the upload directory (nil when none was sent).
// The file is streamed to disk, never held in memory.
func (s *Server) receive(r *http.Request) (vals url.Values, up *upload, err error) {
	vals = url.Values{}
	mr, err := r.MultipartReader()
	if err != nil {
		return vals, nil, badInput(http.StatusBadRequest,
			"Send the upload as a multipart form (multipart/form-data) with the track file in the field %q.", fieldFile)
	}
	fieldBytes := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return vals, up, nil
		}
		if err != nil {
			return vals, up, s.bodyError(err)
		}
		name := part.FormName()
		switch {
		case name == fieldFile:
			if up != nil {
				part.Close()
				return vals, up, badInput(http.StatusBadRequest, "Upload one file at a time.")
			}
			up, err = s.saveFile(part)
			if err != nil {
				return vals, up, err
			}
		case name != "":
			b, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if err != nil {
				return vals, up, s.bodyError(err)
			}
			fieldBytes += len(b)
			if len(b) > maxField || fieldBytes > formOverhead/2 {
				return vals, up, badInput(http.StatusBadRequest, "The form field %q is too long.", name)
			}
			vals.Add(name, string(b))
		}
		part.Close()
	}
}

// saveFile streams the file part into the upload directory. A part with
// neither a file name nor content is "no file chosen": nil, nil.
func (s *Server) saveFile(part *multipart.Part) (*upload, error) {
	if _, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition")); err == nil && hasControl(params["filename"]) {
		return nil, badControl
	}
	name := cleanFileName(part.FileName())
	f, err := os.CreateTemp(s.cfg.UploadDir(), ".incoming-*")
	if err != nil {
		return nil, fmt.Errorf("creating upload file: %w", err)
	}
	up := &upload{path: f.Name(), name: name}
	n, err := io.Copy(f, io.LimitReader(part, s.cfg.UploadLimit+1))
	up.size = n
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing upload file: %w", cerr)
	}
	if err != nil {
		return up, s.bodyError(err)
	}
	if n > s.cfg.UploadLimit {
		return up, s.tooLarge()
	}
	if n == 0 {
		if name == "" {
			os.Remove(up.path)
			return nil, nil
		}
		return up, badInput(http.StatusBadRequest, "The file %q is empty. Check that it was saved completely and upload it again.", name)
	}
	if up.name == "" {
		up.name = "upload.txt"
	}
	return up, nil
}

func (s *Server) tooLarge() *inputError {
	return badInput(http.StatusRequestEntityTooLarge,
		"The file is too large: uploads are limited to %s. Track exports are usually much smaller; check that this is the right file.",
		humanBytes(s.cfg.UploadLimit))
}

// badControl refuses a file name with a control character (a NUL byte,
// a line break, …): no application writes such names, and they would
// only confuse the logs, the mails and the downloads.
var badControl = badInput(http.StatusBadRequest,
	"The file name contains a control character (such as a NUL byte or a line break). Rename the file and upload it again.")

// hasControl tells whether s holds a control character (tab included).
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// bodyError explains a failure to read the request body.
func (s *Server) bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return s.tooLarge()
	}
	// A part header that does not parse: most often a file name with a
	// NUL byte or a line break in it, which ends the header line early.
	var pe textproto.ProtocolError
	if errors.As(err, &pe) {
		line, quoted := strings.CutPrefix(string(pe), "malformed MIME header line: ")
		if quoted {
			// The line is quoted in the message (Go ≥ 1.20).
			if q, err := strconv.Unquote(line); err == nil {
				line = q
			}
		}
		if quoted && hasControl(line) {
			return badControl
		}
		return badInput(http.StatusBadRequest, "The upload is not a valid form: a part header is malformed. Please try again.")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
		return badInput(http.StatusBadRequest, "The upload was cut off or is not a valid form. Please try again.")
	}
	return err
}

// cleanFileName keeps the last element of a path written with / or \,
// without control characters, and bounded in length.
func cleanFileName(name string) string {
	name = formats.BaseName(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		name = ""
	}
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// checkSize refuses, before a job is queued, a file whose format needs
// the comp size when none was given (detected the way the converter will
// detect it), which would fail at once.
func checkSize(up *upload, opts jobs.Options) error {
	if opts.Importer != "" || (opts.Width > 0 && opts.Height > 0) {
		return nil // parseOptions checked the size of a chosen importer
	}
	d, err := detectFile(up.path, up.name)
	if err != nil {
		return fmt.Errorf("reading upload: %w", err)
	}
	if !d.NeedsSize {
		return nil // an unknown format fails in its job, with the admin told
	}
	return badInput(http.StatusUnprocessableEntity,
		"Width and height must be provided for this file: it looks like a %s file, which does not store the comp size. Enter the size of the footage the tracks were made on and convert again.", d.Format)
}

// parseOptions checks the option fields and turns them into job options.
func parseOptions(vals url.Values) (jobs.Options, error) {
	var o jobs.Options
	bad := func(format string, args ...any) (jobs.Options, error) {
		return jobs.Options{}, badInput(http.StatusUnprocessableEntity, format, args...)
	}

	if name := strings.TrimSpace(vals.Get(fieldImporter)); name != "" && !strings.EqualFold(name, "auto") {
		imp, err := formats.LookupImporter(name)
		if err != nil {
			return bad("%s. Choose one of the listed formats, or automatic detection.", err.Error())
		}
		o.Importer = imp.Name()
	}
	var err error
	if o.Width, err = dimension(vals.Get(fieldWidth), "Width"); err != nil {
		return jobs.Options{}, err
	}
	if o.Height, err = dimension(vals.Get(fieldHeight), "Height"); err != nil {
		return jobs.Options{}, err
	}
	if o.Importer != "" {
		imp, _ := formats.LookupImporter(o.Importer)
		if !imp.AutoSize && (o.Width == 0 || o.Height == 0) {
			return bad("Width and height must be provided for %s files: they do not store the comp size. Enter the size of the footage the tracks were made on.", imp.Short)
		}
	}

	seen := map[string]bool{}
	for _, name := range vals[fieldExporter] {
		e, err := formats.LookupExporter(strings.TrimSpace(name))
		if err != nil {
			return bad("%s.", err.Error())
		}
		if !seen[e.Name()] {
			seen[e.Name()] = true
			o.Exporters = append(o.Exporters, e.Name())
		}
	}
	if len(o.Exporters) == 0 && vals.Get(fieldExporters) != "" {
		return bad("Choose at least one output format.")
	}

	for _, name := range vals[fieldTool] {
		if _, err := tools.Lookup(strings.TrimSpace(name)); err != nil {
			return bad("%s.", err.Error())
		}
	}
	// In the user's order (toolOrder), as on the command line.
	for _, name := range toolOrder(vals) {
		t, _ := tools.Lookup(name)
		spec := tools.Spec{Name: strings.ToLower(t.ID)}
		for _, p := range t.Params {
			if v := strings.TrimSpace(vals.Get(paramField(spec.Name, p.Name))); v != "" {
				if spec.Params == nil {
					spec.Params = tools.Values{}
				}
				spec.Params[p.Name] = v
			}
		}
		o.Tools = append(o.Tools, spec)
	}
	if text := strings.TrimSpace(vals.Get(fieldToolsJSON)); text != "" {
		var more []tools.Spec
		if err := json.Unmarshal([]byte(text), &more); err != nil {
			return bad("The tools field must be a JSON array of {\"name\": …, \"params\": {…}}: %v.", err)
		}
		o.Tools = append(o.Tools, more...)
	}
	if err := tools.Validate(o.Tools); err != nil {
		var pe *tools.ParamError
		if errors.As(err, &pe) {
			return bad("Tool settings: %s.", pe.Plain())
		}
		return bad("Tool settings: %s.", err.Error())
	}
	return o, nil
}

// dimension parses an optional width or height: empty is 0, anything else
// must be a positive whole number of pixels.
func dimension(text, what string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 || n > 1<<20 {
		return 0, badInput(http.StatusUnprocessableEntity, "%s must be a positive whole number of pixels, not %q.", what, text)
	}
	return n, nil
}

// humanBytes writes a size the way people read it: "64 MiB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		if n%(1<<20) == 0 {
			return fmt.Sprintf("%d MiB", n>>20)
		}
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
