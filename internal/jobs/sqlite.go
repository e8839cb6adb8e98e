package jobs

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// RequeueMessage is the user-facing error of a job that went back to the
// queue maxRequeues times through no fault of its own (restarts,
// dispatchers that died, a database that could not take its result) and
// was interrupted once more: the file is not blamed.
func RequeueMessage(maxRequeues int) string {
	return fmt.Sprintf("The conversion was interrupted %d times by problems on the server, not with your file; please try again later.", maxRequeues+1)
}

// IsBusy tells whether err is SQLite's "database is locked" or "busy":
// another connection held the write lock for longer than the busy
// timeout. The write may succeed when tried again.
func IsBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// SQLite is the Store the service runs: one database file shared by the
// web processes, every dispatcher and every converter. It is opened in WAL
// mode (readers never wait for the writer) with a busy timeout (writers
// queue for the lock instead of failing) and every transaction begins
// IMMEDIATE, so no two writers deadlock upgrading a read lock.
type SQLite struct {
	db  *sql.DB
	now func() time.Time // the clock; tests move it
}

var _ Store = (*SQLite)(nil)

// BusyTimeout is how long a connection waits for the write lock.
const BusyTimeout = 10 * time.Second

// OpenSQLite opens (creating if needed) the database at path and applies
// the embedded migrations that it lacks. Several processes may open the
// same file at once.
func OpenSQLite(path string) (*SQLite, error) {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.Itoa(int(BusyTimeout/time.Millisecond)))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &SQLite{db: db, now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), 2*BusyTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	return s, nil
}

// WatchChanges calls changed whenever a change was committed to the
// database by another connection, in this process or another, looking
// every interval until ctx ends (SQLite's data_version, read on a
// connection of its own: a cheap read of the WAL index, no lock). A
// dispatcher so learns of a job queued by any web process within the
// interval, without querying the jobs table in a loop. Errors are waited
// out: the dispatcher's own poll is the safety net.
func (s *SQLite) WatchChanges(ctx context.Context, interval time.Duration, changed func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	last := int64(-1)
	for {
		if conn == nil {
			conn, _ = s.db.Conn(ctx)
			last = -1
		}
		if conn != nil {
			var v int64
			if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
				conn.Close()
				conn = nil
			} else {
				if last >= 0 && v != last {
					changed()
				}
				last = v
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// withTx runs fn in one IMMEDIATE transaction: committed when fn returns
// nil, rolled back otherwise.
func (s *SQLite) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// migrate applies, in name order, the embedded migrations whose version
// (the number before the first '_') is above the recorded schema version.
// All of it happens in one IMMEDIATE transaction, so processes starting
// together apply each migration once. A database already up to date is
// only read: every converter opens the database, and a start must not
// wait for the write lock (nor fail when another connection holds it).
func (s *SQLite) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if latest, err := migrationVersion(names[len(names)-1]); err == nil {
		if v, err := s.SchemaVersion(ctx); err == nil && v >= latest {
			return nil
		}
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version INTEGER PRIMARY KEY,
			applied INTEGER NOT NULL
		)`); err != nil {
			return fmt.Errorf("create schema_version: %w", err)
		}
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		for _, name := range names {
			base := strings.TrimPrefix(name, "migrations/")
			version, err := migrationVersion(name)
			if err != nil {
				return err
			}
			if version <= current {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", base, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, ?)`,
				version, s.now().UnixNano()); err != nil {
				return fmt.Errorf("record migration %s: %w", base, err)
			}
			current = version
		}
		return nil
	})
}

// migrationVersion is the number a migration's file name starts with.
func migrationVersion(name string) (int, error) {
	base := strings.TrimPrefix(name, "migrations/")
	num, _, _ := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if err != nil {
		return 0, fmt.Errorf("migration %s: name must start with a number", base)
	}
	return v, nil
}

// SchemaVersion is the highest migration applied.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

const jobColumns = `id, file_name, upload, options, state, attempts, runs, requeues, owner, lease_until,
	created, updated, result, error, delete_hash`

type rowScanner interface{ Scan(dest ...any) error }

func scanJob(row rowScanner) (*Job, error) {
	var (
		j                           Job
		options                     string
		result                      sql.NullString
		leaseUntil, created, update int64
	)
	if err := row.Scan(&j.ID, &j.FileName, &j.Upload, &options, &j.State, &j.Attempts, &j.Runs, &j.Requeues, &j.Owner,
		&leaseUntil, &created, &update, &result, &j.Error, &j.DeleteHash); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(options), &j.Options); err != nil {
		return nil, fmt.Errorf("job %s: options: %w", j.ID, err)
	}
	if result.Valid && result.String != "" {
		j.Result = new(Result)
		if err := json.Unmarshal([]byte(result.String), j.Result); err != nil {
			return nil, fmt.Errorf("job %s: result: %w", j.ID, err)
		}
	}
	if leaseUntil != 0 {
		j.LeaseUntil = time.Unix(0, leaseUntil)
	}
	j.Created = time.Unix(0, created)
	j.Updated = time.Unix(0, update)
	return &j, nil
}

