package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestJobsOverTheOutputLimitFailAndLeaveNothing uploads, through
// lighttpd, the two hostile jobs of issue 9: a 174-byte Shake text file
// whose keyframes are ten million frames apart, behind the lerp tool
// (before the limits: 71 s, 8.7 GB of memory, 18 GB written), and a
// valid 3DE v4 file of 300,000 keyframes (as large as the test service
// takes) whose 21 outputs pass the limit. Each job fails with the message that names the limit and what
// to change, keeps no result and no temporary files, and the service
// goes on converting.
func TestJobsOverTheOutputLimitFailAndLeaveNothing(t *testing.T) {
	d := startDeps(t)
	// A small limit keeps the test light; the default is 2 GiB.
	d.env = append(d.env, "JOB_OUTPUT_LIMIT=67108864")
	data := filepath.Join(t.TempDir(), "data")
	s := startService(t, d, data)

	farApart, err := os.ReadFile(filepath.Join("..", "internal", "runner", "testdata", "far_apart.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var big bytes.Buffer
	fmt.Fprintln(&big, 10)
	for tr := range 10 {
		fmt.Fprintf(&big, "track_%d\n0\n30000\n", tr)
		for f := 1; f <= 30000; f++ {
			fmt.Fprintf(&big, "%d %.1f %.1f\n", f, 100+float64(f%1000), 200+float64(tr))
		}
	}

	want := "The outputs would exceed 64 MiB, the most one conversion may write: choose fewer formats or trim the frame range"
	for _, c := range []struct {
		name   string
		data   []byte
		fields map[string]string
	}{
		{"far_apart.txt", farApart, map[string]string{"width": "1920", "height": "1080", "tools": `[{"name": "lerp"}]`}},
		{"many.txt", big.Bytes(), map[string]string{"width": "1920", "height": "1080", "importer": "equalizer4"}},
	} {
		id := s.create(c.name, c.data, c.fields, true)
		st := s.wait(id, 2*time.Minute)
		if st.State != "failed" || st.Error != want {
			t.Errorf("%s: %+v, want failed with %q", c.name, st, want)
		}
		if _, err := os.Stat(filepath.Join(data, "results", id)); !os.IsNotExist(err) {
			t.Errorf("%s: the failed job has a result folder (%v)", c.name, err)
		}
		noTmpLeft(t, data, 30*time.Second)
		_, page := s.get("/jobs/" + id)
		if !strings.Contains(string(page), "64 MiB") {
			t.Errorf("%s: the job page does not name the limit", c.name)
		}
	}

	// The service goes on converting.
	id := s.create("small.txt", []byte("TrackName a\n   Frame             X             Y   Correlation\n    1.00  1.000  1.000  1.000\n    2.00  2.000  2.000  1.000\n"),
		map[string]string{"width": "1920", "height": "1080"}, true)
	if st := s.wait(id, time.Minute); st.State != "done" {
		t.Errorf("a small job after them: %+v", st)
	}
}
