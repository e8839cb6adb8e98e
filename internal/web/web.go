// Package web is the HTTP side of the service: the upload form, job
// creation, the job page, the status action and the result downloads. It
// only talks to the job store and the progress reader; conversions run in
// other processes (worker, converter).
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/templates"
)

// Progress is what the status action answers for a job. Attempt (the
// job's run: every claim, whatever ended the one before) tells a poller
// that a lower percent is a new try, not the same one going back.
type Progress struct {
	State   jobs.State `json:"state"`
	Percent int        `json:"percent"`
	Message string     `json:"message"`
	Attempt int        `json:"attempt"`
	Error   string     `json:"error,omitempty"`
}

// ProgressReader reads the live progress a converter publishes for the
// current attempt of a running job. ok is false when there is none (not
// published yet, expired, or the cache is down); the caller then falls
// back to what the database says.
type ProgressReader interface {
	Progress(ctx context.Context, j *jobs.Job) (p Progress, ok bool)
}

// CachedProgress is a ProgressReader that may answer the status of a job
// from its id alone, without the database: when the cache tells it for
// sure (a final status, written once the database recorded it, or a
// running one its converter wrote just now). ok is false otherwise, and
// the status action then reads the job.
type CachedProgress interface {
	Cached(ctx context.Context, id string) (p Progress, ok bool)
}

// Server serves the site. Create it with New.
type Server struct {
	cfg      *config.Config
	db       atomic.Pointer[jobs.Store] // nil until the database is open
	progress ProgressReader
	log      logrus.FieldLogger
	assets   *templates.Assets
	static   map[string]bool // names served under StaticPrefix
	pages    *templates.Pages
	mux      *http.ServeMux
	handler  http.Handler
	queued   func() // called after a job was queued; never nil
	formBody []byte // the fresh form, rendered once (renderForm)
	formETag string

	bodiesMu sync.Mutex
	bodies   map[Progress][]byte // status answers already encoded
}

// MsgNoDatabase is what every page and action answers (503) while the
// job database cannot be opened.
const MsgNoDatabase = "The service is unavailable: it cannot read its job database. Please try again later."

// New builds the server. progress may be nil: the status action then
// answers from the database alone. store may be nil: every request but
// the static files is then answered 503 (MsgNoDatabase) until SetStore.
func New(cfg *config.Config, store jobs.Store, progress ProgressReader, log logrus.FieldLogger) (*Server, error) {
	assets, err := templates.LoadAssets()
	if err != nil {
		return nil, err
	}
	pages, err := templates.LoadPages(assets, nil)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.UploadDir(), 0o755); err != nil {
		return nil, fmt.Errorf("upload directory: %w", err)
	}
	s := &Server{cfg: cfg, progress: progress, log: log, assets: assets, pages: pages, static: map[string]bool{},
		queued: func() {}, bodies: map[Progress][]byte{}}
	for _, a := range assets.List() {
		s.static[a.Name], s.static[a.Hashed] = true, true
	}
	if store != nil {
		s.SetStore(store)
	}
	if err := s.renderForm(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.form)
	mux.HandleFunc("POST /jobs", s.create)
	mux.HandleFunc("GET /jobs/{id}", s.job)
	mux.HandleFunc("GET /jobs/{id}/status", s.status)
	mux.HandleFunc("GET /jobs/{id}/download", s.download)
	mux.HandleFunc("GET /jobs/{id}/files/{name}", s.file)
	mux.HandleFunc("GET /jobs/{id}/again", s.again)
	mux.HandleFunc("DELETE /jobs/{id}", s.deleteJob)
	mux.HandleFunc("POST /jobs/{id}/delete", s.deleteJob)
	mux.HandleFunc("POST /detect", s.detectAction)
	mux.HandleFunc("GET "+templates.StaticPrefix, s.staticFile)
	mux.HandleFunc("/", s.notFound)
	s.mux = mux
	s.handler = s.guard(mux)
	return s, nil
}

// OnQueued sets what is called after each job is queued (the fcgi
// program wakes its dispatcher); it must not block. Set it before serving.
func (s *Server) OnQueued(f func()) { s.queued = f }

// SetStore makes the job database available to the handlers.
func (s *Server) SetStore(store jobs.Store) { s.db.Store(&store) }

