// Package config reads the service's settings from the environment, as
// lighttpd passes them (bin-environment), with defaults that work out of
// the box. The three programs share it.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the service.
type Config struct {
	DataDir      string        // DATA_DIR: uploads, results, database, logs (default ./data)
	DBPath       string        // DB_PATH (default $DATA_DIR/jobs.db)
	LogDir       string        // LOG_DIR (default $DATA_DIR/log)
	Memcached    string        // MEMCACHED: host:port (default 127.0.0.1:11211)
	Converters   int           // CONVERTERS: concurrent converters per dispatcher (default 4)
	JobTimeout   time.Duration // JOB_TIMEOUT: longest run of one converter (default 10m)
	Lease        time.Duration // LEASE: how long a claim holds without renewal (default 30s)
	MaxAttempts  int           // MAX_ATTEMPTS: tries charged to a job before it fails (default 3)
	MaxRequeues  int           // MAX_REQUEUES: requeues through no fault of the job before it fails (default 20)
	JobMemory    int64         // JOB_MEMORY: bytes one converter may use (default 2 GiB)
	Poll         time.Duration // POLL: dispatcher poll interval (default 500ms)
	Grace        time.Duration // GRACE: how long running converters may finish on shutdown (default 10s)
	UploadLimit  int64         // UPLOAD_LIMIT: bytes (default 64 MiB)
	OutputLimit  int64         // JOB_OUTPUT_LIMIT: bytes the outputs of one job may hold together (default 2 GiB)
	Retention    time.Duration // RETENTION: how long jobs and files are kept (default 168h)
	SMTPAddr     string        // SMTP_ADDR: host:port; empty = mails are logged instead
	SMTPFrom     string        // SMTP_FROM (default tracks@localhost)
	AdminEmail   string        // ADMIN_EMAIL (default admin@localhost)
	ConverterBin string        // CONVERTER_BIN: path of the converter program (default: beside this program)
	WorkerBin    string        // WORKER_BIN: path of the worker program (default: beside this program)
	// Now is the clock of the dates written into Flame and boujou files:
	// fixed by SOURCE_DATE_EPOCH (seconds) for reproducible outputs, else nil (the time of the conversion).
	Now func() time.Time
}

// SourceDate reads SOURCE_DATE_EPOCH, the build tools' convention for
// reproducible output: a clock fixed at that time, or nil when unset.
func SourceDate(getenv func(string) string) (func() time.Time, error) {
	v := getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return nil, nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH: %q is not a whole number of seconds", v)
	}
	t := time.Unix(secs, 0).Local()
	return func() time.Time { return t }, nil
}

// FromEnv reads the configuration; getenv is os.Getenv in production.
func FromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{}
	var errs []error
	str := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	num := func(key string, def int) int {
		v := getenv(key)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive whole number", key, v))
			return def
		}
		return n
	}
	dur := func(key string, def time.Duration) time.Duration {
		v := getenv(key)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration such as 30s or 10m", key, v))
			return def
		}
		return d
	}
	c.DataDir = str("DATA_DIR", "data")
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	c.DBPath = str("DB_PATH", filepath.Join(c.DataDir, "jobs.db"))
	c.LogDir = str("LOG_DIR", filepath.Join(c.DataDir, "log"))
	c.Memcached = str("MEMCACHED", "127.0.0.1:11211")
	// One dispatcher per instance (lighttpd runs one fcgi process): four
	// at once keep small jobs moving past two large ones on two cores.
	c.Converters = num("CONVERTERS", 4)
	c.JobTimeout = dur("JOB_TIMEOUT", 10*time.Minute)
	c.Lease = dur("LEASE", 30*time.Second)
	c.MaxAttempts = num("MAX_ATTEMPTS", 3)
	c.MaxRequeues = num("MAX_REQUEUES", 20)
	if v := getenv("JOB_MEMORY"); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("JOB_MEMORY: %w", err))
		}
		c.JobMemory = n
	}
	if c.JobMemory == 0 {
		// 4 converters × 2 GiB = 8 GiB, of the 24 GiB of the machine the
		// service was sized for.
		c.JobMemory = 2 << 30
	}
	c.Poll = dur("POLL", 500*time.Millisecond)
	c.Grace = dur("GRACE", 10*time.Second)
	c.UploadLimit = int64(num("UPLOAD_LIMIT", 64<<20))
	c.OutputLimit = int64(num("JOB_OUTPUT_LIMIT", 2<<30))
	c.Retention = dur("RETENTION", 7*24*time.Hour)
	c.SMTPAddr = str("SMTP_ADDR", "")
	c.SMTPFrom = str("SMTP_FROM", "tracks@localhost")
	c.AdminEmail = str("ADMIN_EMAIL", "admin@localhost")
	self, _ := os.Executable()
	c.ConverterBin = str("CONVERTER_BIN", filepath.Join(filepath.Dir(self), "converter"))
	c.WorkerBin = str("WORKER_BIN", filepath.Join(filepath.Dir(self), "worker"))
	if now, err := SourceDate(getenv); err != nil {
		errs = append(errs, err)
	} else {
		c.Now = now
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("configuration: %v", errs)
	}
	return c, nil
}

// ParseSize reads a size in bytes: a whole number, optionally followed by
// KiB, MiB or GiB (K, M, G, KB, MB, GB mean the same binary units).
func ParseSize(v string) (int64, error) {
	num := strings.TrimSpace(v)
	unit := int64(1)
	for _, u := range []struct {
		suffixes []string
		n        int64
	}{{[]string{"GiB", "GB", "G"}, 1 << 30}, {[]string{"MiB", "MB", "M"}, 1 << 20}, {[]string{"KiB", "KB", "K"}, 1 << 10}} {
		for _, s := range u.suffixes {
			if rest, ok := strings.CutSuffix(num, s); ok {
				num, unit = strings.TrimSpace(rest), u.n
				break
			}
		}
		if unit != 1 {
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return 0, fmt.Errorf("%q is not a positive size such as 2GiB, 512MiB or a number of bytes", v)
	}
	return n * unit, nil
}

// FormatSize writes a size the way people read it: 2 GiB, 512 MiB, 1.5 GiB.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.n {
			num := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", float64(n)/float64(u.n)), "0"), ".")
			return num + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// UploadDir is where uploads are stored.
func (c *Config) UploadDir() string { return filepath.Join(c.DataDir, "uploads") }

// ResultDir is where a job's outputs are renamed into place.
func (c *Config) ResultDir(jobID string) string { return filepath.Join(c.DataDir, "results", jobID) }

// TmpDir holds the temporary folders of the runs (WorkDir) and the
// uploads lighttpd buffers.
func (c *Config) TmpDir() string { return filepath.Join(c.DataDir, "tmp") }

// WorkDir is the temporary folder of one run of a job (run: the lease's
// run number). The name says whose it is, so that a dispatcher removes
// the folders of runs that ended, and only those.
func (c *Config) WorkDir(jobID string, run int) string {
	return filepath.Join(c.TmpDir(), jobID+"-"+strconv.Itoa(run))
}
