package format

import (
	"math"
	"strconv"
)

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// AppendFixed appends v formatted like fmt's %.<prec>f: correctly rounded
// from the exact binary value, ties to even, "-" kept for negative values
// that round to zero. It is several times faster than strconv for the
// magnitudes of track data, and falls back to strconv elsewhere.
func AppendFixed(dst []byte, v float64, prec int) []byte {
	if prec < 0 || prec >= len(pow10) || !(math.Abs(v) < 1<<52/pow10[prec]) {
		return strconv.AppendFloat(dst, v, 'f', prec, 64)
	}
	s := pow10[prec]
	// The exact product v·s is p + e (s is exact, so FMA gives the error).
	p := v * s
	e := math.FMA(v, s, -p)
	r := math.Round(p) // ties away from zero; corrected below
	// p - r is exact (both are multiples of ulp(p)). If |p - r| < 0.5, then
	// |p - r + e| < 0.5 too and r is right; only a p exactly halfway
	// between two integers needs e, or ties-to-even when e is 0.
	if d := p - r; d == 0.5 || d == -0.5 {
		lo, hi := p-0.5, p+0.5 // exact integers
		switch {
		case e > 0:
			r = hi
		case e < 0:
			r = lo
		case math.Mod(lo, 2) == 0:
			r = lo
		default:
			r = hi
		}
	}
	n := int64(math.Abs(r))
	if math.Signbit(v) {
		dst = append(dst, '-')
	}
	// Digits of n, at least prec+1 of them, with the point before the last prec.
	var buf [24]byte
	i := len(buf)
	for k := 0; k <= prec || n > 0; k++ {
		if k == prec && prec > 0 {
			i--
			buf[i] = '.'
		}
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, buf[i:]...)
}
