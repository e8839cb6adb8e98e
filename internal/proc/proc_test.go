package proc

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracksgo/internal/proc/proctest"
)

// The test binary doubles as the helper processes, as os/exec's tests do:
// PROC_TEST_ROLE selects what it does instead of running the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("PROC_TEST_ROLE") {
	case "":
		os.Exit(m.Run())
	case "parent":
		helperParent()
	case "child":
		helperChild()
	case "group-leader":
		helperGroupLeader()
	case "wakee":
		helperWakee()
	default:
		fmt.Fprintln(os.Stderr, "unknown PROC_TEST_ROLE")
		os.Exit(2)
	}
}

func sleepForever() {
	for {
		time.Sleep(time.Hour)
	}
}

// helperParent starts a child with Start (or without the parent-death
// signal when PROC_TEST_NO_PDEATHSIG is set), prints the child's pid, then
// churns OS threads (goroutines that lock their thread and exit, so the
// runtime ends those threads) and prints "churned", and waits to be killed.
func helperParent() {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROC_TEST_ROLE=child")
	cmd.Stderr = os.Stderr
	var c *Child
	var err error
	if os.Getenv("PROC_TEST_NO_PDEATHSIG") != "" {
		c, err = start(cmd, false)
	} else {
		c, err = Start(cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(c.Pid())
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // returns locked: the runtime ends this thread
			time.Sleep(time.Millisecond)
		}()
	}
	wg.Wait()
	fmt.Println("churned")
	go c.Wait()
	sleepForever()
}

// helperChild watches its lifeline when PROC_TEST_WATCH names a marker
// file: on EOF it writes the marker and exits. Otherwise it only sleeps.
func helperChild() {
	if marker := os.Getenv("PROC_TEST_WATCH"); marker != "" {
		ok := WatchParent(func() {
			os.WriteFile(marker, []byte("parent gone\n"), 0o644)
			os.Exit(0)
		})
		if !ok {
			fmt.Fprintln(os.Stderr, "no lifeline")
			os.Exit(3)
		}
		if os.Getenv(LifelineEnv) != "" {
			fmt.Fprintln(os.Stderr, "lifeline variable left in the environment")
			os.Exit(3)
		}
	}
	sleepForever()
}

// helperWakee prints "woken" for every wake-up its parent sends on the
// lifeline, and "gone" when the lifeline closes.
func helperWakee() {
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Println(s)
	}
	if !Watch(func() { say("gone"); os.Exit(0) }, func() { say("woken") }) {
		fmt.Fprintln(os.Stderr, "no lifeline")
		os.Exit(3)
	}
	fmt.Println("watching")
	sleepForever()
}

// helperGroupLeader starts a plain child (same process group, no ties),
// prints its pid and sleeps.
func helperGroupLeader() {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROC_TEST_ROLE=child")
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(cmd.Process.Pid)
	sleepForever()
}

func waitDead(t *testing.T, pid int, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for proctest.Alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("%s (pid %d) still alive 15s after its parent was killed", what, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startParent runs the helper parent as a plain child of the test (no
// ties, so the test can kill it alone) and returns it with its child's pid.
func startParent(t *testing.T, env ...string) (*exec.Cmd, *bufio.Scanner, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(os.Environ(), "PROC_TEST_ROLE=parent"), env...)
	cmd.Stderr = os.Stderr
	sc, pid := proctest.StartHelper(t, cmd)
	return cmd, sc, pid
}

func killParent(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// TestParentDeathSignalKillsTheChild: the child does not watch its
// lifeline, so only the parent-death signal can end it. It must survive
// the parent's thread churn (the forking thread lives on) and die when
// the parent is SIGKILLed.
func TestParentDeathSignalKillsTheChild(t *testing.T) {
	parent, out, child := startParent(t)
	if !out.Scan() || out.Text() != "churned" {
		t.Fatalf("helper parent did not finish churning threads: %q %v", out.Text(), out.Err())
	}
	time.Sleep(100 * time.Millisecond)
	if !proctest.Alive(child) {
		t.Fatal("the child died while its parent lives: the forking thread must have exited")
	}
	killParent(t, parent)
	waitDead(t, child, "child with a parent-death signal")
}

// TestLifelineEOFTellsTheChild: without the parent-death signal, the child
// learns from EOF on fd 3 that its parent was SIGKILLed.
func TestLifelineEOFTellsTheChild(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "gone")
	parent, out, child := startParent(t, "PROC_TEST_NO_PDEATHSIG=1", "PROC_TEST_WATCH="+marker)
	out.Scan() // churned
	time.Sleep(100 * time.Millisecond)
	if !proctest.Alive(child) {
		t.Fatal("the watching child exited while its parent lives")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the child saw EOF while its parent lives")
	}
	killParent(t, parent)
	waitDead(t, child, "child watching its lifeline")
	if b, err := os.ReadFile(marker); err != nil || string(b) != "parent gone\n" {
		t.Errorf("marker: %q, %v; want the child's own report of EOF", b, err)
	}
}

// TestKillTakesTheWholeGroup: Kill ends the child and what it started.
func TestKillTakesTheWholeGroup(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROC_TEST_ROLE=group-leader")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatal("group leader printed no pid")
	}
	grandchild, _ := strconv.Atoi(sc.Text())
	t.Cleanup(func() { syscall.Kill(grandchild, syscall.SIGKILL) })
	if pgid, err := syscall.Getpgid(c.Pid()); err != nil || pgid != c.Pid() {
		t.Errorf("child process group %d, %v; want its own (%d)", pgid, err, c.Pid())
	}
	if pgid, _ := syscall.Getpgid(grandchild); pgid != c.Pid() {
		t.Errorf("grandchild process group %d, want the child's (%d)", pgid, c.Pid())
	}
	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := c.Wait(); err == nil {
		t.Error("killed child exited cleanly")
	}
	if err := c.Wait(); err == nil {
		t.Error("second Wait lost the first result")
	}
	waitDead(t, grandchild, "grandchild in the killed group")
	if err := c.Kill(); err != nil {
		t.Errorf("Kill of a gone group: %v", err)
	}
}

func TestWatchParentWithoutLifeline(t *testing.T) {
	t.Setenv(LifelineEnv, "")
	if WatchParent(func() { t.Error("gone called") }) {
		t.Error("WatchParent found a lifeline in a process started without one")
	}
}

// A wake-up reaches the child at once, and one the child cannot take now
// (it is stopped and the pipe is full) is dropped instead of blocking the
// parent.
func TestWakeReachesTheChild(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROC_TEST_ROLE=wakee")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // the test no longer reads
			}
		}
		close(lines)
	}()
	next := func(want string) {
		t.Helper()
		select {
		case got := <-lines:
			if got != want {
				t.Fatalf("child said %q, want %q", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("child did not say %q", want)
		}
	}
	next("watching")
	for range 3 {
		c.Wake()
		next("woken")
	}

	if err := syscall.Kill(c.Pid(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 200_000 { // far more than a pipe holds
		c.Wake()
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("waking a stopped child took %v", took)
	}
	syscall.Kill(c.Pid(), syscall.SIGCONT)
	next("woken")

	c.Kill()
	c.Wait()
	c.Wake() // after the lifeline closed: nothing, and no panic
}
