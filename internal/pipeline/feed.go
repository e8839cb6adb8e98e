package pipeline

import (
	"math"
	"sync"
	"sync/atomic"

	"tracksgo/internal/track"
)

// feed is the list of trackers one stage hands to the next: the imported
// trackers to the exporter chains (or to the tools), the tools' output to
// the chains. Readers may start while trackers are still added, so that
// the exports of a format whose comp size is known up front overlap with
// its parsing. Every reader reads the list in order; once each one has
// passed a tracker the feed lets go of it, so a tracker that no exporter
// keeps is freed as soon as it is written: a conversion between formats
// that stream holds one tracker at a time, not the file.
type feed struct {
	mu      sync.Mutex
	grown   sync.Cond
	list    []entry
	done    bool
	readers int // readers still reading: those a new tracker waits for
}

// entry is one tracker of a feed and what is kept of it once released.
type entry struct {
	t       *track.Tracker // nil once every reader passed it
	name    string         // for the progress messages
	keys    int            // keyframes
	settled bool           // track.Settled(t), worked out once for every reader
	left    int            // readers that have not passed it yet
}

// newFeed returns a feed that the given number of readers will read,
// each through one of f.reader's results.
func newFeed(readers int) *feed {
	f := &feed{readers: readers}
	f.grown.L = &f.mu
	return f
}

// add appends a tracker and wakes the readers. The tracker must not
// change any more.
func (f *feed) add(t *track.Tracker) {
	e := entry{t: t, name: t.Name, keys: t.Len(), settled: track.Settled(t)}
	f.mu.Lock()
	e.left = f.readers
	if e.left == 0 {
		e.t = nil // every reader has stopped: nobody will read it
	}
	f.list = append(f.list, e)
	f.mu.Unlock()
	f.grown.Broadcast()
}

// close says no tracker will be added any more.
func (f *feed) close() {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
	f.grown.Broadcast()
}

// len is the number of trackers so far.
func (f *feed) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.list)
}

// info is the name and keyframe count of tracker i, kept after release.
func (f *feed) info(i int) (string, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.list[i].name, f.list[i].keys
}

// pass records that one more reader is done with tracker i; called with
// f.mu held.
func (f *feed) pass(i int) {
	e := &f.list[i]
	if e.left--; e.left == 0 {
		e.t = nil
	}
}

// reader is one reader's way through a feed. Its position (the tracker it
// is on and the keyframes of it it has sent) is published for the
// progress reports, which follow the slowest reader.
type reader struct {
	f      *feed
	next   int // index of the tracker the next call to read returns
	held   bool
	closed bool
	pos    atomic.Uint64 // tracker<<32 | keyframes sent of it; max when finished
}

// newReader returns one of the readers newFeed was told of.
func (f *feed) newReader() *reader { return &reader{f: f} }

// position packs a tracker index and a keyframe count for reader.pos.
func position(tracker, keys int) uint64 { return uint64(tracker)<<32 | uint64(uint32(keys)) }

// read waits for the next tracker, releasing the one it returned before;
// false when the feed was closed before it. settled tells whether the
// tracker may go whole to a track.WholeExporter.
func (r *reader) read() (t *track.Tracker, settled bool, ok bool) {
	f := r.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.held {
		r.held = false
		f.pass(r.next - 1)
	}
	for r.next >= len(f.list) && !f.done {
		f.grown.Wait()
	}
	if r.next >= len(f.list) {
		return nil, false, false
	}
	e := &f.list[r.next]
	r.next++
	r.held = true
	r.pos.Store(position(r.next-1, 0))
	return e.t, e.settled, true
}

// sent publishes that keys keyframes of the current tracker went out.
func (r *reader) sent(keys int) { r.pos.Store(position(r.next-1, keys)) }

// close says the reader will read no more (it finished or failed): the
// trackers it did not pass no longer wait for it, nor do later ones.
func (r *reader) close() {
	f := r.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	if r.held {
		r.held = false
		f.pass(r.next - 1)
	}
	for i := r.next; i < len(f.list); i++ {
		f.pass(i)
	}
	r.next = len(f.list)
	f.readers--
	r.pos.Store(math.MaxUint64)
}