// Create inserts j as a queued job. An empty ID gets NewID(); Created,
// Updated, State and Attempts are set here and written back into j.
func (s *SQLite) Create(ctx context.Context, j *Job) error {
	if j.ID == "" {
		j.ID = NewID()
	}
	options, err := json.Marshal(j.Options)
	if err != nil {
		return fmt.Errorf("job %s: options: %w", j.ID, err)
	}
	now := s.now()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO jobs (id, file_name, upload, options, state, created, updated, delete_hash)
		VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`,
		j.ID, j.FileName, j.Upload, string(options), now.UnixNano(), now.UnixNano(), j.DeleteHash); err != nil {
		return fmt.Errorf("create job %s: %w", j.ID, err)
	}
	j.State, j.Attempts, j.Runs, j.Requeues, j.Owner, j.LeaseUntil = Queued, 0, 0, 0, "", time.Time{}
	j.Created, j.Updated = time.Unix(0, now.UnixNano()), time.Unix(0, now.UnixNano())
	j.Result, j.Error = nil, ""
	return nil
}

// Get returns the job with that id, or ErrNotFound.
func (s *SQLite) Get(ctx context.Context, id string) (*Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get job %s: %w", id, err)
	}
	return j, nil
}

// Claim takes the oldest queued job in one statement: SQLite runs it under
// the database's write lock, so two claimers never get the same job. The
// claim counts an attempt and a run; Requeue gives the attempt back.
func (s *SQLite) Claim(ctx context.Context, owner string, lease time.Duration) (*Job, error) {
	// A read first: every dispatcher polls, and a poll that finds nothing
	// must not take the write lock.
	var queued bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'queued')`).Scan(&queued); err != nil {
		return nil, fmt.Errorf("claim a job for %s: %w", owner, err)
	}
	if !queued {
		return nil, nil
	}
	now := s.now()
	j, err := scanJob(s.db.QueryRowContext(ctx, `UPDATE jobs
		SET state = 'running', owner = ?, lease_until = ?, attempts = attempts + 1, runs = runs + 1, updated = ?
		WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created, rowid LIMIT 1)
		  AND state = 'queued'
		RETURNING `+jobColumns,
		owner, now.Add(lease).UnixNano(), now.UnixNano()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim a job for %s: %w", owner, err)
	}
	return j, nil
}

// fence is the WHERE clause of every write of one run; fenceArgs its
// arguments.
const fence = `id = ? AND owner = ? AND runs = ? AND state = 'running'`

func fenceArgs(l Lease) []any { return []any{l.ID, l.Owner, l.Run} }

