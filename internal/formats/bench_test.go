package formats_test

import (
	"bufio"
	"fmt"
	"io"
	"testing"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// bigExport is 1,000 trackers of 1,000 keyframes each.
func bigExport() []*track.Tracker {
	ts := make([]*track.Tracker, 1000)
	for i := range ts {
		t := &track.Tracker{Name: fmt.Sprintf("Tracker%d", i+1), Keyframes: make([]track.Keyframe, 1000)}
		for f := range t.Keyframes {
			t.Keyframes[f] = track.Keyframe{Frame: f, X: float64(i) + float64(f)*0.731, Y: 1080 - float64(f)*0.5173, Residual: float64(f%10) / 17}
		}
		ts[i] = t
	}
	return ts
}

// BenchmarkExport1000x1000 exports a million keyframes through each exporter.
func BenchmarkExport1000x1000(b *testing.B) {
	trackers := bigExport()
	for _, e := range formats.Exporters() {
		b.Run(e.ID, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w := bufio.NewWriter(io.Discard)
				if err := track.JustExport(e.New(w, format.Options{}), 1920, 1080, trackers); err != nil {
					b.Fatal(err)
				}
				w.Flush()
			}
		})
	}
}
