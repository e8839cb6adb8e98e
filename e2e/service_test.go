// Package e2e tests the whole service as it runs: real lighttpd with the
// project's lighttpd.conf, the fcgi, worker and converter programs built
// from this tree, real memcached, a real SMTP server process, over HTTP on
// loopback.
package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/notify/smtptest"
	"tracksgo/internal/status/memcachedtest"
)

var (
	root     string // module root
	binDir   string // the three programs, built by TestMain
	buildErr error
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if root, err = formattest.ModuleRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "tracks-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = filepath.Join(dir, "bin")
	build := exec.Command(goTool(), "build", "-o", binDir+"/", "./converter", "./worker", "./fcgi")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build ./converter ./worker ./fcgi: %v\n%s", err, out)
	}
	code := m.Run()
	// Whatever a failed test left running goes now.
	for _, p := range serviceProcs() {
		syscall.Kill(p.pid, syscall.SIGKILL)
	}
	return code
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// lookBinary finds a program on PATH or in the usual system folders.
func lookBinary(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// proc is a running process of the service: fcgi, worker or converter
// started from this test run's binaries.
type proc struct {
	pid, ppid int
	name      string
}

func (p proc) String() string { return fmt.Sprintf("%s[%d, parent %d]", p.name, p.pid, p.ppid) }

// serviceProcs scans /proc for processes whose executable is in binDir.
func serviceProcs() []proc {
	if binDir == "" {
		return nil
	}
	entries, _ := os.ReadDir("/proc")
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || !strings.HasPrefix(exe, binDir+string(filepath.Separator)) {
			continue
		}
		p := proc{pid: pid, name: strings.TrimSuffix(filepath.Base(exe), " (deleted)")}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
			if i := bytes.LastIndexByte(stat, ')'); i >= 0 {
				f := strings.Fields(string(stat[i+1:]))
				if len(f) > 1 {
					if f[0] == "Z" {
						continue // a zombie is dead; its parent will reap it
					}
					p.ppid, _ = strconv.Atoi(f[1])
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// waitNoProcs waits until no process of the service is left.
func waitNoProcs(t *testing.T, within time.Duration, why string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		left := serviceProcs()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: processes of the service still running after %v: %v", why, within, left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// deps are the services the web service uses, shared by its restarts.
type deps struct {
	memcached string
	smtp      string
	mails     func() []string
	env       []string // added to the service's environment, overriding the tests' settings
}

func startDeps(t *testing.T) *deps {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if lookBinary("lighttpd") == "" {
		t.Skip("lighttpd is not installed (apt-get install lighttpd, or make test); skipping the end-to-end test")
	}
	d := &deps{}
	// On a unix socket, as scripts/run-service.sh runs memcached.
	d.memcached = memcachedtest.StartUnix(t)
	d.smtp, d.mails = smtptest.Start(t)
	return d
}

// service is one run of lighttpd with the project's configuration.
type service struct {
	t       *testing.T
	dataDir string
	base    string // http://127.0.0.1:PORT
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	output  *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// uploadLimit is the service's upload limit in these tests.
const uploadLimit = 8 << 20

// startService starts lighttpd on a free port with dataDir, the way
// scripts/run-service.sh does, and waits until the form answers.
func startService(t *testing.T, d *deps, dataDir string) *service {
	t.Helper()
	return startServiceUntil(t, d, dataDir, http.StatusOK)
}

// startServiceUntil is startService waiting for the form to answer with
// the given status code.
func startServiceUntil(t *testing.T, d *deps, dataDir string, ready int) *service {
	t.Helper()
	for _, sub := range []string{"tmp", "run", "errors", "static", "log"} {
		if err := os.MkdirAll(filepath.Join(dataDir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := retryStart(t, "lighttpd", func() (*service, error) { return tryStart(t, d, dataDir, ready) })
	t.Cleanup(s.cleanup)
	return s
}

// retryStart runs start up to three times (a free port may be taken
// before the server binds it) and fails the test with the last error.
func retryStart[T any](t *testing.T, what string, start func() (T, error)) T {
	t.Helper()
	var lastErr error
	for range 3 {
		v, err := start()
		if err == nil {
			return v
		}
		lastErr = err
	}
	t.Fatalf("%s did not start: %v", what, lastErr)
	panic("unreachable")
}

// testSettings are the settings the tests give the service however they
// start it.
func (d *deps) testSettings() []string {
	return []string{
		fmt.Sprintf("UPLOAD_LIMIT=%d", uploadLimit),
		"SMTP_ADDR=" + d.smtp, "SMTP_FROM=tracks@example.test", "ADMIN_EMAIL=admin@example.test",
		// Short lease and poll so that rescues happen within the test.
		"LEASE=2s", "POLL=100ms", "GRACE=3s", "CONVERTERS=2", "MAX_ATTEMPTS=5",
		"JOB_TIMEOUT=5m", "RETENTION=24h", "DB_PATH=",
		// A fixed date, so that Flame and boujou outputs compare byte for byte.
		sourceDate,
	}
}

// errExited is awaitForm's error when the process behind the site ended.
var errExited = errors.New("exited")

// awaitForm waits up to 30 s until the site at base answers the form
// with status want, or until exited is closed.
func awaitForm(base string, exited <-chan struct{}, want int) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errExited
		default:
		}
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the site did not answer within 30s")
}

func tryStart(t *testing.T, d *deps, dataDir string, ready int) (*service, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PORT="+strconv.Itoa(port), "BIND=127.0.0.1",
		"BIN_DIR="+binDir, "DATA_DIR="+dataDir, "LOG_DIR="+filepath.Join(dataDir, "log"),
		fmt.Sprintf("MAX_REQUEST_KB=%d", uploadLimit/1024+1024),
		"MEMCACHED="+d.memcached,
		// lighttpd.conf reads these too; empty is the programs' default.
		"MAX_REQUEUES=", "JOB_MEMORY=", "JOB_OUTPUT_LIMIT=",
	)
	env = append(append(env, d.testSettings()...), d.env...)
	out := &syncBuffer{}
	cmd := exec.Command(lookBinary("lighttpd"), "-D", "-f", filepath.Join(root, "lighttpd.conf"))
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start lighttpd: %w", err)
	}
	s := &service{t: t, dataDir: dataDir, base: fmt.Sprintf("http://127.0.0.1:%d", port),
		cmd: cmd, exited: make(chan struct{}), output: out}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	switch err := awaitForm(s.base, s.exited, ready); {
	case errors.Is(err, errExited):
		return nil, fmt.Errorf("lighttpd exited: %v\n%s\n%s", s.waitErr, out, s.errorLog())
	case err != nil:
		s.stop(syscall.SIGKILL)
		return nil, fmt.Errorf("%w\n%s\n%s", err, out, s.errorLog())
	}
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *service) errorLog() string {
	b, _ := os.ReadFile(filepath.Join(s.dataDir, "log", "lighttpd-error.log"))
	return string(b)
}

// stop signals lighttpd and waits for it to exit.
func (s *service) stop(sig syscall.Signal) {
	s.t.Helper()
	s.cmd.Process.Signal(sig)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.t.Errorf("lighttpd did not exit within 30s of %v", sig)
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// jobLog is every line of the service's logs that names the job, for a
// test that explains why a job did not end as it should.
func (s *service) jobLog(id string) string {
	var out strings.Builder
	logs, _ := filepath.Glob(filepath.Join(s.dataDir, "log", "*.log"))
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(b)) {
			if strings.Contains(line, id) {
				out.WriteString(filepath.Base(l) + ": " + line)
			}
		}
	}
	return out.String()
}

func (s *service) cleanup() {
	select {
	case <-s.exited:
	default:
		s.stop(syscall.SIGTERM)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(serviceProcs()) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, p := range serviceProcs() {
		syscall.Kill(p.pid, syscall.SIGKILL)
	}
	if s.t.Failed() {
		s.t.Logf("lighttpd output:\n%s\nerror log:\n%s", s.output, s.errorLog())
		logs, _ := filepath.Glob(filepath.Join(s.dataDir, "log", "*.log"))
		for _, l := range logs {
			if b, err := os.ReadFile(l); err == nil && len(b) > 0 {
				if len(b) > 8000 {
					b = b[len(b)-8000:]
				}
				s.t.Logf("--- %s (tail):\n%s", filepath.Base(l), b)
			}
		}
	}
}

// client does not follow redirects: the tests look at them.
var client = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// upload posts a file with form fields; asJSON sends Accept: application/json.
func (s *service) upload(name string, content []byte, fields map[string]string, asJSON bool) (*http.Response, []byte) {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" || content != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			s.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest("POST", s.base+"/jobs", &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if asJSON {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("POST /jobs: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// create uploads a file and returns the job id, checking the answer
// (201 with the job as JSON, or 303 to the job page).
func (s *service) create(name string, content []byte, fields map[string]string, asJSON bool) string {
	s.t.Helper()
	resp, body := s.upload(name, content, fields, asJSON)
	if asJSON {
		if resp.StatusCode != http.StatusCreated {
			s.t.Fatalf("POST /jobs (%s): %d %s", name, resp.StatusCode, body)
		}
		var j struct {
			ID, State, URL string
		}
		if err := json.Unmarshal(body, &j); err != nil || j.ID == "" || j.State != "queued" {
			s.t.Fatalf("POST /jobs (%s): answer %s (%v)", name, body, err)
		}
		return j.ID
	}
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("POST /jobs (%s): %d, want 303: %s", name, resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	id, ok := strings.CutPrefix(loc, "/jobs/")
	if !ok || len(id) != 32 {
		s.t.Fatalf("POST /jobs (%s): Location %q", name, loc)
	}
	return id
}

type jobStatus struct {
	State   string `json:"state"`
	Percent int    `json:"percent"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

// backendError is a 5xx answer: the service is there but one of its
// FastCGI processes failed the request.
type backendError struct{ msg string }

func (e *backendError) Error() string { return e.msg }

func (s *service) status(id string) (jobStatus, error) {
	resp, err := client.Get(s.base + "/jobs/" + id + "/status")
	if err != nil {
		return jobStatus{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return jobStatus{}, &backendError{fmt.Sprintf("status of %s: HTTP %d", id, resp.StatusCode)}
	}
	if resp.StatusCode != 200 {
		return jobStatus{}, fmt.Errorf("status of %s: HTTP %d", id, resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		return jobStatus{}, fmt.Errorf("status of %s: Cache-Control %q, want no-store", id, cc)
	}
	var st jobStatus
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// wait polls the status action until the job ends.
func (s *service) wait(id string, within time.Duration) jobStatus {
	s.t.Helper()
	deadline := time.Now().Add(within)
	var last jobStatus
	failures := 0
	for {
		st, err := s.status(id)
		var busy *backendError
		if errors.As(err, &busy) && failures < 50 {
			// A FastCGI process the test killed may answer one request
			// with a 5xx until lighttpd has given up on it; the page's
			// poller retries the same way.
			failures++
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if err != nil {
			s.t.Fatal(err)
		}
		failures = 0
		if st.Percent < 0 || st.Percent > 100 {
			s.t.Fatalf("job %s: percent %d", id, st.Percent)
		}
		if st.State == "done" || st.State == "failed" {
			return st
		}
		last = st
		if time.Now().After(deadline) {
			s.t.Fatalf("job %s did not end within %v; last status %+v", id, within, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *service) get(path string) (*http.Response, []byte) {
	s.t.Helper()
	resp, err := client.Get(s.base + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return resp, body
}
