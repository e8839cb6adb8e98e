package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// onlyInput fails unless dir holds nothing but the input file.
func onlyInput(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("a failed run left %v", names)
	}
}

// TestOutputLimit: the outputs of a run draw on one byte budget, all
// formats together. A budget as large as what they write lets the run
// through; one byte less fails it with a message that names the limit and
// what to change, and leaves no file.
func TestOutputLimit(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "ref.json", 1920, 1080, formattest.RefTrackers())
	now := formattest.Clock(t, "Sun Dec 06 10:00:00 2026")
	out := t.TempDir()
	res, err := Run(context.Background(), Request{Input: in, OutDir: out, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range res.Files {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		total += st.Size()
	}
	if total < 10000 {
		t.Fatalf("the outputs hold %d bytes, too few for the test", total)
	}
	for _, c := range []struct {
		limit int64
		err   string
	}{
		{0, ""},
		{total, ""},
		{total - 1, "The outputs would exceed " + Bytes(total-1) + ", the most one conversion may write: choose fewer formats or trim the frame range"},
		{4096, "The outputs would exceed 4 KiB, the most one conversion may write: choose fewer formats or trim the frame range"},
	} {
		out := t.TempDir()
		_, err := Run(context.Background(), Request{Input: in, OutDir: out, Now: now, OutputLimit: c.limit})
		if c.err == "" {
			if err != nil {
				t.Errorf("limit %d of %d bytes: %v", c.limit, total, err)
			}
			continue
		}
		if err == nil || err.Error() != c.err || userCode(err) != format.CodeOutputLimit {
			t.Errorf("limit %d: error %v (code %q), want %q", c.limit, err, userCode(err), c.err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("limit %d: the failed run left %d files", c.limit, len(entries))
		}
	}
}

// TestOutputLimitStopsEarly: a run whose tools make far more than the
// budget allows (Lerp over a gap of two million frames, 3.5 GB in every
// format) fails within seconds, not after writing everything, and leaves
// nothing behind.
func TestOutputLimitStopsEarly(t *testing.T) {
	if testing.Short() {
		t.Skip("makes two million keyframes")
	}
	dir := t.TempDir()
	in := writeJSON(t, dir, "gap.json", 1920, 1080, []*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{
		{Frame: 0, X: 1, Y: 1}, {Frame: 2_000_000, X: 1000, Y: 1000}}}})
	start := time.Now()
	_, err := Run(context.Background(), Request{Input: in, Tools: []tools.Spec{{Name: "lerp"}},
		OutputLimit: 1 << 20, KeyframeLimit: tools.DefaultKeyframeLimit})
	took := time.Since(start)
	if userCode(err) != format.CodeOutputLimit || !strings.Contains(err.Error(), "exceed 1 MiB") {
		t.Fatalf("got %v", err)
	}
	onlyInput(t, dir)
	// The error code says it stopped at the limit; the time is only a
	// guard (writing everything takes some 15 s on the 2-core VM, far
	// more under the race detector).
	t.Logf("failed after %v", took)
	if took > time.Minute {
		t.Errorf("the run failed after %v", took)
	}
}

// TestKeyframeLimitIsOneForTheRun: the keyframes the tools create are
// counted once for the run, not once per format, and a run over the
// limit fails before it writes anything.
func TestKeyframeLimitIsOneForTheRun(t *testing.T) {
	dir := t.TempDir()
	// Lerp fills frames 1-4 and 6-9: 8 keyframes.
	in := writeJSON(t, dir, "gaps.json", 100, 100, []*track.Tracker{
		{Name: "a", Keyframes: []track.Keyframe{{Frame: 0}, {Frame: 5, X: 5}}},
		{Name: "b", Keyframes: []track.Keyframe{{Frame: 0}, {Frame: 5, Y: 5}}},
	})
	lerp := []tools.Spec{{Name: "lerp"}}
	out := t.TempDir()
	res, err := Run(context.Background(), Request{Input: in, OutDir: out, Tools: lerp, KeyframeLimit: 8})
	if err != nil {
		t.Fatalf("8 keyframes created in every format under a limit of 8: %v", err)
	}
	if res.Keyframes != 12 || len(res.Files) != 21 {
		t.Fatalf("wrote %d keyframes into %d files", res.Keyframes, len(res.Files))
	}
	_, err = Run(context.Background(), Request{Input: in, Tools: lerp, KeyframeLimit: 7})
	want := "lerp: the tools would create more than 7 keyframes, the most one conversion may add: remove the lerp tool or trim the frame range"
	if err == nil || err.Error() != want || userCode(err) != format.CodeKeyframeLimit {
		t.Fatalf("error %v, want %q", err, want)
	}
	onlyInput(t, dir)
}

