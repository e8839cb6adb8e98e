package format

import (
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"testing"
)

func TestAppendFixedMatchesStrconv(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1.5, 2.5, -2.5, 0.0005, 0.0015, -0.0004, 874.8, 0.1235, 0.9985, 2.675,
		1e-300, 123456789.123456, -123456789.98765, 4503599627370495.5, 1e15, 1e20, math.Inf(1), math.NaN(),
		0.125, 0.375, -0.125, 1080, 970.0, 0.04762, 1.0 / 3,
		// Just below a half: where round(x) = floor(x+0.5) goes wrong.
		math.Nextafter(0.5, 0), math.Nextafter(-0.5, 0), math.Nextafter(1.5, 0), math.Nextafter(0.0005, 0),
		math.Nextafter(2.5, 3), math.Nextafter(1<<51+0.5, 0), 1<<52 - 0.5,
		// Products that land exactly halfway (Nuke's 4-decimal values at
		// 3 decimals), and exact binary ties.
		192.0925, 191.5285, 936.5750, 0.0625, 0.1875, 1.0625, -0.0625}
	for _, v := range vals {
		for prec := 0; prec <= 16; prec++ {
			want := strconv.FormatFloat(v, 'f', prec, 64)
			if got := appendBoth(func(b []byte) []byte { return AppendFixed(b, v, prec) }); got != want {
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
		if got := appendBoth(func(b []byte) []byte { return AppendFixed(b, v, prec) }); got != want {
			t.Fatalf("AppendFixed(%v (%b), %d) = %s, want %s", v, v, prec, got, want)
		}
	})
}

// trackValues are coordinates like a track's: pixels with noisy fractions.
func trackValues() []float64 {
	r := rand.New(rand.NewSource(1))
	v := make([]float64, 1<<14)
	for i := range v {
		v[i] = r.Float64() * 2000
	}
	return v
}

func BenchmarkAppendFixed(b *testing.B) {
	vals := trackValues()
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendFixed(buf[:0], vals[i&(len(vals)-1)], 3)
	}
}

func BenchmarkStrconvFixed(b *testing.B) {
	vals := trackValues()
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = strconv.AppendFloat(buf[:0], vals[i&(len(vals)-1)], 'f', 3, 64)
	}
}

func TestAppendFixedRandom(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 1000000; i++ {
		prec := r.Intn(16)
		v := math.Ldexp(r.Float64(), r.Intn(60)-20)
		switch i % 6 {
		case 1:
			v = -v
		case 2:
			v = math.Round(v*pow10[prec]) / pow10[prec] // exact decimals
		case 3:
			v = (math.Floor(v*pow10[prec]) + 0.5) / pow10[prec] // near ties
		case 4, 5:
			// an ulp to either side of a near tie
			v = math.Nextafter((math.Floor(v*pow10[prec])+0.5)/pow10[prec], math.Inf(9-2*(i%6)))
		}
		want := strconv.FormatFloat(v, 'f', prec, 64)
		if got := appendBoth(func(b []byte) []byte { return AppendFixed(b, v, prec) }); got != want {
			t.Fatalf("AppendFixed(%v, %d) = %s, want %s", v, prec, got, want)
		}
	}
}

// appendBoth runs an append function on a full buffer and on a roomy one
// (the fast paths need room), both holding "x", and returns what it
// appended, or a note that the two differ.
func appendBoth(f func([]byte) []byte) string {
	tight := string(f([]byte("x")))
	roomy := string(f(append(make([]byte, 0, 64), 'x')))
	if tight != roomy || tight == "" || tight[0] != 'x' {
		return fmt.Sprintf("full buffer %q, roomy buffer %q", tight, roomy)
	}
	return tight[1:]
}

func TestAppendInt(t *testing.T) {
	for _, n := range []int{math.MinInt64, -10001, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 1e7 - 1, 1e7, 1e8 - 1, 1e8, math.MaxInt64} {
		if got, want := appendBoth(func(b []byte) []byte { return AppendInt(b, n) }), strconv.Itoa(n); got != want {
			t.Errorf("AppendInt(%d) = %s, want %s", n, got, want)
		}
	}
	for n := -100; n < 200000; n += 1 + n/1000 {
		if got, want := appendBoth(func(b []byte) []byte { return AppendInt(b, n) }), strconv.Itoa(n); got != want {
			t.Fatalf("AppendInt(%d) = %s, want %s", n, got, want)
		}
	}
}

func BenchmarkAppendFixedPrec(b *testing.B) {
	vals := trackValues()
	for _, prec := range []int{3, 5, 6, 10, 15} {
		b.Run(strconv.Itoa(prec), func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for i := 0; i < b.N; i++ {
				buf = AppendFixed(buf[:0], vals[i&(len(vals)-1)]/1000, prec)
			}
		})
	}
}
