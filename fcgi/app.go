package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"

	"tracksgo/internal/jobs"
	"tracksgo/internal/logging"
	"tracksgo/internal/status"
	"tracksgo/internal/web"
)

// drainTimeout bounds how long requests in flight may finish on shutdown.
const drainTimeout = 5 * time.Second

// Main is the fcgi program.
type Main struct {
	// Getenv reads the configuration (os.Getenv in production).
	Getenv func(string) string
	// Listen, if set, serves plain HTTP on that address instead of
	// FastCGI on standard input.
	Listen string
	// Listener, if set, is used as it is (FastCGI unless HTTP is true).
	Listener net.Listener
	HTTP     bool
	// NoWorker runs without a dispatcher (tests of the web side alone).
	NoWorker bool

	Config *config.Config
	Log    *logrus.Logger
	// Addr is the address served, once Run has started listening.
	Addr chan net.Addr

	// opener, if set, opens the database (tests shorten its backoff).
	opener *opener

	closeOnce sync.Once
	mu        sync.Mutex
	closers   []io.Closer
}

func (m *Main) addCloser(c io.Closer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closers = append(m.closers, c)
}

// NewMain returns a Main reading the process environment.
func NewMain() *Main {
	return &Main{Getenv: os.Getenv, Addr: make(chan net.Addr, 1)}
}

// StaticDir is where the fingerprinted static files are exported for
// lighttpd to serve (lighttpd.conf maps /static/ to it).
func StaticDir(c *config.Config) string { return filepath.Join(c.DataDir, "static") }

// ErrorDir is where the error pages lighttpd shows itself are exported
// (lighttpd.conf: server.errorfile-prefix).
func ErrorDir(c *config.Config) string { return filepath.Join(c.DataDir, "errors") }

// DBNote is the file through which the FastCGI processes log a database
// problem once between them.
func DBNote(c *config.Config) string { return filepath.Join(c.DataDir, "run", "db-problem") }

// exportErrorPages writes status-<code>.html files for browsers, and the
// same answers as JSON in json/status-<code>.html for API clients
// (lighttpd.conf picks the folder by the Accept header; the name must end
// in .html, the type is set there), each renamed into place.
func exportErrorPages(srv *web.Server, dir string) error {
	pages, err := srv.ErrorPages()
	if err != nil {
		return err
	}
	for code, page := range pages {
		name := fmt.Sprintf("status-%d.html", code)
		if err := writeFile(filepath.Join(dir, name), page.HTML); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "json", name), page.JSON); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes a file readable by all under a temporary name and
// renames it into place, so that a reader never sees half of it.
func writeFile(final string, body []byte) error {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".status-*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", final, err)
	}
	return nil
}

// Run serves until ctx is cancelled, then shuts down in order: stop
// accepting, let requests in flight finish (bounded), stop the dispatcher
// and wait for it (bounded). It returns nil after a clean shutdown.
func (m *Main) Run(ctx context.Context) error {
	cfg, err := config.FromEnv(m.Getenv)
	if err != nil {
		return err
	}
	m.Config = cfg
	log, logCloser, err := logging.New(cfg.LogDir, "fcgi")
	if err != nil {
		return fmt.Errorf("logging: %w", err)
	}
	m.Log = log
	m.addCloser(logCloser)
	entry := log.WithField("pid", os.Getpid())

	// The pages need the database: until it opens they answer 503 saying
	// so (web.MsgNoDatabase), and the process stays up meanwhile.
	srv, err := web.New(cfg, nil, memcachedProgress{status.NewReader(cfg.Memcached)}, entry)
	if err != nil {
		entry.WithError(err).Error("starting the web handlers")
		return err
	}
	if err := srv.Assets().Export(StaticDir(cfg)); err != nil {
		entry.WithError(err).Error("exporting static files")
		return err
	}

	if err := exportErrorPages(srv, ErrorDir(cfg)); err != nil {
		entry.WithError(err).Error("exporting error pages")
		return err
	}

	l, useHTTP, err := m.listener()
	if err != nil {
		entry.WithError(err).Error("listening")
		return err
	}
	m.Addr <- l.Addr()

	// Open the database (retrying while it cannot be read), then keep the
	// dispatcher running as long as this process lives, restarted if it
	// dies. No dispatcher runs without a database.
	superCtx, stopSuper := context.WithCancel(context.Background())
	superDone := make(chan struct{})
	sup := &supervisor{cfg: cfg, log: entry}
	// A job queued here wakes this process's dispatcher on its lifeline;
	// the other dispatchers see the database change within a moment.
	srv.OnQueued(sup.wake)
	op := m.opener
	if op == nil {
		op = &opener{open: jobs.OpenSQLite}
	}
	op.path, op.log, op.note = cfg.DBPath, entry, DBNote(cfg)
	// The first try is made before serving, so that a healthy start never
	// answers 503.
	store := op.attempt()
	if store != nil {
		m.addCloser(store)
		srv.SetStore(store)
	}
	go func() {
		defer close(superDone)
		if store == nil {
			if store = op.run(superCtx); store == nil {
				return
			}
			m.addCloser(store)
			srv.SetStore(store)
		}
		if !m.NoWorker && superCtx.Err() == nil {
			sup.run(superCtx)
		}
	}()

	var inflight sync.WaitGroup
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inflight.Add(1)
		defer inflight.Done()
		srv.ServeHTTP(w, r)
	})

	serveErr := make(chan error, 1)
	var hs *http.Server
	if useHTTP {
		hs = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		go func() { serveErr <- hs.Serve(l) }()
	} else {
		go func() { serveErr <- fcgi.Serve(bufferedListener{l}, handler) }()
	}
	entry.WithFields(logrus.Fields{"addr": l.Addr().String(), "http": useHTTP}).Info("serving")

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, http.ErrServerClosed) {
			runErr = fmt.Errorf("serving: %w", err)
			entry.WithError(err).Error("serving stopped")
		}
	}

	entry.Info("shutting down")
	drainCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	if hs != nil {
		hs.Shutdown(drainCtx)
	} else {
		l.Close()
		os.Stdin.Close() // the socket lighttpd passed: refuse new connections
		waitGroup(drainCtx, &inflight)
	}
	cancel()
	stopSuper()
	<-superDone
	entry.Info("stopped")
	return runErr
}

// listener is what Run serves on: the given listener, a TCP address for
// HTTP, or the FastCGI socket lighttpd passes as standard input.
func (m *Main) listener() (net.Listener, bool, error) {
	switch {
	case m.Listener != nil:
		return m.Listener, m.HTTP, nil
	case m.Listen != "":
		l, err := net.Listen("tcp", m.Listen)
		if err != nil {
			return nil, false, fmt.Errorf("listen on %s: %w", m.Listen, err)
		}
		return l, true, nil
	}
	l, err := net.FileListener(os.Stdin)
	if err != nil {
		return nil, false, fmt.Errorf("standard input is not the FastCGI socket (run me from lighttpd, or with -listen ADDR): %w", err)
	}
	return l, false, nil
}

// waitGroup waits for wg or for ctx, whichever comes first.
func waitGroup(ctx context.Context, wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Close releases the database and the log file. It is safe to call more
// than once, and after a failed Run.
func (m *Main) Close() error {
	var errs []error
	m.closeOnce.Do(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		for i := len(m.closers) - 1; i >= 0; i-- {
			if err := m.closers[i].Close(); err != nil {
				errs = append(errs, err)
			}
		}
	})
	return errors.Join(errs...)
}
