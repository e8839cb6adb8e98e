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
	for _, c := range formattest.Largest {
		b.Run(filepath.Base(c.File), func(b *testing.B) {
			src := formattest.ImportPath(b, c.File)
			var peak int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				out := b.TempDir()
				b.StartTimer()
				args := []string{"--out", out}
				if c.W > 0 {
					args = append(args, "-w", strconv.Itoa(c.W), "-h", strconv.Itoa(c.H))
				}
				cmd := exec.Command(converterBin, append(args, src)...)
				if outb, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, outb)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
					peak = ru.Maxrss
				}
				b.StopTimer()
				os.RemoveAll(out) // removing 100 MB of outputs is not the converter's time
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}
