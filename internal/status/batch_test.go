package status

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/bradfitz/gomemcache/memcache"

	"tracksgo/internal/status/memcachedtest"
)

// Many readers at once, over a unix socket as the service runs memcached:
// each gets its own key's value or a miss, and fewer reads reach
// memcached than there are readers.
func TestBatchGetterAnswersEachCaller(t *testing.T) {
	for _, addr := range []string{memcachedtest.Start(t), memcachedtest.StartUnix(t)} {
		t.Run(addr, func(t *testing.T) {
			c := newClient(addr)
			for i := range 50 {
				if err := c.Set(&memcache.Item{Key: fmt.Sprintf("k%d", i), Value: []byte(fmt.Sprint(i))}); err != nil {
					t.Fatal(err)
				}
			}
			before, err := memcachedtest.Stats(addr)
			if err != nil {
				t.Fatal(err)
			}
			b := &batchGetter{client: c}
			var wg sync.WaitGroup
			const callers = 400
			for i := range callers {
				wg.Go(func() {
					key := fmt.Sprintf("k%d", i%60) // k50…k59 are missing
					it, err := b.Get(key)
					switch {
					case i%60 >= 50:
						if !errors.Is(err, memcache.ErrCacheMiss) {
							t.Errorf("%s: %v, %v; want a miss", key, it, err)
						}
					case err != nil:
						t.Errorf("%s: %v", key, err)
					case string(it.Value) != fmt.Sprint(i%60):
						t.Errorf("%s: %q", key, it.Value)
					}
				})
			}
			wg.Wait()
			after, err := memcachedtest.Stats(addr)
			if err != nil {
				t.Fatal(err)
			}
			// cmd_get counts the keys asked for: one read per caller
			// would ask 400; shared reads ask each key once per read.
			if asked := atoi(after["cmd_get"]) - atoi(before["cmd_get"]); asked >= callers || asked == 0 {
				t.Errorf("%d keys asked of memcached for %d callers", asked, callers)
			} else {
				t.Logf("%d keys asked of memcached for %d callers", asked, callers)
			}
		})
	}
}

// With memcached gone, every caller gets the error, and none waits for
// ever.
func TestBatchGetterFailsEveryCaller(t *testing.T) {
	srv := memcachedtest.StartServer(t)
	b := &batchGetter{client: newClient(srv.Addr)}
	srv.Restart(t) // a fresh memcached: the key is gone
	if _, err := b.Get("gone"); !errors.Is(err, memcache.ErrCacheMiss) {
		t.Fatalf("after a restart: %v, want a miss", err)
	}
	b = &batchGetter{client: newClient("127.0.0.1:1")}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := b.Get("k"); err == nil || errors.Is(err, memcache.ErrCacheMiss) {
				t.Errorf("no memcached: %v, want a connection error", err)
			}
		})
	}
	wg.Wait()
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
