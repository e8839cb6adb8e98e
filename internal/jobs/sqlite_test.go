package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"tracksgo/internal/tools"
)

// clock is a settable time source for the store under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openTest(t *testing.T) (*SQLite, *clock) {
	t.Helper()
	s, err := OpenSQLite(filepath.Join(t.TempDir(), "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := &clock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	s.now = c.now
	return s, c
}

func create(t *testing.T, s *SQLite, c *clock, name string) *Job {
	t.Helper()
	j := &Job{FileName: name, Upload: "/uploads/" + name, Options: Options{Importer: "json", Width: 1920, Height: 1080}}
	if err := s.Create(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Millisecond) // distinct creation times
	return j
}

func mustClaim(t *testing.T, s *SQLite, owner string) *Job {
	t.Helper()
	j, err := s.Claim(context.Background(), owner, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if j == nil {
		t.Fatalf("%s claimed nothing, want a job", owner)
	}
	return j
}

func TestMigrationsAreRecordedAndIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	for i := 0; i < 2; i++ {
		s, err := OpenSQLite(path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		v, err := s.SchemaVersion(context.Background())
		if err != nil || v != 3 {
			t.Errorf("open #%d: schema version %d, %v; want 3", i+1, v, err)
		}
		var mode string
		if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal mode %q, %v; want wal", mode, err)
		}
		s.Close()
	}
}

func TestCreateGetRoundTrip(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	in := &Job{FileName: "shot 1.nk", Upload: "/data/uploads/x", Options: Options{
		Importer: "nuke", Width: 2048, Height: 1556,
		Tools:     []tools.Spec{{Name: "Scaler", Params: tools.Values{"x_factor": "2"}}},
		Exporters: []string{"nuke", "syntheyes"},
	}}
	if err := s.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	if len(in.ID) != 32 {
		t.Errorf("generated id %q, want 32 hex digits", in.ID)
	}
	got, err := s.Get(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != Queued || got.Attempts != 0 || !got.Created.Equal(c.now()) {
		t.Errorf("new job: state %s attempts %d created %v", got.State, got.Attempts, got.Created)
	}
	if !reflect.DeepEqual(got.Options, in.Options) || got.FileName != in.FileName || got.Upload != in.Upload {
		t.Errorf("round trip: got %+v, want %+v", got, in)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.Create(ctx, &Job{ID: in.ID, FileName: "dup"}); err == nil {
		t.Error("creating a job with an existing id succeeded")
	}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s *SQLite, c *clock)
	}{
		{"claim takes the oldest queued job first", func(t *testing.T, s *SQLite, c *clock) {
			a, b, d := create(t, s, c, "a"), create(t, s, c, "b"), create(t, s, c, "d")
			for _, want := range []*Job{a, b, d} {
				got := mustClaim(t, s, "w1")
				if got.ID != want.ID || got.State != Running || got.Owner != "w1" || got.Attempts != 1 || got.Runs != 1 {
					t.Errorf("claimed %s (%s, owner %q, attempt %d, run %d), want %s running by w1 attempt 1 run 1",
						got.FileName, got.State, got.Owner, got.Attempts, got.Runs, want.FileName)
				}
				if !got.LeaseUntil.Equal(c.now().Add(time.Minute)) {
					t.Errorf("lease until %v, want %v", got.LeaseUntil, c.now().Add(time.Minute))
				}
			}
			if j, err := s.Claim(ctx, "w1", time.Minute); j != nil || err != nil {
				t.Errorf("claim on an empty queue = %v, %v; want nil, nil", j, err)
			}
		}},
		{"complete records the result", func(t *testing.T, s *SQLite, c *clock) {
			create(t, s, c, "a")
			j := mustClaim(t, s, "w1")
			r := &Result{Importer: "NukeScript", Width: 10, Height: 20, Trackers: 3, Keyframes: 30,
				FirstFrame: 1, LastFrame: 10, Files: []string{"a_nuke.nk", "a.txt"},
				Imported: &Summary{Width: 5, Height: 10, Trackers: 4, Keyframes: 31, FirstFrame: -2, LastFrame: 9}}
			if err := s.Complete(ctx, j.LeaseOf(), r); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Get(ctx, j.ID)
			if got.State != Done || !reflect.DeepEqual(got.Result, r) || got.Owner != "" {
				t.Errorf("after complete: %s owner %q result %+v", got.State, got.Owner, got.Result)
			}
			var trackers, last int
			s.db.QueryRow(`SELECT trackers, last_frame FROM jobs WHERE id = ?`, j.ID).Scan(&trackers, &last)
			if trackers != 3 || last != 10 {
				t.Errorf("count columns: trackers %d last frame %d", trackers, last)
			}
		}},
		{"fail records the message", func(t *testing.T, s *SQLite, c *clock) {
			create(t, s, c, "a")
			j := mustClaim(t, s, "w1")
			if err := s.Fail(ctx, j.LeaseOf(), "The file is empty."); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Get(ctx, j.ID)
			if got.State != Failed || got.Error != "The file is empty." || got.Result != nil {
				t.Errorf("after fail: %s %q %+v", got.State, got.Error, got.Result)
			}
		}},
		{"renew extends the lease", func(t *testing.T, s *SQLite, c *clock) {
			create(t, s, c, "a")
			j := mustClaim(t, s, "w1")
			c.advance(50 * time.Second)
			if err := s.Renew(ctx, j.LeaseOf(), time.Minute); err != nil {
				t.Fatal(err)
			}
			c.advance(50 * time.Second) // past the first lease, within the renewed one
			if rescued, err := s.Rescue(ctx, 3); err != nil || len(rescued) != 0 {
				t.Fatal(rescued, err)
			}
			if got, _ := s.Get(ctx, j.ID); got.State != Running {
				t.Errorf("renewed job rescued: %s", got.State)
			}
		}},
		{"a stale lease cannot write after a rescue and a new claim", func(t *testing.T, s *SQLite, c *clock) {
			create(t, s, c, "a")
			old := mustClaim(t, s, "w1").LeaseOf()
			c.advance(2 * time.Minute)
			if _, err := s.Rescue(ctx, 3); err != nil {
				t.Fatal(err)
			}
			fresh := mustClaim(t, s, "w2").LeaseOf()
			if fresh.Run != 2 {
				t.Errorf("second claim run %d, want 2", fresh.Run)
			}
			for name, write := range map[string]func() error{
				"renew":    func() error { return s.Renew(ctx, old, time.Minute) },
				"complete": func() error { return s.Complete(ctx, old, &Result{Trackers: 99}) },
				"fail":     func() error { return s.Fail(ctx, old, "late") },
				"requeue":  func() error { _, err := s.Requeue(ctx, old, 20); return err },
				"fail attempt": func() error {
					_, err := s.FailAttempt(ctx, old, 3, "late")
					return err
				},
			} {
				if err := write(); !errors.Is(err, ErrLeaseLost) {
					t.Errorf("stale %s = %v, want ErrLeaseLost", name, err)
				}
			}
			// Same owner, older run: fenced too.
			sameOwner := Lease{ID: fresh.ID, Owner: fresh.Owner, Run: 1}
			if err := s.Complete(ctx, sameOwner, &Result{}); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("complete with an older run number = %v, want ErrLeaseLost", err)
			}
			if err := s.Complete(ctx, fresh, &Result{Trackers: 1}); err != nil {
				t.Fatalf("current lease: %v", err)
			}
			got, _ := s.Get(ctx, fresh.ID)
			if got.State != Done || got.Result.Trackers != 1 {
				t.Errorf("job %s trackers %d, want done with the current attempt's result", got.State, got.Result.Trackers)
			}
			// A finished job takes no more writes, not even from its last lease.
			if err := s.Fail(ctx, fresh, "again"); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("fail after complete = %v, want ErrLeaseLost", err)
			}
		}},
		{"rescue requeues expired runs without charging an attempt, and fails past the requeue cap", func(t *testing.T, s *SQLite, c *clock) {
			a := create(t, s, c, "a")
			for run := 1; run <= 3; run++ {
				j := mustClaim(t, s, fmt.Sprintf("w%d", run))
				if j.ID != a.ID || j.Runs != run || j.Attempts != 1 {
					t.Fatalf("claim %d: job %s run %d attempt %d, want run %d attempt 1", run, j.FileName, j.Runs, j.Attempts, run)
				}
				c.advance(59 * time.Second)
				if rescued, _ := s.Rescue(ctx, 2); len(rescued) != 0 {
					t.Fatalf("rescue before the lease expired: %v", rescued)
				}
				if got, _ := s.Get(ctx, a.ID); got.State != Running {
					t.Fatalf("rescued before the lease expired: %s", got.State)
				}
				c.advance(2 * time.Second)
				rescued, err := s.Rescue(ctx, 2)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := s.Get(ctx, a.ID)
				want := Queued
				if run == 3 {
					want = Failed // two requeues allowed, the third expiry fails it
				}
				if len(rescued) != 1 || rescued[0].ID != a.ID || rescued[0].Run != run || rescued[0].State != want {
					t.Fatalf("run %d expired: rescued %+v, want %s run %d %s", run, rescued, a.ID, run, want)
				}
				if got.State != want || got.Owner != "" || got.Attempts != 0 || got.Requeues != run {
					t.Fatalf("run %d expired: %s owner %q attempts %d requeues %d", run, got.State, got.Owner, got.Attempts, got.Requeues)
				}
				if run == 3 && got.Error != RequeueMessage(2) {
					t.Fatalf("failed with %q, want %q", got.Error, RequeueMessage(2))
				}
			}
			if j, _ := s.Claim(ctx, "w9", time.Minute); j != nil {
				t.Errorf("claimed a failed job")
			}
		}},
		{"requeue gives the attempt back and counts the requeue", func(t *testing.T, s *SQLite, c *clock) {
			a := create(t, s, c, "a")
			create(t, s, c, "b")
			j := mustClaim(t, s, "w1")
			st, err := s.Requeue(ctx, j.LeaseOf(), 20)
			if err != nil || st != Queued {
				t.Fatalf("requeue = %s, %v; want queued", st, err)
			}
			got := mustClaim(t, s, "w2")
			if got.ID != a.ID || got.Runs != 2 || got.Attempts != 1 || got.Requeues != 1 {
				t.Errorf("after requeue claimed %s run %d attempt %d requeues %d, want a again at run 2, attempt 1, 1 requeue",
					got.FileName, got.Runs, got.Attempts, got.Requeues)
			}
		}},
		{"requeue past the cap fails the job without blaming the file", func(t *testing.T, s *SQLite, c *clock) {
			a := create(t, s, c, "a")
			for i := 0; i < 3; i++ {
				j := mustClaim(t, s, "w1")
				st, err := s.Requeue(ctx, j.LeaseOf(), 2)
				want := map[bool]State{true: Failed, false: Queued}[i == 2]
				if err != nil || st != want {
					t.Fatalf("requeue %d = %s, %v; want %s", i+1, st, err, want)
				}
			}
			got, _ := s.Get(ctx, a.ID)
			if got.State != Failed || got.Error != RequeueMessage(2) || got.Requeues != 3 || got.Runs != 3 {
				t.Errorf("after 3 requeues with a cap of 2: %s %q requeues %d runs %d", got.State, got.Error, got.Requeues, got.Runs)
			}
		}},
		{"fail attempt requeues while attempts remain and fails at max", func(t *testing.T, s *SQLite, c *clock) {
			a := create(t, s, c, "a")
			for attempt := 1; attempt <= 3; attempt++ {
				j := mustClaim(t, s, "w1")
				if j.Attempts != attempt {
					t.Fatalf("claim %d: attempt %d", attempt, j.Attempts)
				}
				st, err := s.FailAttempt(ctx, j.LeaseOf(), 3, "The conversion crashed.")
				want := map[bool]State{true: Failed, false: Queued}[attempt == 3]
				if err != nil || st != want {
					t.Fatalf("attempt %d: fail attempt = %s, %v; want %s", attempt, st, err, want)
				}
				got, _ := s.Get(ctx, a.ID)
				if wantErr := map[bool]string{true: "The conversion crashed."}[attempt == 3]; got.Error != wantErr || got.Requeues != 0 {
					t.Fatalf("attempt %d: error %q requeues %d", attempt, got.Error, got.Requeues)
				}
			}
		}},
		{"a claim on an idle queue takes no write lock", func(t *testing.T, s *SQLite, c *clock) {
			tx, err := s.db.BeginTx(ctx, nil) // IMMEDIATE: holds the write lock
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			short, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			start := time.Now()
			if j, err := s.Claim(short, "w1", time.Minute); j != nil || err != nil {
				t.Errorf("claim on an empty queue under another writer = %v, %v; want nil, nil", j, err)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("claim on an empty queue waited %v for the write lock", d)
			}
		}},
		{"delete older than removes only finished old jobs", func(t *testing.T, s *SQLite, c *clock) {
			done, failed, running := create(t, s, c, "done"), create(t, s, c, "failed"), create(t, s, c, "running")
			mustClaim(t, s, "w")
			mustClaim(t, s, "w")
			mustClaim(t, s, "w")
			s.Complete(ctx, Lease{done.ID, "w", 1}, &Result{})
			s.Fail(ctx, Lease{failed.ID, "w", 1}, "x")
			c.advance(time.Hour)
			recent := create(t, s, c, "recent")
			cut := c.now()
			c.advance(time.Hour)
			ids, err := s.DeleteOlderThan(ctx, cut)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{done.ID, failed.ID}
			if want[0] > want[1] {
				want[0], want[1] = want[1], want[0]
			}
			if !reflect.DeepEqual(ids, want) {
				t.Errorf("deleted %v, want %v", ids, want)
			}
			for _, j := range []*Job{running, recent} {
				if _, err := s.Get(ctx, j.ID); err != nil {
					t.Errorf("%s: %v", j.FileName, err)
				}
			}
			if _, err := s.Get(ctx, done.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted job still there: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := openTest(t)
			tt.run(t, s, c)
		})
	}
}

