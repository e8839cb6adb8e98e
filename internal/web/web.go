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
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/templates"
)

// Progress is what the status action answers for a job.
type Progress struct {
	State   jobs.State `json:"state"`
	Percent int        `json:"percent"`
	Message string     `json:"message"`
	Error   string     `json:"error,omitempty"`
}

// ProgressReader reads the live progress a converter publishes for the
// current attempt of a running job. ok is false when there is none (not
// published yet, expired, or the cache is down); the caller then falls
// back to what the database says.
type ProgressReader interface {
	Progress(ctx context.Context, j *jobs.Job) (p Progress, ok bool)
}

// Server serves the site. Create it with New.
type Server struct {
	cfg      *config.Config
	store    jobs.Store
	progress ProgressReader
	log      logrus.FieldLogger
	assets   *templates.Assets
	pages    *templates.Pages
	handler  http.Handler
}

// New builds the server. progress may be nil: the status action then
// answers from the database alone.
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
	s := &Server{cfg: cfg, store: store, progress: progress, log: log, assets: assets, pages: pages}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.form)
	mux.HandleFunc("POST /jobs", s.create)
	mux.HandleFunc("GET /jobs/{id}", s.job)
	mux.HandleFunc("GET /jobs/{id}/status", s.status)
	mux.HandleFunc("GET /jobs/{id}/download", s.download)
	mux.HandleFunc("GET /jobs/{id}/files/{name}", s.file)
	mux.Handle("GET "+templates.StaticPrefix, assets)
	mux.HandleFunc("/", s.notFound)
	s.handler = s.guard(mux)
	return s, nil
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
		next.ServeHTTP(w, r)
	})
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

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "There is no page at this address.")
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
	j, err := s.store.Get(r.Context(), id)
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
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	writeJSON(w, http.StatusOK, s.progressOf(r.Context(), j))
}

// progressOf is the live progress of a running job, else what the
// database says.
func (s *Server) progressOf(ctx context.Context, j *jobs.Job) Progress {
	switch j.State {
	case jobs.Done:
		msg := "Done"
		if j.Result != nil {
			msg = fmt.Sprintf("Wrote %d points and %d keyframes", j.Result.Trackers, j.Result.Keyframes)
		}
		return Progress{State: j.State, Percent: 100, Message: msg}
	case jobs.Failed:
		return Progress{State: j.State, Percent: 100, Message: "Failed", Error: j.Error}
	case jobs.Queued:
		msg := "Waiting in the queue"
		if j.Attempts > 0 {
			msg = "Waiting in the queue to be tried again"
		}
		return Progress{State: j.State, Message: msg}
	}
	if s.progress != nil {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if p, ok := s.progress.Progress(ctx, j); ok {
			// The database says whether the job ended; the cache may be
			// a moment ahead of it.
			p.State, p.Error = jobs.Running, ""
			return p
		}
	}
	return Progress{State: j.State, Message: "Converting"}
}

// ErrorPages are the pages the web server shows itself for errors it
// answers without the application: a request body over its limit, or the
// application not answering. Keyed by status code.
func (s *Server) ErrorPages() (map[int][]byte, error) {
	msgs := map[int]string{
		http.StatusRequestEntityTooLarge: s.tooLarge().msg,
		http.StatusInternalServerError:   "The server met an internal error. Please try again in a moment.",
		http.StatusBadGateway:            "The service is restarting. Please try again in a moment.",
		http.StatusServiceUnavailable:    "The service is busy or restarting. Please try again in a moment.",
		http.StatusGatewayTimeout:        "The service took too long to answer. Please try again in a moment.",
	}
	pages := map[int][]byte{}
	for code, msg := range msgs {
		body, err := s.pages.Render("error", messagePage{Title: http.StatusText(code), Message: msg})
		if err != nil {
			return nil, err
		}
		pages[code] = body
	}
	return pages, nil
}
