package main

import (
	"fmt"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// TestSummaryLineDescribesTheOutputs: the line printed after a conversion
// says what the outputs hold, after the tools, with frames counted from 1.
// The reference tracks are 3 trackers of 39 keyframes on internal frames
// 0-20, one of which has a single keyframe.
func TestSummaryLineDescribesTheOutputs(t *testing.T) {
	size := fmt.Sprintf("%dx%d", formattest.RefWidth, formattest.RefHeight)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no tools", nil,
			"Found and converted 3 trackers with 39 keyframes on frames 1-21 counting from 1 (JSON, " + size + ")."},
		{"slip 1000", []string{"--slip", "1000"},
			"Found 3 trackers with 39 keyframes (JSON, " + size + "); after the tools, wrote 3 trackers with 39 keyframes on frames 1001-1021 counting from 1 (" + size + ")."},
		{"slip and drop a tracker", []string{"--slip", "1000", "--min-length", "2"},
			"Found 3 trackers with 39 keyframes (JSON, " + size + "); after the tools, wrote 2 trackers with 38 keyframes on frames 1001-1021 counting from 1 (" + size + ")."},
		{"trim and reformat", []string{"--slip", "-5", "--trim", "--reformat-x", "100", "--reformat-y", "50"},
			"Found 3 trackers with 39 keyframes (JSON, " + size + "); after the tools, wrote 2 trackers with 28 keyframes on frames 1-16 counting from 1 (100x50)."},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := refJSON(t, t.TempDir())
			res := converter(t, nil, append(append([]string{"--only", "json"}, c.args...), in)...)
			if res.code != 0 {
				t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
			if len(lines) < 2 || lines[len(lines)-2] != c.want || !strings.HasPrefix(lines[len(lines)-1], "Wrote ") {
				t.Errorf("stdout ends\n%s\nwant the summary\n%s", strings.Join(lines[max(0, len(lines)-2):], "\n"), c.want)
			}
		})
	}
}
