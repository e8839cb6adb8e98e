// Package proc starts child processes tied to the life of their parent,
// and lets a child notice that its parent is gone.
//
// Two ties, because each one alone has a gap:
//
//   - A parent-death signal (Linux prctl PR_SET_PDEATHSIG, SysProcAttr.Pdeathsig):
//     the kernel sends the child SIGKILL when its parent dies, even by SIGKILL.
//     The kernel ties it to the *thread* that forked the child, not to the
//     process: when that OS thread exits, the child is killed although the
//     parent lives on. The Go runtime may end idle threads, and a goroutine
//     that returns while locked to its thread takes the thread with it. So
//     every child is forked from one goroutine that locks itself to its OS
//     thread and never returns: that thread lives exactly as long as the
//     process.
//   - A lifeline pipe: the child gets the read end as fd 3, the parent keeps
//     the write end. When the parent dies, however it dies, the kernel
//     closes the write end and the child reads EOF (WatchParent). This also
//     covers what the signal misses: a parent that execs, a child whose
//     signal was lost in a race, or a child run without it. The parent
//     writes nothing on it but wake-ups (Child.Wake): single bytes that
//     carry no data, only "look now" (the web process tells its dispatcher
//     of a job it just queued).
//
// Every child also gets its own process group (Setpgid), so the parent can
// kill the child together with anything it started (Child.Kill).
package proc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

// LifelineEnv names the environment variable that tells a child which fd
// is its lifeline; Start sets it to "3".
const LifelineEnv = "TRACKSGO_LIFELINE_FD"

// Child is a started child process.
type Child struct {
	Cmd      *exec.Cmd
	lifeline *os.File // write end of the lifeline; closed by Wait

	waitOnce sync.Once
	waitErr  error
}

// Pid is the child's process id, which is also its process group id.
func (c *Child) Pid() int { return c.Cmd.Process.Pid }

// Signal sends sig to the child's whole process group.
func (c *Child) Signal(sig syscall.Signal) error {
	if err := syscall.Kill(-c.Pid(), sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("signal process group %d: %w", c.Pid(), err)
	}
	return nil
}

// Kill sends SIGKILL to the child's whole process group. A group that is
// already gone is not an error.
func (c *Child) Kill() error { return c.Signal(syscall.SIGKILL) }

// Wake tells the child to look for work now (Watch's wake). It never
// blocks: when the child has not read the earlier wake-ups yet (the pipe
// is full) this one is dropped, as it would say nothing new.
func (c *Child) Wake() {
	rc, err := c.lifeline.SyscallConn()
	if err != nil {
		return
	}
	rc.Write(func(fd uintptr) bool {
		syscall.Write(int(fd), []byte{1}) // EAGAIN: full, which is as good
		return true
	})
}

// Wait waits for the child to exit (reaping it) and then closes the
// lifeline. It may be called more than once; later calls return the first
// result.
func (c *Child) Wait() error {
	c.waitOnce.Do(func() {
		c.waitErr = c.Cmd.Wait()
		c.lifeline.Close()
	})
	return c.waitErr
}

type startReq struct {
	cmd       *exec.Cmd
	pdeathsig bool
	done      chan error
}

var (
	spawnOnce sync.Once
	spawnCh   chan startReq
)

// spawner forks every child from one OS thread that lives as long as the
// process (see the package comment for why).
func spawner() {
	runtime.LockOSThread()
	// Never unlocked and never returns: the thread must outlive every child.
	for req := range spawnCh {
		if req.pdeathsig {
			req.cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
		}
		req.done <- req.cmd.Start()
	}
}

// Start starts cmd as a child tied to this process's life: parent-death
// signal SIGKILL, a lifeline pipe as fd 3 (announced in LifelineEnv, put
// before any ExtraFiles the caller set), and its own process group. The
// caller must call Wait on the returned Child, which reaps it.
func Start(cmd *exec.Cmd) (*Child, error) { return start(cmd, true) }

func start(cmd *exec.Cmd, pdeathsig bool) (*Child, error) {
	spawnOnce.Do(func() {
		spawnCh = make(chan startReq)
		go spawner()
	})
	r, w, err := os.Pipe() // both ends close-on-exec: no other child inherits them
	if err != nil {
		return nil, fmt.Errorf("lifeline pipe: %w", err)
	}
	defer r.Close() // the child has its own copy as fd 3
	cmd.ExtraFiles = append([]*os.File{r}, cmd.ExtraFiles...)
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, LifelineEnv+"=3")
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = 0
	done := make(chan error, 1)
	spawnCh <- startReq{cmd: cmd, pdeathsig: pdeathsig, done: done}
	if err := <-done; err != nil {
		w.Close()
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	return &Child{Cmd: cmd, lifeline: w}, nil
}

// WatchParent, in a child started by Start, calls gone (once, from another
// goroutine) when the parent's end of the lifeline closes: the parent has
// died or closed it. It returns false, and watches nothing, when this
// process was not started with a lifeline. The lifeline fd is made
// close-on-exec and LifelineEnv is removed from the environment, so this
// process's own children inherit neither.
func WatchParent(gone func()) bool { return Watch(gone, nil) }

// Watch is WatchParent that also calls wake (when not nil, from the
// watching goroutine) whenever the parent sent wake-ups (Child.Wake):
// once for those that arrived together.
func Watch(gone, wake func()) bool {
	v := os.Getenv(LifelineEnv)
	if v == "" {
		return false
	}
	os.Unsetenv(LifelineEnv)
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 0 {
		return false
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
		return false
	}
	syscall.CloseOnExec(fd)
	f := os.NewFile(uintptr(fd), "lifeline")
	go func() {
		// The parent writes only wake-ups; EOF or an error means its end
		// is gone.
		buf := make([]byte, 512)
		for {
			n, err := f.Read(buf)
			if n > 0 && wake != nil {
				wake()
			}
			if err != nil {
				gone()
				return
			}
		}
	}()
	return true
}
