package status

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"

	"tracksgo/internal/jobs"
	"tracksgo/internal/status/memcachedtest"
)

// TestCachedAnswersOnlyWhatMemcachedKnowsForSure: a running status is
// answered while its converter keeps writing it, never lower than before
// within the attempt; a final one always; an old running one (its
// converter stopped writing), a missing key or memcached down never.
func TestCachedAnswersOnlyWhatMemcachedKnowsForSure(t *testing.T) {
	addr := memcachedtest.Start(t)
	r := NewReader(addr)
	id := jobs.NewID()
	if _, ok := r.Cached(id); ok {
		t.Error("answered without a key")
	}

	w := NewWriter(addr, id, 2, nil)
	w.Progress(60, "Exporting")
	waitFor(t, "60% to show", func() bool {
		s, ok := r.Cached(id)
		return ok && s.State == jobs.Running && s.Percent == 60 && s.Attempt == 2 && s.Message == "Exporting" && s.At == 0
	})
	w.Close() // the converter stops writing: the status ages
	put := func(s Status) {
		t.Helper()
		b, _ := json.Marshal(s)
		if err := memcache.New(addr).Set(&memcache.Item{Key: Key(id), Value: b}); err != nil {
			t.Fatal(err)
		}
	}
	put(Status{State: jobs.Running, Percent: 30, Message: "lower", Attempt: 2, At: time.Now().UnixMilli()})
	if s, ok := r.Cached(id); !ok || s.Percent != 60 || s.Message != "Exporting" {
		t.Errorf("a lower percent of the same attempt: %+v %v, want the 60%% read before", s, ok)
	}
	put(Status{State: jobs.Running, Percent: 70, Attempt: 2, At: time.Now().Add(-2 * Fresh).UnixMilli()})
	if s, ok := r.Cached(id); ok {
		t.Errorf("a status older than Fresh was answered: %+v", s)
	}
	put(Status{State: jobs.Running, Percent: 70, Attempt: 2})
	if s, ok := r.Cached(id); ok {
		t.Errorf("a status without its time was answered: %+v", s)
	}

	w = NewWriter(addr, id, 3, nil)
	w.Finish(jobs.Failed, "The conversion failed", "Unknown input format")
	w.Close()
	time.Sleep(2 * Fresh) // final statuses do not age
	if s, ok := r.Cached(id); !ok || s.State != jobs.Failed || s.Error != "Unknown input format" || s.Attempt != 3 {
		t.Errorf("failed: %+v %v", s, ok)
	}

	if _, ok := NewReader(deadAddr(t)).Cached(id); ok {
		t.Error("answered with memcached down")
	}
}

// TestDeleteRemovesTheStatus: a deleted job's status is gone from
// memcached, whether deleted by a reader (the web process) or by address
// (its converter), and deleting a missing one is no error.
func TestDeleteRemovesTheStatus(t *testing.T) {
	addr := memcachedtest.Start(t)
	r := NewReader(addr)
	for i, del := range []func(id string) error{r.Delete, func(id string) error { return Delete(addr, id) }} {
		id := jobs.NewID()
		w := NewWriter(addr, id, 1, nil)
		w.Finish(jobs.Done, "Done", "")
		w.Close()
		if _, ok := r.Cached(id); !ok {
			t.Fatalf("#%d: no status before the delete", i)
		}
		if err := del(id); err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		if s, ok := r.Cached(id); ok {
			t.Errorf("#%d: status after the delete: %+v", i, s)
		}
		if err := del(id); err != nil {
			t.Errorf("#%d: deleting it again: %v", i, err)
		}
	}
	if err := Delete("", jobs.NewID()); err != nil || NewReader("").Delete(jobs.NewID()) != nil {
		t.Error("without memcached a delete must do nothing")
	}
}