// store is the job database, or nil while it is not open.
func (s *Server) store() jobs.Store {
	if p := s.db.Load(); p != nil {
		return *p
	}
	return nil
}

// Assets are the static files, for exporting them to the web server.
func (s *Server) Assets() *templates.Assets { return s.assets }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// guard sets the headers every answer carries and turns a panic into a
// logged 500 page instead of a dropped connection.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.WithFields(logrus.Fields{"method": r.Method, "path": r.URL.Path, "panic": fmt.Sprint(v)}).Error("handler panicked")
				s.fail(w, r, http.StatusInternalServerError, "The server met an internal error. Please try again in a moment.")
			}
		}()
		if s.store() == nil && !strings.HasPrefix(r.URL.Path, templates.StaticPrefix) {
			// The pages need the database; the static files let the
			// message page keep its look.
			if isStatusPath(r.URL.Path) {
				r.Header.Set("Accept", "application/json")
			}
			h.Set("Cache-Control", "no-store")
			h.Set("Retry-After", "30")
			s.fail(w, r, http.StatusServiceUnavailable, MsgNoDatabase)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isStatusPath tells the status action's URL, which answers JSON only.
func isStatusPath(p string) bool {
	return strings.HasPrefix(p, "/jobs/") && strings.HasSuffix(p, "/status")
}

// staticFile serves an embedded static file. A missing one is a 404 that
// no cache may keep: a later release may add that very name. (lighttpd
// hands the app the static URLs it finds no file for.)
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) {
	if !s.static[strings.TrimPrefix(r.URL.Path, templates.StaticPrefix)] {
		w.Header().Set("Cache-Control", "no-store")
		s.fail(w, r, http.StatusNotFound, "There is no file at this address.")
		return
	}
	s.assets.ServeHTTP(w, r)
}

// wantsJSON tells an API client from a browser.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(append(body, '\n'))
}

type errorJSON struct {
	Error string `json:"error"`
}

// render writes a page, or a plain 500 if the template fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, data any) {
	body, err := s.pages.Render(page, data)
	if err != nil {
		s.log.WithError(err).WithField("path", r.URL.Path).Error("rendering page")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(code)
	w.Write(body)
}

type messagePage struct {
	Title   string
	Message string
}

// fail answers an error as JSON or as a page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if wantsJSON(r) {
		writeJSON(w, code, errorJSON{Error: msg})
		return
	}
	page, title := "error", "Error"
	if code == http.StatusNotFound {
		page, title = "notfound", "Not found"
	}
	s.render(w, r, code, page, messagePage{Title: title, Message: msg})
}

// notFound answers what no route took: 405 with Allow when the address
// is known but not for this method (OPTIONS: 204 with Allow), else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	allow := s.allowed(r)
	if len(allow) == 0 {
		s.fail(w, r, http.StatusNotFound, "There is no page at this address.")
		return
	}
	allow = append(allow, http.MethodOptions)
	w.Header().Set("Allow", strings.Join(allow, ", "))
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.fail(w, r, http.StatusMethodNotAllowed,
		fmt.Sprintf("This address does not take %s requests; it takes %s.", printable(r.Method), strings.Join(allow, ", ")))
}

// allowed lists the methods that a route of the site takes at the
// request's path, asking the router itself.
func (s *Server) allowed(r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	return allow
}

// printable bounds a method name echoed in a message.
func printable(method string) string {
	if len(method) > 20 {
		method = method[:20]
	}
	return strings.Map(func(r rune) rune {
		if r < '!' || r > '~' {
			return '?'
		}
		return r
	}, method)
}

// idPattern is the shape of jobs.NewID: 128 random bits in hex.
var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

const noSuchJob = "There is no job at this address. It may have expired, or the link is incomplete."

// loadJob finds the job of the request, or answers 404 and returns nil.
func (s *Server) loadJob(w http.ResponseWriter, r *http.Request) *jobs.Job {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		s.fail(w, r, http.StatusNotFound, noSuchJob)
		return nil
	}
	j, err := s.store().Get(r.Context(), id)
	if errors.Is(err, jobs.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, noSuchJob)
		return nil
	}
	if err != nil {
		s.log.WithError(err).WithField("job", id).Error("reading job")
		s.fail(w, r, http.StatusServiceUnavailable, "The job database is not available right now. Please try again in a moment.")
		return nil
	}
	return j
}

