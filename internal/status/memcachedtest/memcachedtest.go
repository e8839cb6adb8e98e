// Package memcachedtest starts a real memcached for tests, on a free
// loopback port or on a unix socket (as scripts/run-service.sh runs it),
// and stops it when the test ends.
package memcachedtest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Binary finds memcached on PATH or in /usr/bin, /usr/sbin; "" if absent.
func Binary() string {
	if p, err := exec.LookPath("memcached"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/bin/memcached", "/usr/sbin/memcached", "/usr/local/bin/memcached"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts memcached on a free 127.0.0.1 port and returns its address.
// The test is skipped, with the reason, when memcached is not installed.
func Start(t testing.TB) string {
	t.Helper()
	return StartServer(t).Addr
}

// Server is a memcached started for a test; Restart starts a new one on
// the same address, empty, as after a crash or a reboot.
type Server struct {
	Addr   string
	bin    string
	cmd    *exec.Cmd
	exited chan error
}

// StartServer is Start, keeping hold of the process. It is killed when
// the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("memcached is not installed (apt-get install memcached); skipping the test that needs it")
	}
	var lastErr error
	for try := 0; try < 5; try++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), bin: bin}
		if lastErr = s.start(); lastErr == nil {
			t.Cleanup(s.stop)
			return s
		}
	}
	t.Fatalf("memcached did not start: %v", lastErr)
	return nil
}

// StartUnix starts memcached on a unix socket in a temporary folder of
// the test and returns the socket's path, which is also what MEMCACHED
// names it by.
func StartUnix(t testing.TB) string {
	t.Helper()
	if Binary() == "" {
		t.Skip("memcached is not installed (apt-get install memcached); skipping the test that needs it")
	}
	s := &Server{Addr: filepath.Join(t.TempDir(), "memcached.sock"), bin: Binary()}
	if err := s.start(); err != nil {
		t.Fatalf("memcached did not start: %v", err)
	}
	t.Cleanup(s.stop)
	return s.Addr
}

func (s *Server) start() error {
	var args []string
	if Network(s.Addr) == "unix" {
		args = []string{"-s", s.Addr, "-a", "0700", "-m", "16", "-t", "1"}
	} else {
		_, port, _ := net.SplitHostPort(s.Addr)
		args = []string{"-l", "127.0.0.1", "-p", port, "-U", "0", "-m", "16"}
	}
	if os.Geteuid() == 0 {
		args = append(args, "-u", "root") // memcached refuses to run as root otherwise
	}
	cmd := exec.Command(s.bin, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start memcached: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := waitReady(s.Addr, exited); err != nil {
		cmd.Process.Kill()
		<-exited
		return err
	}
	s.cmd, s.exited = cmd, exited
	return nil
}

func (s *Server) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Restart kills memcached (SIGKILL: everything it held is lost) and
// starts a new one on the same address.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.stop()
	var err error
	for try := 0; try < 5; try++ {
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond) // the port may linger a moment
	}
	t.Fatalf("memcached did not start again on %s: %v", s.Addr, err)
}

func waitReady(addr string, exited <-chan error) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("memcached on %s exited: %v", addr, err)
		default:
		}
		if _, err := Stats(addr); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("memcached on %s not answering after 10s", addr)
}

// Network is how to reach a MEMCACHED address: a path is a unix socket,
// as for the service's memcached client.
func Network(addr string) string {
	if strings.HasPrefix(addr, "/") {
		return "unix"
	}
	return "tcp"
}

// Stats returns memcached's "stats" counters (e.g. "cmd_set").
func Stats(addr string) (map[string]string, error) {
	c, err := net.DialTimeout(Network(addr), addr, time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("stats\r\n")); err != nil {
		return nil, err
	}
	stats := map[string]string{}
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "END" {
			return stats, nil
		}
		if f := strings.Fields(line); len(f) == 3 && f[0] == "STAT" {
			stats[f[1]] = f[2]
		}
	}
	return nil, fmt.Errorf("stats from %s: %v", addr, sc.Err())
}
