package format

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
)

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// AppendFixed appends v formatted like fmt's %.<prec>f: correctly rounded
// from the exact binary value, ties to even, "-" kept for negative values
// that round to zero. It is several times faster than strconv for the
// magnitudes of track data, and falls back to strconv elsewhere.
func AppendFixed(dst []byte, v float64, prec int) []byte {
	// The common case of track data first, all in registers: at most 8
	// digits in all, from one conversion, and room in dst.
	if uint(prec) < 8 && cap(dst)-len(dst) >= 24 {
		a := math.Abs(v)
		if n, ok := roundScaled(a, pow10[prec]); ok && n < 1e8 {
			raw := digitLanes(n)
			// The number of digits from the zero lanes at the top: no
			// logarithm needed. At least one digit before the point.
			l := max(8-bits.TrailingZeros64(raw)>>3, prec+1)
			w := raw | 0x3030303030303030
			b := (*[24]byte)(dst[len(dst) : len(dst)+24])
			pos := 0
			if math.Signbit(v) {
				b[0] = '-'
				pos = 1
			}
			binary.LittleEndian.PutUint64(b[pos:], w>>(uint(8-l)*8&63))
			if prec > 0 {
				q := pos + l - prec
				b[q] = '.'
				binary.LittleEndian.PutUint64(b[q+1:], w>>(uint(8-prec)*8&63))
				pos++
			}
			return dst[:len(dst)+pos+l]
		}
	}
	return appendFixed(dst, v, prec)
}

// appendFixed is AppendFixed for the other cases: more digits (the
// formats with 10 and 15 decimals, large values), the rare products that
// need more care, little room in dst.
func appendFixed(dst []byte, v float64, prec int) []byte {
	a := math.Abs(v)
	if uint(prec-1) < uint(len(pow10)-1) && a < 1e8 && cap(dst)-len(dst) >= 32 {
		// The integer part and the fraction apart: a = ip + f exactly, so
		// a·10^prec rounds to ip·10^prec + f·10^prec rounded, ties to even
		// included since ip·10^prec is even.
		ip := uint64(a)
		nf, ok := roundScaled(a-float64(ip), pow10[prec])
		if nf == pow10u[prec] {
			ip, nf = ip+1, 0 // the fraction rounded up to a whole
		}
		if ok && ip < 1e8 {
			b := (*[32]byte)(dst[len(dst) : len(dst)+32])
			pos := 0
			if math.Signbit(v) {
				b[0] = '-'
				pos = 1
			}
			raw := digitLanes(ip)
			l := max(8-bits.TrailingZeros64(raw)>>3, 1)
			binary.LittleEndian.PutUint64(b[pos:], (raw|0x3030303030303030)>>(uint(8-l)*8&63))
			b[pos+l] = '.'
			return dst[:len(dst)+putFraction(b[:], pos+l+1, nf, prec)]
		}
	}
	return appendExact(dst, v, prec)
}

// roundScaled is a·m rounded to an integer, ties to even, for a ≥ 0 and
// a power of ten m, where a·m < 2^52. Below 2^52, p+0.5 truncated rounds
// the float product p half up without a branch on the digits (whether a
// value rounds up is a coin toss that a branch predictor loses half the
// time). When p is exactly halfway between two integers (192.0925×1000
// is), the rounding error of the product, exact through a fused
// multiply-add, tells which way the true value lies. ok is false for the
// rare products that need more care.
func roundScaled(a, m float64) (n uint64, ok bool) {
	p := a * m
	if !(p < 1<<52) {
		return 0, false
	}
	r := int64(p + 0.5)
	if float64(r)-p == 0.5 {
		if p-float64(r-1) != 0.5 {
			return 0, false // p+0.5 itself rounded (p just below 0.5)
		}
		if e := math.FMA(a, m, -p); e < 0 || e == 0 && r&1 == 1 {
			r--
		}
	}
	return uint64(r), true
}

// appendExact is AppendFixed the long way, for any value.
func appendExact(dst []byte, v float64, prec int) []byte {
	n, ok := rounded(v, prec)
	if !ok {
		if n, ok = scaled(v, prec); !ok {
			return strconv.AppendFloat(dst, v, 'f', prec, 64)
		}
	}
	// Room for a sign, 20 integer digits, the point, 15 fraction digits
	// and the spill of the last 8-byte store; the digits go straight into
	// dst, 8 at a time.
	dst = slices.Grow(dst, 48)
	b := dst[len(dst) : len(dst)+48]
	pos := 0
	if math.Signbit(v) {
		b[0] = '-'
		pos = 1
	}
	ip, fp := n, uint64(0)
	if prec > 0 {
		ip, fp = split(n, prec)
	}
	if ip < 1e8 {
		// putDigits, inlined by hand for the common case
		d := decimalLen(ip)
		binary.LittleEndian.PutUint64(b[pos:], eightDigits(ip)>>(uint(8-d)*8&63))
		pos += d
	} else {
		hi, lo := ip/1e8, ip%1e8
		if hi < 1e8 {
			pos = putDigits(b, pos, hi, decimalLen(hi))
		} else {
			pos = putDigits(b, pos, hi/1e8, decimalLen(hi/1e8))
			pos = putDigits(b, pos, hi%1e8, 8)
		}
		pos = putDigits(b, pos, lo, 8)
	}
	if prec > 0 {
		b[pos] = '.'
		pos = putFraction(b, pos+1, fp, prec)
	}
	return dst[:len(dst)+pos]
}

