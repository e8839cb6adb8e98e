// Package packtest checks zips with the readers of other programs than
// Go's.
package packtest

import (
	"os/exec"
	"strings"
	"testing"
)

// CheckWithTools tests the zip at path with `unzip -t` and with Python's
// `zipfile -t`, where they are installed (make deps installs both); a
// missing one is logged.
func CheckWithTools(tb testing.TB, path string) {
	tb.Helper()
	for _, c := range [][]string{{"unzip", "-t", path}, {"python3", "-m", "zipfile", "-t", path}} {
		if _, err := exec.LookPath(c[0]); err != nil {
			tb.Logf("%s is not installed: the zip is not tested with it", c[0])
			continue
		}
		out, err := exec.Command(c[0], c[1:]...).CombinedOutput()
		if err != nil || (c[0] == "unzip" && !strings.Contains(string(out), "No errors detected")) {
			tb.Errorf("%s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
}
