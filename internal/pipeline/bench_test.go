package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"tracksgo/internal/formats/formattest"
)

// BenchmarkRun converts the four largest corpus files to every default
// format in-process, into files as the command line does and into a zip
// as a job does (the converter's BenchmarkLargestFiles measures the whole
// process, with its peak memory).
func BenchmarkRun(b *testing.B) {
	for _, c := range formattest.Largest {
		for _, zip := range []bool{false, true} {
			name := filepath.Base(c.File)
			if zip {
				name += "/zip"
			}
			b.Run(name, func(b *testing.B) {
				src := formattest.ImportPath(b, c.File)
				out := b.TempDir()
				req := Request{Input: src, Width: c.W, Height: c.H, OutDir: out}
				if zip {
					req.Zip = filepath.Join(out, "all.zip")
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Run(context.Background(), req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