// status answers the live progress of a job; never cached.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Header.Set("Accept", "application/json") // errors as JSON too
	// Every open job page polls this: what the cache tells for sure
	// costs no database work.
	if c, ok := s.progress.(CachedProgress); ok {
		if id := r.PathValue("id"); idPattern.MatchString(id) {
			if p, ok := c.Cached(r.Context(), id); ok {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.Write(s.statusBody(p))
				return
			}
		}
	}
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	writeJSON(w, http.StatusOK, s.progressOf(r.Context(), j))
}

// statusBody is p as the status action answers it. Every open job page
// polls it, and most polls find what the last one found: each answer is
// encoded once.
func (s *Server) statusBody(p Progress) []byte {
	s.bodiesMu.Lock()
	defer s.bodiesMu.Unlock()
	if b, ok := s.bodies[p]; ok {
		return b
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // strings and numbers only
	}
	if len(s.bodies) >= statusBodies {
		clear(s.bodies)
	}
	b = append(b, '\n')
	s.bodies[p] = b
	return b
}

// statusBodies bounds the answers statusBody keeps.
const statusBodies = 4096

// progressOf is the live progress of a running job, else what the
// database says.
func (s *Server) progressOf(ctx context.Context, j *jobs.Job) Progress {
	switch j.State {
	case jobs.Done:
		msg := "Done"
		if j.Result != nil {
			msg = fmt.Sprintf("Wrote %d points and %d keyframes", j.Result.Trackers, j.Result.Keyframes)
		}
		return Progress{State: j.State, Percent: 100, Message: msg, Attempt: j.Runs}
	case jobs.Failed:
		return Progress{State: j.State, Percent: 100, Message: "Failed", Error: j.Error, Attempt: j.Runs}
	case jobs.Queued:
		msg := "Waiting in the queue"
		if j.Runs > 0 {
			msg = "Waiting in the queue to be tried again"
		}
		return Progress{State: j.State, Message: msg, Attempt: j.Runs}
	}
	if s.progress != nil {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if p, ok := s.progress.Progress(ctx, j); ok {
			// The database says whether the job ended; the cache may be
			// a moment ahead of it.
			p.State, p.Error, p.Attempt = jobs.Running, "", j.Runs
			return p
		}
	}
	return Progress{State: j.State, Message: "Converting", Attempt: j.Runs}
}

// ErrorPage is one answer the web server gives itself, as a page for
// browsers and as JSON for API clients.
type ErrorPage struct {
	HTML, JSON []byte
}

// ErrorPages are the answers the web server gives itself for errors met
// without the application: a request it cannot parse or whose body is over
// its limit, or the application not answering. Keyed by status code.
func (s *Server) ErrorPages() (map[int]ErrorPage, error) {
	const retry = "Please try again in a moment."
	msgs := map[int]string{
		http.StatusBadRequest:                  "The request was malformed. Reload the page and try again.",
		http.StatusRequestTimeout:              "The request took too long to arrive. " + retry,
		http.StatusLengthRequired:              "The request did not say how long its body is.",
		http.StatusRequestEntityTooLarge:       s.tooLarge().msg,
		http.StatusRequestURITooLong:           "The address is too long.",
		http.StatusExpectationFailed:           "The request asked for an expectation the server does not support.",
		http.StatusRequestHeaderFieldsTooLarge: "The request headers are too large.",
		http.StatusInternalServerError:         "The server met an internal error. " + retry,
		http.StatusNotImplemented:              "The server does not support this request method.",
		http.StatusBadGateway:                  "The service is restarting. " + retry,
		http.StatusServiceUnavailable:          "The service is busy or restarting. " + retry,
		http.StatusGatewayTimeout:              "The service took too long to answer. " + retry,
		http.StatusHTTPVersionNotSupported:     "The server does not support this HTTP version.",
	}
	pages := map[int]ErrorPage{}
	for code, msg := range msgs {
		body, err := s.pages.Render("error", messagePage{Title: http.StatusText(code), Message: msg})
		if err != nil {
			return nil, err
		}
		js, err := json.Marshal(errorJSON{Error: msg})
		if err != nil {
			return nil, err
		}
		pages[code] = ErrorPage{HTML: body, JSON: append(js, '\n')}
	}
	return pages, nil
}
