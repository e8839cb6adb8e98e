package format

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendFixedMatchesStrconv(t *testing.T) {
	vals := []float64{0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.0005, 0.0015, -0.0004, 874.8, 0.1235, 0.9985, 2.675,
		1e-300, 123456789.123456, -123456789.98765, 4503599627370495.5, 1e15, 1e20, math.Inf(1), math.NaN(),
		0.125, 0.375, -0.125, 1080, 970.0, 0.04762, 1.0 / 3}
	for _, v := range vals {
		for prec := 0; prec <= 16; prec++ {
			want := strconv.FormatFloat(v, 'f', prec, 64)
			if got := string(AppendFixed(nil, v, prec)); got != want {
				t.Errorf("AppendFixed(%v, %d) = %s, want %s", v, prec, got, want)
			}
		}
	}
}

func FuzzAppendFixed(f *testing.F) {
	f.Add(874.8, 3)
	f.Add(0.0005, 3)
	f.Add(-2.5, 0)
	f.Fuzz(func(t *testing.T, v float64, prec int) {
		if prec < 0 || prec > 20 {
			return
		}
		want := strconv.FormatFloat(v, 'f', prec, 64)
		if got := string(AppendFixed(nil, v, prec)); got != want {
			t.Fatalf("AppendFixed(%v (%b), %d) = %s, want %s", v, v, prec, got, want)
		}
	})
}

func BenchmarkAppendFixed(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendFixed(buf[:0], 874.8+float64(i&1023)*0.731, 3)
	}
}

func BenchmarkStrconvFixed(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = strconv.AppendFloat(buf[:0], 874.8+float64(i&1023)*0.731, 'f', 3, 64)
	}
}