// TestConcurrentClaimsTakeEachJobOnce: eight connections (each its own
// database handle, as separate processes would have) claim from 200 jobs
// at once; every job is claimed exactly once.
func TestConcurrentClaimsTakeEachJobOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	seed, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	ctx := context.Background()
	const n = 200
	ids := map[string]bool{}
	for i := 0; i < n; i++ {
		j := &Job{FileName: fmt.Sprintf("f%d.json", i), Upload: "/u"}
		if err := seed.Create(ctx, j); err != nil {
			t.Fatal(err)
		}
		ids[j.ID] = true
	}
	const claimers = 8
	var (
		mu      sync.Mutex
		claimed = map[string][]string{}
		wg      sync.WaitGroup
		errs    = make(chan error, claimers)
	)
	start := make(chan struct{})
	for w := 0; w < claimers; w++ {
		s, err := OpenSQLite(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.db.SetMaxOpenConns(1)
		owner := fmt.Sprintf("w%d", w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				j, err := s.Claim(ctx, owner, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if j == nil {
					return
				}
				mu.Lock()
				claimed[j.ID] = append(claimed[j.ID], owner)
				mu.Unlock()
				if err := s.Complete(ctx, j.LeaseOf(), &Result{}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(claimed) != n {
		t.Errorf("%d jobs claimed, want %d", len(claimed), n)
	}
	owners := map[string]int{}
	for id, by := range claimed {
		if !ids[id] {
			t.Errorf("claimed unknown job %s", id)
		}
		if len(by) != 1 {
			t.Errorf("job %s claimed %d times, by %v", id, len(by), by)
		}
		owners[by[0]]++
	}
	t.Logf("claims per connection: %v", owners)
	var left int
	seed.db.QueryRow(`SELECT COUNT(*) FROM jobs WHERE state != 'done'`).Scan(&left)
	if left != 0 {
		t.Errorf("%d jobs not done", left)
	}
}

// TestBusyDatabase: while another connection holds the write lock (BEGIN
// EXCLUSIVE, as an operator's sqlite3 shell may), an up-to-date database
// still opens at once and reads; a write waits the busy timeout and then
// fails with an error IsBusy recognises, and succeeds once the lock is
// gone.
func TestBusyDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits the busy timeout")
	}
	path := filepath.Join(t.TempDir(), "jobs.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	j := &Job{FileName: "a", Upload: "/u"}
	if err := s.Create(ctx, j); err != nil {
		t.Fatal(err)
	}
	lock, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	conn, err := lock.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	other, err := OpenSQLite(path)
	if err != nil {
		t.Fatalf("open under a held write lock: %v", err)
	}
	defer other.Close()
	if _, err := other.Get(ctx, j.ID); err != nil {
		t.Fatalf("read under a held write lock: %v", err)
	}
	if d := time.Since(start); d > BusyTimeout/2 {
		t.Errorf("open and read waited %v", d)
	}
	_, err = other.Claim(ctx, "w", time.Minute)
	if !IsBusy(err) {
		t.Fatalf("claim under a held write lock = %v, want a busy error", err)
	}
	if IsBusy(ErrLeaseLost) || IsBusy(nil) {
		t.Error("IsBusy of other errors")
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if got, err := other.Claim(ctx, "w", time.Minute); err != nil || got == nil {
		t.Fatalf("claim after the lock = %v, %v", got, err)
	}
}

// TestMigrationFromTheFirstSchema: a database of the first schema, with a
// job claimed twice, gets runs = attempts, so the lease of its running
// run stays valid across the upgrade.
func TestMigrationFromTheFirstSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := migrations.ReadFile("migrations/001_jobs.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(first),
		`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)`,
		`INSERT INTO schema_version VALUES (1, 0)`,
		`INSERT INTO jobs (id, file_name, upload, state, attempts, owner, lease_until, created, updated)
			VALUES ('j1', 'a', '/u', 'running', 2, 'w1', 9000000000000000000, 0, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j, err := s.Get(context.Background(), "j1")
	if err != nil {
		t.Fatal(err)
	}
	if j.Runs != 2 || j.Attempts != 2 || j.Requeues != 0 || j.DeleteHash != "" {
		t.Errorf("migrated job: runs %d attempts %d requeues %d delete hash %q", j.Runs, j.Attempts, j.Requeues, j.DeleteHash)
	}
	// A job made before delete tokens is the retention's alone.
	if _, err := s.Delete(context.Background(), "j1", ""); !errors.Is(err, ErrBadToken) {
		t.Errorf("deleting a job without a token with the empty token: %v, want ErrBadToken", err)
	}
	if err := s.Renew(context.Background(), Lease{ID: "j1", Owner: "w1", Run: 2}, time.Minute); err != nil {
		t.Errorf("the running run's lease after the upgrade: %v", err)
	}
}

// TestDelete: the token deletes its job in any state, once; another token
// (or none) deletes nothing; a deleted run finds its lease lost.
func TestDelete(t *testing.T) {
	s, c := openTest(t)
	ctx := context.Background()
	var tokens []string
	var made []*Job
	for _, name := range []string{"queued.nk", "running.nk", "done.nk", "failed.nk"} {
		token, hash := NewToken()
		if len(token) != 32 || hash == token || hash != HashToken(token) {
			t.Fatalf("token %q hash %q", token, hash)
		}
		j := &Job{FileName: name, Upload: "/uploads/" + name, DeleteHash: hash}
		if err := s.Create(ctx, j); err != nil {
			t.Fatal(err)
		}
		c.advance(time.Millisecond)
		tokens, made = append(tokens, token), append(made, j)
	}
	running := mustClaim(t, s, "w1") // queued.nk, for now
	running2 := mustClaim(t, s, "w1")
	done := mustClaim(t, s, "w1")
	if err := s.Complete(ctx, done.LeaseOf(), &Result{}); err != nil {
		t.Fatal(err)
	}
	failed := mustClaim(t, s, "w1")
	if err := s.Fail(ctx, failed.LeaseOf(), "no"); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Requeue(ctx, running.LeaseOf(), 5); err != nil || st != Queued { // queued.nk back to the queue
		t.Fatal(st, err)
	}

	for i, j := range made {
		if _, err := s.Delete(ctx, j.ID, tokens[(i+1)%len(tokens)]); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s with another job's token: %v, want ErrBadToken", j.FileName, err)
		}
		if _, err := s.Delete(ctx, j.ID, ""); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s without a token: %v, want ErrBadToken", j.FileName, err)
		}
		got, err := s.Delete(ctx, j.ID, tokens[i])
		if err != nil || got.ID != j.ID || got.Upload != j.Upload {
			t.Errorf("%s: deleted %+v, %v", j.FileName, got, err)
		}
		if _, err := s.Get(ctx, j.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s after its delete: %v, want ErrNotFound", j.FileName, err)
		}
		if _, err := s.Delete(ctx, j.ID, tokens[i]); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s deleted twice: %v, want ErrNotFound", j.FileName, err)
		}
	}
	// The run of the deleted running job can neither renew nor record.
	if err := s.Renew(ctx, running2.LeaseOf(), time.Minute); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("renewing a deleted job: %v", err)
	}
	if err := s.Complete(ctx, running2.LeaseOf(), &Result{}); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("completing a deleted job: %v", err)
	}
	if j, err := s.Claim(ctx, "w2", time.Minute); j != nil || err != nil {
		t.Errorf("claim after every job was deleted: %v %v", j, err)
	}
}
