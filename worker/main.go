// Command worker is the dispatcher of the web service: the fcgi program
// starts it, tied to its own life. It claims queued jobs from the SQLite
// database, runs one fresh converter process per job (at most CONVERTERS
// at once), renews the leases of the jobs it runs, and beside that
// rescues the jobs of dispatchers that died, applies the retention and
// removes what dead runs left (package dispatch). On SIGTERM it stops
// claiming, lets running converters finish within GRACE, then kills them
// and puts their jobs back to the queue. It exits when its parent dies.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/dispatch"
	"tracksgo/internal/jobs"
	"tracksgo/internal/logging"
	"tracksgo/internal/notify"
	"tracksgo/internal/proc"
)

// errParentGone is the cause of the stop when the lifeline closes.
var errParentGone = errors.New("parent process gone")

const usage = `Usage: worker

The dispatcher of the web service: the fcgi program starts it, tied to
its own life, with the service's settings in the environment (DATA_DIR,
DB_PATH, MEMCACHED, CONVERTERS, JOB_TIMEOUT, LEASE, POLL, ...; see
README.md). It takes no arguments. To convert a file by hand, run
converter.
`

func main() {
	// No flags: only -h is answered, so that an operator's "worker
	// --help" does not start a dispatcher on ./data.
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage) }
	if err := fs.Parse(os.Args[1:]); err != nil || fs.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		if err == nil {
			fmt.Fprintf(os.Stderr, "worker: unexpected argument %q\n%s", fs.Arg(0), usage)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	m := NewMain()
	// The parent (fcgi) wakes its dispatcher on the lifeline when it
	// queued a job.
	proc.Watch(func() { cancel(errParentGone) }, m.Kick)
	code := 0
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		code = 1
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
	}
	os.Exit(code)
}

// Main is the worker program: a dispatch.Dispatcher and its
// dispatch.Maintenance on one database.
type Main struct {
	Getenv func(string) string // os.Getenv by default
	Config *config.Config      // read from Getenv by Run when nil
	Log    *logrus.Logger      // set up by Run when nil
	Owner  string              // lease owner id; dispatch.NewOwner() by default

	wake      chan struct{} // Kick's: one pending wake-up is enough
	store     *jobs.SQLite
	mail      *dispatch.Mail
	logCloser io.Closer
}

// NewMain returns a worker reading its configuration from the environment.
func NewMain() *Main { return &Main{Getenv: os.Getenv, wake: make(chan struct{}, 1)} }

// ChangePoll is how often an idle dispatcher looks whether another
// process changed the database (a job queued by another web process):
// a read of SQLite's data_version, far cheaper than a query of the jobs.
const ChangePoll = 50 * time.Millisecond

// Kick tells the dispatcher that a job may have been queued; it never
// blocks. Safe before and during Run.
func (m *Main) Kick() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Run dispatches jobs until ctx ends, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	if m.Config == nil {
		getenv := m.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		cfg, err := config.FromEnv(getenv)
		if err != nil {
			return err
		}
		m.Config = cfg
	}
	cfg := m.Config
	if m.Log == nil {
		log, closer, err := logging.New(cfg.LogDir, "worker")
		if err != nil {
			return err
		}
		m.Log, m.logCloser = log, closer
	}
	if m.Owner == "" {
		m.Owner = dispatch.NewOwner()
	}
	if fi, err := os.Stat(cfg.ConverterBin); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("converter program %s is not an executable file (CONVERTER_BIN): %v", cfg.ConverterBin, err)
	}
	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		return err
	}
	m.store = store
	m.mail = dispatch.NewMail(notify.New(cfg, m.Log))
	log := m.Log.WithField("owner", m.Owner)
	log.WithFields(logrus.Fields{"converters": cfg.Converters, "lease": cfg.Lease.String(),
		"poll": cfg.Poll.String(), "converter": cfg.ConverterBin, "job_memory": cfg.JobMemory,
		"pid": os.Getpid()}).Info("dispatcher started")

	if m.wake == nil { // a Main not made by NewMain
		m.wake = make(chan struct{}, 1)
	}
	maint := &dispatch.Maintenance{Config: cfg, Store: store, Log: m.Log, Mail: m.mail}
	var wg sync.WaitGroup
	wg.Go(func() { maint.Run(ctx) })
	wg.Go(func() { store.WatchChanges(ctx, ChangePoll, m.Kick) })
	d := &dispatch.Dispatcher{Config: cfg, Store: store, Log: m.Log, Owner: m.Owner, Mail: m.mail, Wake: m.wake}
	err = d.Run(ctx)
	wg.Wait()
	log.Info("dispatcher stopped")
	return err
}

// Close waits for pending mails (at most a minute) and closes the
// database and the log.
func (m *Main) Close() error {
	m.mail.Wait(time.Minute)
	var errs []error
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	if m.logCloser != nil {
		errs = append(errs, m.logCloser.Close())
	}
	return errors.Join(errs...)
}