// fenced runs an UPDATE whose WHERE clause is the lease fence and turns
// "no row" into ErrLeaseLost.
func (s *SQLite) fenced(ctx context.Context, what string, l Lease, set string, args ...any) error {
	args = append(args, fenceArgs(l)...)
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET `+set+` WHERE `+fence, args...)
	if err != nil {
		return fmt.Errorf("%s job %s (run %d): %w", what, l.ID, l.Run, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s job %s (run %d): %w", what, l.ID, l.Run, err)
	}
	if n == 0 {
		return fmt.Errorf("%s job %s (run %d, owner %s): %w", what, l.ID, l.Run, l.Owner, ErrLeaseLost)
	}
	return nil
}

// fencedState is fenced for an UPDATE that decides the job's new state.
func (s *SQLite) fencedState(ctx context.Context, what string, l Lease, set string, args ...any) (State, error) {
	args = append(args, fenceArgs(l)...)
	var st State
	err := s.db.QueryRowContext(ctx, `UPDATE jobs SET `+set+` WHERE `+fence+` RETURNING state`, args...).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s job %s (run %d, owner %s): %w", what, l.ID, l.Run, l.Owner, ErrLeaseLost)
	}
	if err != nil {
		return "", fmt.Errorf("%s job %s (run %d): %w", what, l.ID, l.Run, err)
	}
	return st, nil
}

// Renew extends the lease of a running run.
func (s *SQLite) Renew(ctx context.Context, l Lease, lease time.Duration) error {
	now := s.now()
	return s.fenced(ctx, "renew", l, `lease_until = ?, updated = ?`, now.Add(lease).UnixNano(), now.UnixNano())
}

// Complete records the result of a run: the job is done.
func (s *SQLite) Complete(ctx context.Context, l Lease, r *Result) error {
	if r == nil {
		r = &Result{}
	}
	if r.Files == nil {
		r.Files = []string{}
	}
	result, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("complete job %s: result: %w", l.ID, err)
	}
	return s.fenced(ctx, "complete", l, `state = 'done', owner = '', lease_until = 0, updated = ?,
		result = ?, trackers = ?, keyframes = ?, first_frame = ?, last_frame = ?, error = ''`,
		s.now().UnixNano(), string(result), r.Trackers, r.Keyframes, r.FirstFrame, r.LastFrame)
}

// Fail ends a run with the user-facing message: the job failed.
func (s *SQLite) Fail(ctx context.Context, l Lease, message string) error {
	return s.fenced(ctx, "fail", l, `state = 'failed', owner = '', lease_until = 0, updated = ?, error = ?`,
		s.now().UnixNano(), message)
}

// FailAttempt ends a run that failed through the job's own fault: the
// attempt stays counted; the job is queued again while attempts remain,
// else failed with message.
func (s *SQLite) FailAttempt(ctx context.Context, l Lease, maxAttempts int, message string) (State, error) {
	return s.fencedState(ctx, "fail the attempt of", l, `
		state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued' END,
		error = CASE WHEN attempts >= ? THEN ? ELSE '' END,
		owner = '', lease_until = 0, updated = ?`,
		maxAttempts, maxAttempts, message, s.now().UnixNano())
}

// requeue is the SET clause of Requeue and Rescue: the attempt is given
// back, the requeue counted, and past the cap the job fails.
const requeue = `
		state = CASE WHEN requeues >= ? THEN 'failed' ELSE 'queued' END,
		error = CASE WHEN requeues >= ? THEN ? ELSE '' END,
		attempts = attempts - 1, requeues = requeues + 1,
		owner = '', lease_until = 0, updated = ?`

// Requeue puts a run that ended through no fault of the job back to the
// queue (shutdown, stopped from outside, a result that could not be
// recorded) without charging its attempt, unless the job was already
// requeued maxRequeues times: then it fails with RequeueMessage. The run
// number stays, so fencing stays sound.
func (s *SQLite) Requeue(ctx context.Context, l Lease, maxRequeues int) (State, error) {
	return s.fencedState(ctx, "requeue", l, requeue,
		maxRequeues, maxRequeues, RequeueMessage(maxRequeues), s.now().UnixNano())
}

// Rescue requeues, as Requeue does, the running jobs whose lease expired:
// their dispatcher is gone (or stalled), which is not the job's fault. It
// returns the runs rescued, by job id (their Owner is not known any more).
func (s *SQLite) Rescue(ctx context.Context, maxRequeues int) ([]Rescued, error) {
	now := s.now().UnixNano()
	// A read first: every dispatcher rescues on every poll, and most polls
	// find nothing, which must not take the write lock.
	var expired bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM jobs
		WHERE state = 'running' AND lease_until < ?)`, now).Scan(&expired); err != nil {
		return nil, fmt.Errorf("rescue: %w", err)
	}
	if !expired {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `UPDATE jobs SET `+requeue+`
		WHERE state = 'running' AND lease_until < ?
		RETURNING id, runs, state`, maxRequeues, maxRequeues, RequeueMessage(maxRequeues), now, now)
	if err != nil {
		return nil, fmt.Errorf("rescue: %w", err)
	}
	defer rows.Close()
	var out []Rescued
	for rows.Next() {
		var r Rescued
		if err := rows.Scan(&r.ID, &r.Run, &r.State); err != nil {
			return nil, fmt.Errorf("rescue: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rescue: %w", err)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].ID < out[k].ID })
	return out, nil
}

// Delete removes the job if token is its delete token, whatever its state.
// One statement decides, so two deletes never both succeed: the second
// finds no job.
func (s *SQLite) Delete(ctx context.Context, id, token string) (*Job, error) {
	hash := HashToken(token)
	j, err := scanJob(s.db.QueryRowContext(ctx, `DELETE FROM jobs
		WHERE id = ? AND delete_hash = ? AND delete_hash != ''
		RETURNING `+jobColumns, id, hash))
	if err == nil {
		return j, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("delete job %s: %w", id, err)
	}
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err // ErrNotFound, or the database's trouble
	}
	return nil, fmt.Errorf("delete job %s: %w", id, ErrBadToken)
}

// DeleteOlderThan deletes the finished (done or failed) jobs last updated
// before t and returns their ids, so the caller can remove their files.
// Queued and running jobs are never deleted.
func (s *SQLite) DeleteOlderThan(ctx context.Context, t time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `DELETE FROM jobs
		WHERE state IN ('done', 'failed') AND updated < ?
		RETURNING id`, t.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("delete jobs older than %s: %w", t.Format(time.RFC3339), err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("delete old jobs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete old jobs: %w", err)
	}
	sort.Strings(ids)
	return ids, nil
}