// TestFeedLetsGoOfPassedTrackers: a tracker stays in the feed until every
// reader has passed it; a reader that stops early no longer holds any.
func TestFeedLetsGoOfPassedTrackers(t *testing.T) {
	f := newFeed(2)
	a, b := f.newReader(), f.newReader()
	tr := func(name string) *track.Tracker {
		return &track.Tracker{Name: name, Keyframes: []track.Keyframe{{Frame: 1}, {Frame: 2}}}
	}
	held := func() (n int) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, e := range f.list {
			if e.t != nil {
				n++
			}
		}
		return n
	}
	f.add(tr("t0"))
	f.add(tr("t1"))
	f.add(tr("t 2")) // not settled: its name is not sanitized
	if got, settled, ok := a.read(); !ok || got.Name != "t0" || !settled {
		t.Fatalf("a read %v %v %v", got, settled, ok)
	}
	if a.read(); held() != 3 {
		t.Fatalf("a passed t0, b did not: the feed holds %d trackers, want 3", held())
	}
	if b.read(); held() != 3 {
		t.Fatalf("both are on t0 or t1: the feed holds %d, want 3", held())
	}
	if b.read(); held() != 2 {
		t.Fatalf("both passed t0: the feed holds %d, want 2", held())
	}
	if got, settled, _ := b.read(); got.Name != "t 2" || settled {
		t.Fatalf("b read %v, settled %v", got, settled)
	}
	b.close() // b stops; a is still on t1
	if held() != 2 {
		t.Fatalf("a still on t1: the feed holds %d, want 2", held())
	}
	f.add(tr("t3"))
	f.close()
	for {
		if _, _, ok := a.read(); !ok {
			break
		}
	}
	if held() != 0 {
		t.Fatalf("every reader passed every tracker: the feed holds %d", held())
	}
	if name, keys := f.info(3); name != "t3" || keys != 2 {
		t.Fatalf("info(3) = %q, %d", name, keys)
	}
	a.close()
	if slowest([]*reader{a, b}) != ^uint64(0) {
		t.Fatal("closed readers are not past everything")
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{2 << 30: "2 GiB", 512 << 20: "512 MiB", 1536: "1536 bytes", 2048: "2 KiB", 1: "1 byte", 3 << 40: "3 TiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCollectorGathersLongTrackers: the tools' output is gathered in
// chunks and handed on as trackers of exactly their length, in order.
func TestCollectorGathersLongTrackers(t *testing.T) {
	r := &exportRun{ctx: context.Background(), out: newFeed(1)}
	c := &collector{run: r}
	rd := r.out.newReader()
	for _, n := range []int{70_000, 1, 16 << 10, 70} {
		c.StartTracker(fmt.Sprint("t", n))
		for i := 0; i < n; i++ {
			if err := c.ExportPoint(track.Keyframe{Frame: i, X: float64(n)}); err != nil {
				t.Fatal(err)
			}
		}
		c.EndTracker()
		got, settled, ok := rd.read()
		if !ok || got.Name != fmt.Sprint("t", n) || got.Len() != n || cap(got.Keyframes) != n || !settled {
			t.Fatalf("tracker of %d: got %q with %d keyframes (cap %d), settled %v", n, got.Name, got.Len(), cap(got.Keyframes), settled)
		}
		for i, k := range got.Keyframes {
			if k.Frame != i || k.X != float64(n) {
				t.Fatalf("tracker of %d: keyframe %d is %+v", n, i, k)
			}
		}
	}
}
