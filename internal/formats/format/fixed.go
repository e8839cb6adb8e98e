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
	if prec < 0 || prec >= len(pow10) {
		return strconv.AppendFloat(dst, v, 'f', prec, 64)
	}
	s := pow10[prec]
	p := v * s
	if !(p < 1<<52 && p > -(1<<52)) { // also NaN and the infinities
		return strconv.AppendFloat(dst, v, 'f', prec, 64)
	}
	r := math.Round(p) // ties away from zero; corrected below
	// The exact product v·s is p + e, e = FMA(v, s, -p) (s is exact).
	// p - r is exact (both are multiples of ulp(p)). If |p - r| < 0.5, then
	// |p - r + e| < 0.5 too and r is right; only a p exactly halfway
	// between two integers needs e, or ties-to-even when e is 0.
	if d := p - r; d == 0.5 || d == -0.5 {
		e := math.FMA(v, s, -p)
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
	n := uint64(math.Abs(r))
	if math.Signbit(v) {
		dst = append(dst, '-')
	}
	// The integer part and the prec fraction digits, two at a time from
	// the right; splitting n keeps both division chains short.
	var buf [24]byte
	i := len(buf)
	if prec > 0 {
		ip, fp := split(n, prec)
		for k := prec; k >= 2; k -= 2 {
			q := fp / 100
			j := (fp - q*100) * 2
			i -= 2
			buf[i], buf[i+1] = digits2[j], digits2[j+1]
			fp = q
		}
		if prec&1 == 1 {
			i--
			buf[i] = byte('0' + fp)
		}
		i--
		buf[i] = '.'
		n = ip
	}
	for n >= 100 {
		q := n / 100
		j := (n - q*100) * 2
		i -= 2
		buf[i], buf[i+1] = digits2[j], digits2[j+1]
		n = q
	}
	if n >= 10 {
		i -= 2
		buf[i], buf[i+1] = digits2[n*2], digits2[n*2+1]
	} else {
		i--
		buf[i] = byte('0' + n)
	}
	return append(dst, buf[i:]...)
}

// split divides n by 10^prec; constant divisors for the usual precisions
// become multiplications.
func split(n uint64, prec int) (uint64, uint64) {
	var q uint64
	switch prec {
	case 2:
		q = n / 1e2
	case 3:
		q = n / 1e3
	case 4:
		q = n / 1e4
	case 5:
		q = n / 1e5
	case 6:
		q = n / 1e6
	case 10:
		q = n / 1e10
	default:
		q = n / uint64(pow10[prec])
	}
	return q, n - q*uint64(pow10[prec])
}

const digits2 = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// AppendInt appends the decimal form of n, like strconv.AppendInt(dst,
// int64(n), 10), with a fast path for the small non-negative numbers
// (frames, indices) that every exported line carries.
func AppendInt(dst []byte, n int) []byte {
	if n < 0 || n >= 10000 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	switch {
	case n < 10:
		return append(dst, byte('0'+n))
	case n < 100:
		return append(dst, digits2[2*n], digits2[2*n+1])
	case n < 1000:
		q := n / 100
		r := n - q*100
		return append(dst, byte('0'+q), digits2[2*r], digits2[2*r+1])
	default:
		q := n / 100
		r := n - q*100
		return append(dst, digits2[2*q], digits2[2*q+1], digits2[2*r], digits2[2*r+1])
	}
}
