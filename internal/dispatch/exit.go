package dispatch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
)

// User-facing messages of failures the dispatcher records itself. They
// are the job's own failures: its file made the converter crash, run too
// long or need too much memory.
const (
	MsgCrashed = "The conversion stopped unexpectedly; the file may be too large or malformed."
)

// MsgTimeout is the message of a job whose converter ran past JOB_TIMEOUT.
func MsgTimeout(d time.Duration) string {
	return fmt.Sprintf("The conversion took longer than %s and was stopped; the file may be too large.", d)
}

// MsgMemory is the message of a job whose converter needed more memory
// than JOB_MEMORY allows.
func MsgMemory(limit int64) string {
	return fmt.Sprintf("The conversion needed more than %s of memory, the limit of one conversion on this server (JOB_MEMORY), and was stopped; try a smaller file or fewer output formats.", config.FormatSize(limit))
}

// MsgKilled is the message of a job whose converter was killed by a
// signal nobody in the service sent: most often the kernel's
// out-of-memory killer.
func MsgKilled(limit int64) string {
	return fmt.Sprintf("The conversion was killed by the system, most likely for lack of memory (one conversion may use up to %s on this server, JOB_MEMORY); try a smaller file or fewer output formats.", config.FormatSize(limit))
}

// Why the dispatcher stopped a converter itself.
const (
	stopTimeout   = "timeout"
	stopLeaseLost = "lease lost"
	stopShutdown  = "shutdown"
)

// verdict is how a run that did not record its outcome ended.
type verdict struct {
	// own: the job's own failure (crash, timeout, memory), which uses up
	// one of its attempts; else the server's, which puts it back as it was.
	own bool
	// message is the user-facing error if the job fails of it.
	message string
	// why says it for the log.
	why string
}

// classify tells whose fault the end of a run was. stopped says why the
// dispatcher stopped the converter ("" if it did not), err is what Wait
// returned and oom the line of the converter's stderr that told of memory
// exhaustion ("" if none).
func classify(stopped string, err error, oom string, cfg *config.Config) verdict {
	code, sig := -1, syscall.Signal(0)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig = ws.Signal()
		} else {
			code = ee.ExitCode()
		}
	} else if err == nil {
		code = 0
	}
	outsideStop := code == jobs.ExitStopped || sig == syscall.SIGTERM || sig == syscall.SIGINT || sig == syscall.SIGHUP
	switch {
	case stopped == stopShutdown:
		return verdict{why: "stopped for the dispatcher's shutdown"}
	case stopped == stopLeaseLost:
		return verdict{why: "stopped: its lease was lost"}
	case code == jobs.ExitServerFault:
		// Even past the job timeout: the converter had finished, or never
		// started, and the server kept it from recording.
		return verdict{why: "the server kept it from recording an outcome (exit status 5)"}
	case stopped == stopTimeout:
		return verdict{own: true, message: MsgTimeout(cfg.JobTimeout), why: "past the job timeout"}
	case oom != "":
		return verdict{own: true, message: MsgMemory(cfg.JobMemory), why: "out of memory: " + oom}
	case outsideStop:
		return verdict{why: "stopped from outside before it recorded an outcome"}
	case sig == syscall.SIGKILL:
		// Nobody in the service sent it: the kernel's out-of-memory
		// killer as often as an operator.
		return verdict{own: true, message: MsgKilled(cfg.JobMemory), why: "killed by SIGKILL from outside"}
	case code == jobs.ExitLeaseLost:
		return verdict{why: "it says it lost its lease"}
	}
	return verdict{own: true, message: MsgCrashed, why: "crashed or exited without recording an outcome"}
}

// stderrWatch passes a converter's stderr on and notes the first line
// that tells of memory exhaustion: the Go runtime's "fatal error: runtime:
// out of memory" (and its kin for other allocations) under the
// converter's RLIMIT_DATA.
type stderrWatch struct {
	out io.Writer

	mu   sync.Mutex
	line []byte // the line being written, at most maxLine bytes of it
	oom  string
}

const maxLine = 512

var oomSigns = []string{
	"out of memory",
	"cannot allocate memory",
	"failed to create new os thread",
	"pthread_create failed",
	"errno=12", // ENOMEM
}

func (w *stderrWatch) Write(p []byte) (int, error) {
	w.note(p)
	// Passed on after it is read: should the dispatcher's stderr be slow,
	// Wait gives up on the pipe after WaitDelay, and the line that told
	// of memory must be noted by then.
	w.out.Write(p) // stderr of the dispatcher: nothing to do if it fails
	return len(p), nil
}

func (w *stderrWatch) note(p []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for rest := p; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		chunk := rest
		if i >= 0 {
			chunk = rest[:i]
		}
		w.line = append(w.line, chunk[:min(len(chunk), maxLine-len(w.line))]...)
		if i < 0 {
			break
		}
		w.check()
		rest = rest[i+1:]
	}
}

func (w *stderrWatch) check() {
	if w.oom == "" {
		l := strings.ToLower(string(w.line))
		for _, s := range oomSigns {
			if strings.Contains(l, s) {
				w.oom = strings.TrimSpace(string(w.line))
				break
			}
		}
	}
	w.line = w.line[:0]
}

// OOM is the line that told of memory exhaustion, or "".
func (w *stderrWatch) OOM() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.line) > 0 {
		w.check()
	}
	return w.oom
}
