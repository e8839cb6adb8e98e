package status

import (
	"sync"

	"github.com/bradfitz/gomemcache/memcache"
)

// batchGetter reads keys from memcached for many callers at once. A key
// asked for while a read is on its way waits for the next read, which
// asks for every key then wanted in one multi-get: under load one round
// trip answers many status polls, where a round trip each cost the web
// process a write, a read and a wake-up of memcached per poll. Unloaded,
// a read asks for one key as soon as it is wanted, as Get does.
type batchGetter struct {
	client *memcache.Client

	mu      sync.Mutex
	waiting []*getCall
	busy    bool // a loop is reading
}

type getCall struct {
	key  string
	item *memcache.Item
	err  error
	done chan struct{}
}

// Get returns the item of key, memcache.ErrCacheMiss if memcached has
// none, or the error of the read that asked for it.
func (b *batchGetter) Get(key string) (*memcache.Item, error) {
	c := &getCall{key: key, done: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, c)
	if !b.busy {
		b.busy = true
		go b.loop()
	}
	b.mu.Unlock()
	<-c.done
	return c.item, c.err
}

// loop reads what is waiting until nothing is.
func (b *batchGetter) loop() {
	for {
		b.mu.Lock()
		calls := b.waiting
		b.waiting = nil
		if len(calls) == 0 {
			b.busy = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.read(calls)
	}
}

func (b *batchGetter) read(calls []*getCall) {
	keys := make([]string, 0, len(calls))
	seen := make(map[string]bool, len(calls))
	for _, c := range calls {
		if !seen[c.key] {
			seen[c.key] = true
			keys = append(keys, c.key)
		}
	}
	items, err := b.client.GetMulti(keys)
	for _, c := range calls {
		switch it := items[c.key]; {
		case err != nil:
			c.err = err
		case it == nil:
			c.err = memcache.ErrCacheMiss
		default:
			c.item = it
		}
		close(c.done)
	}
}
