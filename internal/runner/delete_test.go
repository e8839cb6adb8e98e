package runner

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"

	"tracksgo/internal/jobs"
	"tracksgo/internal/notify"
	"tracksgo/internal/notify/smtptest"
	"tracksgo/internal/status"
	"tracksgo/internal/status/memcachedtest"
)

// deletingStore deletes the job (as its creator's delete does) at one
// point of the run: when the run records its result (the run placed its
// results after the delete removed the job's), or at the run's first look
// whether the job is still there.
type deletingStore struct {
	*jobs.SQLite
	token      string
	atComplete bool

	mu     sync.Mutex
	gets   int
	waited error // the cause of the run's context that Complete waited for
}

func (s *deletingStore) Get(ctx context.Context, id string) (*jobs.Job, error) {
	s.mu.Lock()
	s.gets++
	second := s.gets == 2 // the first is the run's own load
	s.mu.Unlock()
	if second && !s.atComplete {
		if _, err := s.SQLite.Delete(context.Background(), id, s.token); err != nil {
			return nil, err
		}
	}
	return s.SQLite.Get(ctx, id)
}

func (s *deletingStore) Complete(ctx context.Context, l jobs.Lease, r *jobs.Result) error {
	if s.atComplete {
		if _, err := s.SQLite.Delete(context.Background(), l.ID, s.token); err != nil {
			return err
		}
	} else {
		// The deletion is noticed while the run goes on: its context
		// ends, and says why.
		select {
		case <-ctx.Done():
			s.mu.Lock()
			s.waited = context.Cause(ctx)
			s.mu.Unlock()
		case <-time.After(10 * time.Second):
		}
	}
	return s.SQLite.Complete(ctx, l, r)
}

// TestDeletedJobLeavesNothing: a job deleted while it runs stops its run
// (the run looks every DeleteCheck) or, deleted after its results were
// placed, has them removed: no result folder, no status in memcached, no
// mail, no job, and the run's error is a lost lease.
func TestDeletedJobLeavesNothing(t *testing.T) {
	for _, atComplete := range []bool{true, false} {
		name := map[bool]string{true: "before recording", false: "while running"}[atComplete]
		t.Run(name, func(t *testing.T) {
			mc := memcachedtest.Start(t)
			smtpAddr, messages := smtptest.Start(t)
			f := newFixture(t, map[string]string{"MEMCACHED": mc, "SMTP_ADDR": smtpAddr})
			token, hash := jobs.NewToken()
			job := f.queue(t, "a.json", tiny(t), jobs.Options{})
			setHash(t, f.cfg.DBPath, job.ID, hash) // the fixture makes jobs without a token
			ds := &deletingStore{SQLite: f.store, token: token, atComplete: atComplete}
			r := &Runner{Config: f.cfg, Store: ds, Mailer: notify.New(f.cfg, f.log), Log: f.log, DeleteCheck: time.Millisecond}
			err := r.Run(context.Background(), job.LeaseOf())
			if !errors.Is(err, jobs.ErrLeaseLost) {
				t.Fatalf("run of a deleted job: %v, want ErrLeaseLost", err)
			}
			// The run noticed the delete itself: it stopped, or its
			// context ended while it recorded.
			if !atComplete && !errors.Is(err, errDeleted) && !errors.Is(ds.waited, errDeleted) {
				t.Errorf("run %v, its context ended with %v; want errDeleted", err, ds.waited)
			}
			if _, err := os.Stat(f.cfg.ResultDir(job.ID)); !os.IsNotExist(err) {
				t.Errorf("results of a deleted job: %v", err)
			}
			if tmp, _ := os.ReadDir(f.cfg.TmpDir()); len(tmp) != 0 {
				t.Errorf("temporary folders left: %v", tmp)
			}
			if it, err := memcache.New(mc).Get(status.Key(job.ID)); !errors.Is(err, memcache.ErrCacheMiss) {
				t.Errorf("status of a deleted job in memcached: %v %v", it, err)
			}
			if _, err := f.store.Get(context.Background(), job.ID); !errors.Is(err, jobs.ErrNotFound) {
				t.Errorf("the job: %v", err)
			}
			time.Sleep(200 * time.Millisecond)
			if m := messages(); len(m) != 0 {
				t.Errorf("a deleted job mailed the admin: %q", m)
			}
		})
	}
}

// setHash gives a job a delete token's hash, as the web's create does.
func setHash(t *testing.T, dbPath, id, hash string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE jobs SET delete_hash = ? WHERE id = ?`, hash, id); err != nil {
		t.Fatal(err)
	}
}
