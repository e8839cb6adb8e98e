package main

import (
	"os"
	"strings"
	"testing"
)

// TestOutputLimitFlag: --output-limit bounds the bytes of all outputs
// together (2 GiB unless given); a run over it fails with the message that
// names the limit and the flag, and writes no file; 0 means no limit.
func TestOutputLimitFlag(t *testing.T) {
	in := refJSON(t, t.TempDir())
	for _, c := range []struct {
		args []string
		code int
		msg  string // in stderr
	}{
		{nil, 0, ""},
		{[]string{"--output-limit", "0"}, 0, ""},
		{[]string{"--output-limit", "1MiB"}, 0, ""},
		{[]string{"--output-limit", "4KiB"}, 1, "converter: The outputs would exceed 4 KiB, the most one conversion may write: choose fewer formats or trim the frame range (or raise --output-limit; 0 means no limit)\n"},
		{[]string{"--output-limit", "4096", "--only", "nukescript"}, 0, ""},
		{[]string{"--output-limit", "-1"}, 2, `"-1" is not a size such as 2GiB, 512MiB or a number of bytes`},
		{[]string{"--output-limit", "2TB"}, 2, `"2TB" is not a size`},
	} {
		out := t.TempDir()
		res := converter(t, nil, append(append([]string{"--out", out}, c.args...), in)...)
		if res.code != c.code || !strings.Contains(res.stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, res.code, res.stderr, c.code, c.msg)
		}
		entries, _ := os.ReadDir(out)
		if c.code != 0 && len(entries) != 0 {
			t.Errorf("%v: a failed run left %d files", c.args, len(entries))
		}
		if c.code == 0 && len(entries) == 0 {
			t.Errorf("%v: no file written", c.args)
		}
	}
	if res := converter(t, nil, "--help"); !strings.Contains(res.stderr, "-output-limit") {
		t.Errorf("--help does not list --output-limit:\n%s", res.stderr)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "2GiB": 2 << 30, "512 MiB": 512 << 20, "4KiB": 4096, "1048576": 1 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1", "1.5GiB", "9000000000GiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) succeeded", bad)
		}
	}
}
