// Package proctest runs the helper processes of the tests that kill
// processes for real: the test binary started again in a role, printing
// the pid of a process it started on its first line.
package proctest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// StartHelper starts cmd, whose first output line is a pid, and returns
// the rest of its output and that pid. The helper and the process it
// named are killed when the test ends.
func StartHelper(tb testing.TB, cmd *exec.Cmd) (*bufio.Scanner, int) {
	tb.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		tb.Fatalf("the helper process printed no pid: %v", sc.Err())
	}
	pid, err := strconv.Atoi(sc.Text())
	if err != nil {
		tb.Fatalf("the helper process printed %q, want a pid", sc.Text())
	}
	tb.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	return sc, pid
}

// Alive reports whether pid is a live process. A zombie counts as dead:
// it has exited and only waits to be reaped.
func Alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold anything
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
