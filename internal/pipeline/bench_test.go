package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// BenchmarkRun converts the four largest corpus files to every default
// format in-process (the converter's BenchmarkLargestFiles measures the
// whole process, with its peak memory).
func BenchmarkRun(b *testing.B) {
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
			out := b.TempDir()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Run(context.Background(), Request{Input: src, Width: c.w, Height: c.h, OutDir: out}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
