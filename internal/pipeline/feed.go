package pipeline

import (
	"sync"

	"tracksgo/internal/track"
)

// feed is the list of imported trackers. Exporter chains may start reading
// it while the import still adds to it, so that the exports of a format
// whose comp size is known up front overlap with its parsing.
type feed struct {
	mu    sync.Mutex
	grown sync.Cond
	list  []*track.Tracker
	done  bool
}

func newFeed() *feed {
	f := &feed{}
	f.grown.L = &f.mu
	return f
}

// add appends a tracker and wakes the readers.
func (f *feed) add(t *track.Tracker) {
	f.mu.Lock()
	f.list = append(f.list, t)
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

// at waits for the i-th tracker; false when the import ended before it.
func (f *feed) at(i int) (*track.Tracker, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i >= len(f.list) && !f.done {
		f.grown.Wait()
	}
	if i < len(f.list) {
		return f.list[i], true
	}
	return nil, false
}

// len is the number of trackers so far.
func (f *feed) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.list)
}
