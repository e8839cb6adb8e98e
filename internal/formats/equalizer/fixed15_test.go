package equalizer

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

func TestAppendFixed15(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 4.5, 874.8, -874.8, 1079.9999999999999, 2.675,
		999.9999999999999995, 1 << 52, 1<<53 - 1, 1 << 53, 1e20, -1e300, math.Inf(1), math.Inf(-1), math.NaN(),
		math.Nextafter(1, 0), math.Nextafter(1, 2), 123456.0000000000005, 0.0000000000000005}
	for _, v := range vals {
		want := strconv.FormatFloat(v, 'f', 15, 64)
		if got := string(appendFixed15(nil, v)); got != want {
			t.Errorf("appendFixed15(%v) = %s, want %s", v, got, want)
		}
	}
	// Random values over the split range, and neighbours of integers,
	// where the fraction rounds up into the integer part.
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		v := math.Ldexp(r.Float64()+0.5, r.Intn(54))
		if i%2 == 0 {
			v = math.Nextafter(math.Round(v), math.Inf(-1+2*(i/2%2)))
		}
		if i%3 == 0 {
			v = -v
		}
		want := strconv.FormatFloat(v, 'f', 15, 64)
		if got := string(appendFixed15(nil, v)); got != want {
			t.Fatalf("appendFixed15(%v (%b)) = %s, want %s", v, v, got, want)
		}
	}
}

func FuzzAppendFixed15(f *testing.F) {
	f.Add(874.8)
	f.Add(-1079.9999999999999)
	f.Add(1e15 + 0.5)
	f.Fuzz(func(t *testing.T, v float64) {
		want := strconv.FormatFloat(v, 'f', 15, 64)
		if got := string(appendFixed15(nil, v)); got != want {
			t.Fatalf("appendFixed15(%v (%b)) = %s, want %s", v, v, got, want)
		}
	})
}

func BenchmarkAppendFixed15(b *testing.B) {
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf = appendFixed15(buf[:0], 874.8+float64(i&1023)*0.731)
	}
}
