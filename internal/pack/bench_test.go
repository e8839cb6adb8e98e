package pack_test

import (
	"compress/flate"
	"context"
	"io"
	"os"
	"testing"

	kflate "github.com/klauspost/compress/flate"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/pack"
	"tracksgo/internal/pipeline"
)

// BenchmarkCompress compresses the 21 outputs of nuke/45trackers.nk
// (192 MB) one after the other, with compress/flate and with
// klauspost/compress at their fastest levels and the next ones, and
// reports the ratio (uncompressed / compressed) beside the speed. Each
// output is written in 64 KiB pieces, as an output's buffer hands them
// over. pack.Level is the choice.
func BenchmarkCompress(b *testing.B) {
	src := formattest.ImportPath(b, "nuke/45trackers.nk")
	out := b.TempDir()
	res, err := pipeline.Run(context.Background(), pipeline.Request{Input: src, Width: 2048, Height: 1176, OutDir: out})
	if err != nil {
		b.Fatal(err)
	}
	var outputs [][]byte
	var total int64
	for _, f := range res.Files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		outputs = append(outputs, data)
		total += int64(len(data))
	}
	for _, c := range []struct {
		name string
		new  func(io.Writer) io.WriteCloser
	}{
		{"stdlib-1", func(w io.Writer) io.WriteCloser { z, _ := flate.NewWriter(w, flate.BestSpeed); return z }},
		{"stdlib-2", func(w io.Writer) io.WriteCloser { z, _ := flate.NewWriter(w, 2); return z }},
		{"klauspost-1", func(w io.Writer) io.WriteCloser { z, _ := kflate.NewWriter(w, 1); return z }},
		{"klauspost-2", func(w io.Writer) io.WriteCloser { z, _ := kflate.NewWriter(w, 2); return z }},
		{"pack.Level", func(w io.Writer) io.WriteCloser { z, _ := kflate.NewWriter(w, pack.Level); return z }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(total)
			var compressed int64
			for b.Loop() {
				compressed = 0
				for _, data := range outputs {
					n := &counter{}
					z := c.new(n)
					for rest := data; len(rest) > 0; {
						k := min(64<<10, len(rest))
						if _, err := z.Write(rest[:k]); err != nil {
							b.Fatal(err)
						}
						rest = rest[k:]
					}
					if err := z.Close(); err != nil {
						b.Fatal(err)
					}
					compressed += n.n
				}
			}
			b.ReportMetric(float64(total)/float64(compressed), "ratio")
		})
	}
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
