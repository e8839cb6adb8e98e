// Package jobs is the domain of conversion jobs: what a job is, its states,
// and the store that queues, leases and finishes them.
package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"tracksgo/internal/tools"
)

// State is where a job is in its life:
//
//	queued ──claim──▶ running ──ok──▶ done
//	   ▲                 │  └──error in the file──▶ failed
//	   ├──its converter crashed, timed out or hit its memory limit,
//	   │  attempts < max (the attempt counts); at max ──▶ failed
//	   └──not the job's fault: shutdown, stopped from outside, dispatcher
//	      gone (lease expired), result not recorded (the attempt is given
//	      back; requeues counted); past max requeues ──▶ failed
type State string

const (
	Queued  State = "queued"
	Running State = "running"
	Done    State = "done"
	Failed  State = "failed"
)

// Options are what the user asked for.
type Options struct {
	Importer  string       `json:"importer,omitempty"` // "" = detect from the file
	Width     int          `json:"width,omitempty"`
	Height    int          `json:"height,omitempty"`
	Tools     []tools.Spec `json:"tools,omitempty"`
	Exporters []string     `json:"exporters,omitempty"` // empty = every default exporter
}

// Result is what a finished conversion wrote. The comp size, counts and
// frames describe the trackers the outputs hold, after the tools; frames
// are internal, 0-based (FORMATS.md §1.1), as in the API.
type Result struct {
	Importer   string   `json:"importer"` // id of the importer that read the file
	Width      int      `json:"width"`
	Height     int      `json:"height"`
	Trackers   int      `json:"trackers"`
	Keyframes  int      `json:"keyframes"`
	FirstFrame int      `json:"first_frame"`
	LastFrame  int      `json:"last_frame"`
	Files      []string `json:"files"` // output file names, in exporter order
	// Imported is what the importer read from the file, before the tools;
	// nil in results recorded before it was kept.
	Imported *Summary `json:"imported,omitempty"`
}

// Summary describes a set of trackers; frames are internal, 0-based.
type Summary struct {
	Width      int `json:"width"`
	Height     int `json:"height"`
	Trackers   int `json:"trackers"`
	Keyframes  int `json:"keyframes"`
	FirstFrame int `json:"first_frame"`
	LastFrame  int `json:"last_frame"`
}

// Job is one conversion.
type Job struct {
	ID         string    `json:"id"`        // NewID(): 128 random bits, hex
	FileName   string    `json:"file_name"` // the name the user uploaded, for display and output names
	Upload     string    `json:"-"`         // server-chosen path of the stored upload
	Options    Options   `json:"options"`
	State      State     `json:"state"`
	Attempts   int       `json:"attempts"` // tries charged to the job: see the 002 migration
	Runs       int       `json:"-"`        // claims so far, never decreasing: the lease fence
	Requeues   int       `json:"-"`        // times put back to the queue through no fault of its own
	Owner      string    `json:"-"`        // lease holder (dispatcher id) while running
	LeaseUntil time.Time `json:"-"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
	Result     *Result   `json:"result,omitempty"`
	Error      string    `json:"error,omitempty"` // user-facing message of a failed job
	// DeleteHash is HashToken of the token that deletes the job (Delete),
	// "" for none; set by the caller of Create.
	DeleteHash string `json:"-"`
}

// Lease identifies one run of a job: every write that ends or extends the
// run is fenced on it, so a late writer cannot overwrite a newer run. Run
// is the job's claim count when it was claimed, which never decreases.
type Lease struct {
	ID    string
	Owner string
	Run   int
}

// Exit codes of a converter running a job (converter --job ...): what it
// tells its dispatcher about the outcome. Any other end (a crash, a
// signal, the Go runtime out of memory) is the job's own failure.
const (
	ExitRecorded  = 0 // the job's outcome (done or failed) is recorded
	ExitUsage     = 2 // bad arguments (the Go runtime also exits 2 when it crashes)
	ExitLeaseLost = 3 // the run no longer holds the job
	// ExitStopped: the run was stopped from outside (SIGTERM, SIGINT, its
	// dispatcher gone) before it recorded an outcome. The job is not at
	// fault and goes back to the queue.
	ExitStopped = 4
	// ExitServerFault: the server, not the file, kept the run from
	// recording an outcome (the database could not be opened or written,
	// the configuration is wrong). The job goes back to the queue.
	ExitServerFault = 5
)

var (
	// ErrNotFound: no job with that id.
	ErrNotFound = errors.New("job not found")
	// ErrLeaseLost: the attempt no longer holds the job (expired, requeued
	// or finished by someone else).
	ErrLeaseLost = errors.New("job lease lost")
	// ErrBadToken: the token does not delete that job.
	ErrBadToken = errors.New("wrong delete token")
)

// Store keeps jobs. The SQLite implementation is the one the service runs.
type Store interface {
	// Create inserts a queued job (ID, FileName, Upload, Options set by the caller).
	Create(ctx context.Context, j *Job) error
	// Get returns a job by id, or ErrNotFound.
	Get(ctx context.Context, id string) (*Job, error)
	// Claim atomically takes the oldest queued job for owner, running with a
	// lease of the given length; nil, nil when none is queued.
	Claim(ctx context.Context, owner string, lease time.Duration) (*Job, error)
	// Renew extends a run's lease, or returns ErrLeaseLost.
	Renew(ctx context.Context, l Lease, lease time.Duration) error
	// Complete and Fail end a run for good, or return ErrLeaseLost.
	Complete(ctx context.Context, l Lease, r *Result) error
	Fail(ctx context.Context, l Lease, message string) error
	// FailAttempt ends a run that failed through the job's own fault
	// (its converter crashed, timed out, ran out of memory): the job is
	// queued again while it has used fewer than maxAttempts, else failed
	// with message. It returns the job's new state, or ErrLeaseLost.
	FailAttempt(ctx context.Context, l Lease, maxAttempts int, message string) (State, error)
	// Requeue puts a run that ended through no fault of the job back to
	// the queue without charging the attempt, or fails the job with
	// RequeueMessage once it was requeued maxRequeues times. It returns
	// the job's new state, or ErrLeaseLost.
	Requeue(ctx context.Context, l Lease, maxRequeues int) (State, error)
	// Rescue requeues the running jobs whose lease expired (their
	// dispatcher is gone), as Requeue does, and returns them.
	Rescue(ctx context.Context, maxRequeues int) ([]Rescued, error)
	// Delete removes a job in any state, given the token whose HashToken
	// the job keeps, and returns it as it was (for its files): ErrNotFound
	// when there is no such job, ErrBadToken when the token is not its
	// own. A running job's run then finds its lease lost.
	Delete(ctx context.Context, id, token string) (*Job, error)
	Close() error
}

// NewID returns an unguessable job id: 128 random bits in hex.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// NewToken returns a delete token (128 random bits, hex) and the hash to
// keep in the job (Job.DeleteHash).
func NewToken() (token, hash string) {
	token = NewID()
	return token, HashToken(token)
}

// HashToken is what a job keeps of its delete token: its SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Rescued is a run whose lease expired, and the state its job was put in
// (queued, or failed after too many requeues).
type Rescued struct {
	Lease
	State State
}

// LeaseOf is the lease of a job just claimed.
func (j *Job) LeaseOf() Lease { return Lease{ID: j.ID, Owner: j.Owner, Run: j.Runs} }
