package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// collections runs the converter on a corpus file with the collector's
// trace on and counts the collections; env is added to the environment.
func collections(t *testing.T, rel string, env ...string) int {
	t.Helper()
	args := []string{"--out", t.TempDir()}
	if w, h := formattest.LoadExpected(t, rel).Size(); w > 0 {
		args = append(args, "-w", strconv.Itoa(w), "-h", strconv.Itoa(h))
	}
	cmd := exec.Command(converterBin, append(args, formattest.ImportPath(t, rel))...)
	cmd.Env = append(append(os.Environ(), "GODEBUG=gctrace=1"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", rel, err, out)
	}
	n := 0
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "gc ") {
			n++
		}
	}
	return n
}

// TestSmallConversionsAreNotCollected: a small file converts without a
// single collection, and a large one is held to the tight heap goal
// (gcPercent) from the first collection on: more collections than at
// Go's default.
func TestSmallConversionsAreNotCollected(t *testing.T) {
	if n := collections(t, "nuke/one_tracker_with_break.nk"); n != 0 {
		t.Errorf("%d collections of a small conversion", n)
	}
	const large = "flame_stabilizer/hugeFlameSetup.stabilizer"
	tight, loose := collections(t, large), collections(t, large, "GOGC=100")
	if tight <= loose {
		t.Errorf("%s: %d collections, as many as at GOGC=100 (%d): the tight goal was not set", large, tight, loose)
	}
}
