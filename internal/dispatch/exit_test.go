package dispatch

import (
	"bytes"
	"os/exec"
	"testing"
	"time"

	"tracksgo/internal/config"
)

// TestClassify runs real processes that end as converters end and checks
// whose fault each end is.
func TestClassify(t *testing.T) {
	cfg := &config.Config{JobTimeout: time.Minute, JobMemory: 2 << 30}
	const oom = "fatal error: runtime: out of memory"
	tests := []struct {
		name    string
		script  string
		stopped string
		oom     string
		own     bool
		message string
	}{
		{"recorded and exited 0 but the job is still running", "exit 0", "", "", true, MsgCrashed},
		{"crash", "exit 1", "", "", true, MsgCrashed},
		{"Go runtime crash", "exit 2", "", "", true, MsgCrashed},
		{"out of memory", "exit 2", "", oom, true, MsgMemory(2 << 30)},
		{"killed from outside: the OOM killer as often as not", "kill -KILL $$", "", "", true, MsgKilled(2 << 30)},
		{"stopped from outside, caught", "exit 4", "", "", false, ""},
		{"stopped from outside by SIGTERM", "kill -TERM $$", "", "", false, ""},
		{"stopped from outside by SIGINT", "kill -INT $$", "", "", false, ""},
		{"stopped from outside by SIGHUP", "kill -HUP $$", "", "", false, ""},
		{"server fault", "exit 5", "", "", false, ""},
		{"server fault says out of memory", "exit 5", "", oom, false, ""},
		{"lease lost", "exit 3", "", "", false, ""},
		{"timeout, stopped", "exit 4", stopTimeout, "", true, MsgTimeout(time.Minute)},
		{"timeout, killed", "kill -KILL $$", stopTimeout, "", true, MsgTimeout(time.Minute)},
		{"timeout while the result waited for the database", "exit 5", stopTimeout, "", false, ""},
		{"shutdown", "kill -KILL $$", stopShutdown, "", false, ""},
		{"shutdown of a crashing converter", "exit 1", stopShutdown, "", false, ""},
		{"lease lost, killed", "kill -KILL $$", stopLeaseLost, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := exec.Command("/bin/sh", "-c", tt.script).Run()
			v := classify(tt.stopped, err, tt.oom, cfg)
			if v.own != tt.own || v.message != tt.message || v.why == "" {
				t.Errorf("exit %v: %+v, want own %v message %q", err, v, tt.own, tt.message)
			}
		})
	}
}

func TestStderrWatch(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"nothing", []string{"panic: boom\n", "goroutine 1 [running]:\n"}, ""},
		{"Go out of memory", []string{"fatal error: runtime: out of memory\n\nruntime stack:\n"}, "fatal error: runtime: out of memory"},
		{"split across writes", []string{"fatal er", "ror: runtime: cannot allo", "cate memory\nmore\n"}, "fatal error: runtime: cannot allocate memory"},
		{"thread creation", []string{"runtime/cgo: pthread_create failed: Resource temporarily unavailable\n"}, "runtime/cgo: pthread_create failed: Resource temporarily unavailable"},
		{"last line without newline", []string{"a\nruntime: out of memory: cannot allocate 8192-byte block"}, "runtime: out of memory: cannot allocate 8192-byte block"},
		{"first sign kept", []string{"fatal error: out of memory\nerrno=12\n"}, "fatal error: out of memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := &stderrWatch{out: &out}
			var all string
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				all += s
			}
			if out.String() != all {
				t.Errorf("passed on %q, want %q", out.String(), all)
			}
			if got := w.OOM(); got != tt.want {
				t.Errorf("OOM() = %q, want %q", got, tt.want)
			}
		})
	}
	// A very long line is cut, not kept whole.
	w := &stderrWatch{out: &bytes.Buffer{}}
	w.Write(bytes.Repeat([]byte("x"), 10*maxLine))
	if len(w.line) != maxLine {
		t.Errorf("a long line kept %d bytes, want %d", len(w.line), maxLine)
	}
}
