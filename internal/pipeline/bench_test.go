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
	for _, c := range formattest.Largest {
		b.Run(filepath.Base(c.File), func(b *testing.B) {
			src := formattest.ImportPath(b, c.File)
			out := b.TempDir()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Run(context.Background(), Request{Input: src, Width: c.W, Height: c.H, OutDir: out}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
