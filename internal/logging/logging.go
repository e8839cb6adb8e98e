// Package logging sets up logrus for the three programs: structured lines
// to a file per program under the log directory, rotated daily.
package logging

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// DailyFile is an io.Writer that appends to <dir>/<name>-YYYY-MM-DD.log and
// moves to a new file when the day changes. Several processes may append
// to the same file: every write is one O_APPEND write.
type DailyFile struct {
	dir, name string
	now       func() time.Time
	mu        sync.Mutex
	day       string
	f         *os.File
}

// NewDailyFile creates the directory if needed.
func NewDailyFile(dir, name string) (*DailyFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("log directory: %w", err)
	}
	return &DailyFile{dir: dir, name: name, now: time.Now}, nil
}

// Path is the file written for the given time.
func (d *DailyFile) Path(t time.Time) string {
	return filepath.Join(d.dir, fmt.Sprintf("%s-%s.log", d.name, t.Format("2006-01-02")))
}

func (d *DailyFile) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	day := now.Format("2006-01-02")
	if d.f == nil || day != d.day {
		if d.f != nil {
			d.f.Close()
		}
		f, err := os.OpenFile(d.Path(now), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			d.f = nil
			return 0, err
		}
		d.f, d.day = f, day
	}
	return d.f.Write(p)
}

// Close closes the current file.
func (d *DailyFile) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.f == nil {
		return nil
	}
	err := d.f.Close()
	d.f = nil
	return err
}

// New returns a logger for program name writing JSON lines to a daily file
// under dir; with dir empty it writes to stderr. The closer closes the file.
func New(dir, name string) (*logrus.Logger, io.Closer, error) {
	log := logrus.New()
	log.SetFormatter(&logrus.JSONFormatter{TimestampFormat: time.RFC3339Nano})
	if dir == "" {
		log.SetOutput(os.Stderr)
		return log, io.NopCloser(nil), nil
	}
	f, err := NewDailyFile(dir, name)
	if err != nil {
		return nil, nil, err
	}
	log.SetOutput(f)
	return log, f, nil
}
