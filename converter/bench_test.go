package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// BenchmarkLargestFiles converts each of the four largest corpus files to
// every format in a fresh converter process, as the reference was measured
// (whole process, import plus all exports), and reports the peak memory
// (maximum resident set) of that process.
func BenchmarkLargestFiles(b *testing.B) {
	for _, c := range []struct {
		file string
		w, h int
	}{
		{"nuke/45trackers.nk", 2048, 1176},
		{"match_mover/NonSequentialMatchmoverPoints.rz2", 0, 0},
		{"pftrack5/garage.2dt", 1920, 1080},
		{"flame_stabilizer/hugeFlameSetup.stabilizer", 0, 0},
	} {
		b.Run(filepath.Base(c.file), func(b *testing.B) {
			src := formattest.ImportPath(b, c.file)
			var peak int64
			for i := 0; i < b.N; i++ {
				out := b.TempDir()
				args := []string{"--out", out}
				if c.w > 0 {
					args = append(args, "-w", strconv.Itoa(c.w), "-h", strconv.Itoa(c.h))
				}
				cmd := exec.Command(converterBin, append(args, src)...)
				if outb, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, outb)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
					peak = ru.Maxrss
				}
				os.RemoveAll(out)
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}