// putFraction writes the prec (1-16) digits of the fraction f < 10^prec at
// b[pos:], storing whole 8-byte words, and returns the position after them.
func putFraction(b []byte, pos int, f uint64, prec int) int {
	if prec <= 8 {
		binary.LittleEndian.PutUint64(b[pos:], eightDigits(f)>>(uint(8-prec)*8&63))
		return pos + prec
	}
	hi := f / 1e8
	binary.LittleEndian.PutUint64(b[pos:], eightDigits(hi)>>(uint(16-prec)*8&63))
	pos += prec - 8
	binary.LittleEndian.PutUint64(b[pos:], eightDigits(f-hi*1e8))
	return pos + 8
}

// putDigits writes the last d (1-8) decimal digits of x < 1e8 at b[pos:],
// storing 8 bytes, and returns the position after them.
func putDigits(b []byte, pos int, x uint64, d int) int {
	binary.LittleEndian.PutUint64(b[pos:], eightDigits(x)>>(uint(8-d)*8&63))
	return pos + d
}

// eightDigits returns the 8 ASCII digits of x < 1e8, most significant in
// the low byte, splitting all lanes at once: 2 lanes of 4 digits, 4 of 2,
// 8 of 1. The multiply-shift divisions are exact in these ranges and no
// lane carries into the next.
func eightDigits(x uint64) uint64 {
	return digitLanes(x) | 0x3030303030303030
}

// digitLanes returns the 8 decimal digits of x < 1e8 as byte values 0-9,
// most significant in the low byte.
func digitLanes(x uint64) uint64 {
	hi := x / 10000
	v := hi | (x-hi*10000)<<32
	q := (v * 10486 >> 20) & 0x0000007F0000007F // lane / 100, lane < 10000
	v = q | (v-q*100)<<16
	t := (v * 103 >> 10) & 0x000F000F000F000F // lane / 10, lane < 100
	return t | (v-t*10)<<8
}

var pow10len = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// decimalLen is the number of decimal digits of n (1 for 0).
func decimalLen(n uint64) int {
	t := (bits.Len64(n|1) * 1233) >> 12 // ≈ log10, never too large
	if n|1 >= pow10len[t] {
		t++
	}
	return t
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
	case 15:
		q = n / 1e15
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

// rounded is the quick way to |v|·10^prec rounded: the float product p is
// within half an ulp of the exact one, and p - round(p) is exact for
// |p| < 2^52, so unless p lies exactly halfway between two integers,
// round(p) is the correctly rounded result. ok is false for the halfway
// cases and larger products, which scaled handles exactly.
func rounded(v float64, prec int) (uint64, bool) {
	if uint(prec) >= uint(len(pow10)) {
		return 0, false
	}
	p := math.Abs(v) * pow10[prec]
	if !(p < 1<<52) {
		return 0, false
	}
	// Below 2^52, p+0.5 is exact, so its truncation rounds half up, and
	// r-p is exact (Sterbenz), 0.5 only for the halfway cases. No branch
	// on the digits: whether a value rounds up is a coin toss that a
	// branch predictor loses half the time.
	r := int64(p + 0.5)
	if float64(r)-p == 0.5 {
		return 0, false
	}
	return uint64(r), true
}

var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// scaled returns |v|·10^prec rounded to an integer, half to even, computed
// exactly: v is mant·2^exp, so |v|·10^prec is the 128-bit product
// mant·10^prec shifted by exp. ok is false where the result does not fit
// 64 bits, for NaN and the infinities, and for prec outside 0-15.
func scaled(v float64, prec int) (uint64, bool) {
	if uint(prec) >= uint(len(pow10u)) {
		return 0, false
	}
	b := math.Float64bits(v)
	bexp := int(b>>52) & 0x7FF
	mant := b & (1<<52 - 1)
	switch bexp {
	case 0x7FF:
		return 0, false
	case 0:
		bexp = 1 // subnormal
	default:
		mant |= 1 << 52
	}
	exp := bexp - 1075
	if exp >= 0 {
		if exp > 11 {
			return 0, false
		}
		hi, lo := bits.Mul64(mant<<uint(exp), pow10u[prec])
		return lo, hi == 0
	}
	hi, lo := bits.Mul64(mant, pow10u[prec]) // < 2^103
	sh := uint(-exp)
	var q, remHi, remLo, halfHi, halfLo uint64
	switch {
	case sh < 64:
		if hi>>sh != 0 {
			return 0, false
		}
		q = hi<<(64-sh) | lo>>sh
		remLo = lo & (1<<sh - 1)
		halfLo = 1 << (sh - 1)
	case sh < 128:
		s2 := sh - 64
		q = hi >> s2
		remHi, remLo = hi&(1<<s2-1), lo
		if s2 == 0 {
			halfLo = 1 << 63
		} else {
			halfHi = 1 << (s2 - 1)
		}
	default:
		return 0, true // the product is below half of 2^sh: rounds to 0
	}
	if remHi > halfHi || (remHi == halfHi && (remLo > halfLo || (remLo == halfLo && q&1 == 1))) {
		if q == math.MaxUint64 {
			return 0, false
		}
		q++
	}
	return q, true
}
