package status

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"

	"tracksgo/internal/jobs"
	"tracksgo/internal/status/memcachedtest"
)

func running(id string, attempt int) *jobs.Job {
	return &jobs.Job{ID: id, State: jobs.Running, Runs: attempt}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after 5s waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func sets(t *testing.T, addr string) int {
	t.Helper()
	st, err := memcachedtest.Stats(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(st["cmd_set"])
	return n
}

func TestProgressReachesTheReader(t *testing.T) {
	addr := memcachedtest.Start(t)
	ctx := context.Background()
	r := NewReader(addr)
	job := running(jobs.NewID(), 1)

	if got, _ := r.Status(ctx, job); got != FromJob(job) {
		t.Errorf("no key yet: %+v, want the database's %+v", got, FromJob(job))
	}
	w := NewWriter(addr, job.ID, 1, nil)
	w.Progress(42, "Exporting")
	waitFor(t, "42% to show", func() bool {
		got, _ := r.Status(ctx, job)
		return got.Percent == 42 && got.Message == "Exporting" && got.State == jobs.Running
	})
	w.Finish(jobs.Done, "Done", "")
	w.Progress(50, "late progress after the final status is ignored")
	w.Close()
	got, err := r.get(job.ID)
	if err != nil || got.State != jobs.Done || got.Percent != 100 || got.Attempt != 1 {
		t.Errorf("final status in memcached: %+v, %v", got, err)
	}
	// The database rules the state: done in the database is done.
	job.State = jobs.Done
	if got, _ := r.Status(ctx, job); got.State != jobs.Done || got.Percent != 100 {
		t.Errorf("done job: %+v", got)
	}
}

func TestStatusOfAnOlderAttemptIsIgnored(t *testing.T) {
	addr := memcachedtest.Start(t)
	id := jobs.NewID()
	w := NewWriter(addr, id, 1, nil)
	w.Progress(80, "attempt 1 was far")
	w.Close()
	r := NewReader(addr)
	if got, _ := r.Status(context.Background(), running(id, 1)); got.Percent != 80 {
		t.Fatalf("attempt 1 reads %+v, want 80%%", got)
	}
	job := running(id, 2)
	if got, _ := r.Status(context.Background(), job); got != FromJob(job) {
		t.Errorf("attempt 2 reads %+v, want the database's %+v", got, FromJob(job))
	}
	failed := &jobs.Job{ID: id, State: jobs.Failed, Attempts: 2, Error: "The file is empty."}
	if got, _ := r.Status(context.Background(), failed); got.State != jobs.Failed || got.Error != "The file is empty." {
		t.Errorf("failed job reads %+v", got)
	}
}

// TestWritesAreThrottled: thousands of updates in a burst become at most
// about ten writes a second, and the last value is the one kept.
func TestWritesAreThrottled(t *testing.T) {
	addr := memcachedtest.Start(t)
	id := jobs.NewID()
	before := sets(t, addr)
	start := time.Now()
	w := NewWriter(addr, id, 1, nil)
	for i := 0; i <= 5000; i++ {
		w.Progress(i/50, "step "+strconv.Itoa(i))
		if i%500 == 0 {
			time.Sleep(30 * time.Millisecond)
		}
	}
	w.Close()
	elapsed := time.Since(start)
	n := sets(t, addr) - before
	limit := int(elapsed/Interval) + 2
	t.Logf("%d writes in %v (limit %d)", n, elapsed, limit)
	if n > limit || n < 1 {
		t.Errorf("%d memcached writes in %v, want between 1 and %d", n, elapsed, limit)
	}
	got, err := NewReader(addr).get(id)
	if err != nil || got.Percent != 100 || got.Message != "step 5000" {
		t.Errorf("last value: %+v, %v; want step 5000 at 100%%", got, err)
	}
}

// deadAddr is a loopback address where nothing listens.
func deadAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentAddr accepts connections and never answers: a hung memcached.
func silentAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// TestMemcachedDownBlocksNothing: with memcached refusing connections, or
// accepting and never answering, writing progress returns at once, Close
// returns within its flush bound, and the reader answers from the database.
func TestMemcachedDownBlocksNothing(t *testing.T) {
	for name, addr := range map[string]string{"refused": deadAddr(t), "hung": silentAddr(t), "not configured": ""} {
		t.Run(name, func(t *testing.T) {
			job := running(jobs.NewID(), 1)
			w := NewWriter(addr, job.ID, 1, nil)
			start := time.Now()
			for i := 0; i < 10000; i++ {
				w.Progress(i/100, "converting")
			}
			w.Finish(jobs.Done, "Done", "")
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("10000 progress updates took %v with memcached down: they must not wait for it", d)
			}
			start = time.Now()
			w.Close()
			if d := time.Since(start); d > FlushTimeout+time.Second {
				t.Errorf("Close took %v, want at most about %v", d, FlushTimeout)
			}
			r := NewReader(addr)
			start = time.Now()
			got, err := r.Status(context.Background(), job)
			if err != nil || got != FromJob(job) {
				t.Errorf("reader with memcached down: %+v, %v; want the database's %+v", got, err, FromJob(job))
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("reader took %v with memcached down", d)
			}
		})
	}
}

// TestProgressSurvivesAMemcachedRestart: memcached restarted (empty) while
// a job packs its zip at 100 %. The reader never shows less than it
// showed, and the converter's next write puts the status back, without
// any new progress from the conversion, so that a reader that saw
// nothing before (another FastCGI process) reads it too.
func TestProgressSurvivesAMemcachedRestart(t *testing.T) {
	mc := memcachedtest.StartServer(t)
	ctx := context.Background()
	job := running(jobs.NewID(), 1)
	w := NewWriter(mc.Addr, job.ID, 1, nil)
	defer w.Close()
	w.Progress(60, "Exporting")
	w.Progress(100, "Packing the files into one zip (6 of 21)")
	r := NewReader(mc.Addr)
	waitFor(t, "100% to show", func() bool {
		got, _ := r.Status(ctx, job)
		return got.Percent == 100
	})

	mc.Restart(t)
	restarted := time.Now()
	back := time.Duration(0)
	for time.Since(restarted) < 1500*time.Millisecond {
		got, _ := r.Status(ctx, job)
		if got.Percent != 100 || got.Message != "Packing the files into one zip (6 of 21)" || got.State != jobs.Running {
			t.Fatalf("%v after the restart the reader shows %+v, want what it showed before", time.Since(restarted), got)
		}
		if _, err := r.get(job.ID); err == nil && back == 0 {
			back = time.Since(restarted)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the status was back in memcached %v after the restart", back)
	if back == 0 || back > time.Second {
		t.Fatalf("the status was not back in memcached within 1s of its restart (%v)", back)
	}
	if got, _ := NewReader(mc.Addr).Status(ctx, job); got.Percent != 100 {
		t.Errorf("a new reader after the restart reads %+v", got)
	}
}

// TestPercentNeverGoesDownWithinAnAttempt: a lower percent from the
// converter is raised to the highest one set, and a lower one found in
// memcached (however it got there) does not lower what the reader shows;
// a new attempt starts from 0 again.
func TestPercentNeverGoesDownWithinAnAttempt(t *testing.T) {
	addr := memcachedtest.Start(t)
	ctx := context.Background()
	job := running(jobs.NewID(), 1)
	w := NewWriter(addr, job.ID, 1, nil)
	w.Progress(80, "Exporting")
	w.Progress(30, "Exporting Nuke")
	w.Close()
	got, err := NewReader(addr).get(job.ID)
	if err != nil || got.Percent != 80 || got.Message != "Exporting Nuke" {
		t.Fatalf("in memcached: %+v, %v; want 80%% with the latest message", got, err)
	}

	r := NewReader(addr)
	if got, _ := r.Status(ctx, job); got.Percent != 80 {
		t.Fatalf("reader: %+v", got)
	}
	lower, _ := json.Marshal(Status{State: jobs.Running, Percent: 10, Message: "Reading", Attempt: 1})
	c := memcache.New(addr)
	if err := c.Set(&memcache.Item{Key: Key(job.ID), Value: lower}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Status(ctx, job); got.Percent != 80 || got.Message != "Exporting Nuke" {
		t.Errorf("with a lower status in memcached the reader shows %+v, want the 80%% it showed", got)
	}

	job2 := running(job.ID, 2)
	if got, _ := r.Status(ctx, job2); got != FromJob(job2) {
		t.Errorf("attempt 2 without progress reads %+v, want the database's %+v", got, FromJob(job2))
	}
	w2 := NewWriter(addr, job.ID, 2, nil)
	w2.Progress(5, "Reading")
	w2.Close()
	if got, _ := r.Status(ctx, job2); got.Percent != 5 {
		t.Errorf("attempt 2 at 5%% reads %+v", got)
	}
}

// TestTheLatestStatusIsWrittenAgain: without any new progress, the
// writer keeps writing the latest status, about ten times a second.
func TestTheLatestStatusIsWrittenAgain(t *testing.T) {
	addr := memcachedtest.Start(t)
	w := NewWriter(addr, jobs.NewID(), 1, nil)
	defer w.Close()
	before := sets(t, addr)
	w.Progress(50, "Exporting")
	time.Sleep(time.Second)
	n := sets(t, addr) - before
	if n < 5 || n > 12 {
		t.Errorf("%d writes in one second after a single progress report, want about 10", n)
	}
}
