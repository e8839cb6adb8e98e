package logging

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestDailyFileRotates(t *testing.T) {
	dir := t.TempDir()
	d, err := NewDailyFile(dir, "worker")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	day1 := time.Date(2026, 11, 28, 23, 59, 0, 0, time.UTC)
	d.now = func() time.Time { return day1 }
	d.Write([]byte("one\n"))
	d.now = func() time.Time { return day1.Add(2 * time.Minute) }
	d.Write([]byte("two\n"))
	for _, c := range []struct {
		t    time.Time
		want string
	}{{day1, "one\n"}, {day1.Add(2 * time.Minute), "two\n"}} {
		b, err := os.ReadFile(d.Path(c.t))
		if err != nil || string(b) != c.want {
			t.Fatalf("%s: got %q, %v; want %q", d.Path(c.t), b, err, c.want)
		}
	}
	if !strings.HasSuffix(d.Path(day1), "worker-2026-11-28.log") {
		t.Fatalf("unexpected name %s", d.Path(day1))
	}
}
