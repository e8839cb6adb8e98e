package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// BenchmarkMemoryPerKeyframe converts generated files of 1 M and 10 M
// keyframes (3DE v4 and Shake text; 100 trackers, or a single one) to
// the 21 default formats in a fresh converter process, and reports its
// peak memory (maximum resident set) and that peak per keyframe. Every
// tracker is held until the end there (Nuke, Flame and 3DE v4 write them
// all at once), so the target is 80 bytes per keyframe plus 30 MB. The
// "stream" cases convert Shake text to Shake text alone, which holds one
// tracker at a time: their target counts the keyframes of one tracker.
// `make bench` runs it (about 10 minutes and 17 GB of disk at a time on
// the 2-core VM); -bench 'MemoryPerKeyframe/1M' runs the small ones.
func BenchmarkMemoryPerKeyframe(b *testing.B) {
	const targetPerKey, targetBase = 80, 30 << 20
	for _, c := range []struct {
		name     string
		gen      func(path string, trackers, keys int) error
		trackers int
		only     string // one format, else all 21
	}{
		{"3de_v4/100_trackers", write3DE4, 100, ""},
		{"shake_text/100_trackers", writeShakeText, 100, ""},
		{"3de_v4/1_tracker", write3DE4, 1, ""},
		{"shake_text/1_tracker", writeShakeText, 1, ""},
		{"stream_shake_text/100_trackers", writeShakeText, 100, "shaketext"},
	} {
		for _, total := range []int{1_000_000, 10_000_000} {
			b.Run(fmt.Sprintf("%dM/%s", total/1_000_000, c.name), func(b *testing.B) {
				dir := b.TempDir()
				src := filepath.Join(dir, "tracks.txt")
				if err := c.gen(src, c.trackers, total/c.trackers); err != nil {
					b.Fatal(err)
				}
				held := total
				if c.only != "" {
					held = total / c.trackers
				}
				var peak int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					out := filepath.Join(dir, "out")
					os.RemoveAll(out)
					b.StartTimer()
					args := []string{"-w", "1920", "-h", "1080", "--output-limit", "0", "--out", out}
					if c.only != "" {
						args = append(args, "--only", c.only)
					}
					cmd := exec.Command(converterBin, append(args, src)...)
					if outb, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("%v\n%s", err, lastBytes(outb, 2000))
					}
					if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
						peak = max(peak, ru.Maxrss*1024)
					}
					b.StopTimer()
					os.RemoveAll(out) // removing gigabytes of outputs is not the converter's time
					b.StartTimer()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(peak)/float64(total), "bytes/keyframe")
				if limit := int64(targetPerKey*held + targetBase); peak > limit {
					b.Errorf("peak %d MB, over the target of %d MB (%d bytes for each of %d held keyframes plus %d MB)",
						peak>>20, limit>>20, targetPerKey, held, targetBase>>20)
				}
			})
		}
	}
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// write3DE4 writes a 3DE v4 point export (FORMATS.md §4.2): trackers of
// keys keyframes on frames 1…keys, positions with 15 decimals.
func write3DE4(path string, trackers, keys int) error {
	return writeLines(path, func(w *bufio.Writer) {
		fmt.Fprintf(w, "%d\n", trackers)
		var line []byte
		for t := 0; t < trackers; t++ {
			fmt.Fprintf(w, "Track_%d\n0\n%d\n", t+1, keys)
			for k := 0; k < keys; k++ {
				x, y := position(t, k)
				line = strconv.AppendInt(line[:0], int64(k+1), 10)
				line = append(line, ' ')
				line = strconv.AppendFloat(line, x, 'f', 15, 64)
				line = append(line, ' ')
				line = strconv.AppendFloat(line, y, 'f', 15, 64)
				w.Write(append(line, '\n'))
			}
		}
	})
}

// writeShakeText writes Shake tracker text (FORMATS.md §4.11).
func writeShakeText(path string, trackers, keys int) error {
	return writeLines(path, func(w *bufio.Writer) {
		for t := 0; t < trackers; t++ {
			fmt.Fprintf(w, "TrackName track%d\n   Frame             X             Y   Correlation\n", t+1)
			for k := 0; k < keys; k++ {
				x, y := position(t, k)
				fmt.Fprintf(w, "%8d.00 %13.3f %13.3f %13.3f\n", k+1, x, y, 1-float64(k%7)/100)
			}
		}
	})
}

// position is a smooth path per tracker, inside a 1920×1080 frame.
func position(t, k int) (float64, float64) {
	f := float64(k%100_000) / 100_000
	return 100 + float64(t%17)*100 + 80*f, 100 + float64(t%9)*100 + 60*f*f
}

func writeLines(path string, fill func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
