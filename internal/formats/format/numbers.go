package format

import (
	"math"
	"strconv"
	"strings"
)

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// Strip removes leading and trailing ASCII whitespace and NUL.
func Strip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == 0 || (r < 0x80 && isSpace(byte(r)))
	})
}

// digits scans a run of decimal digits with single underscores between
// digits, from i. It returns the digits without underscores and the end.
func digits(s string, i int) (string, int) {
	var b []byte
	start := i
	for i < len(s) {
		c := s[i]
		if c >= '0' && c <= '9' {
			b = append(b, c)
			i++
			continue
		}
		if c == '_' && i > start && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && s[i-1] >= '0' && s[i-1] <= '9' {
			i++
			continue
		}
		break
	}
	return string(b), i
}

// Int is the lenient integer conversion of FORMATS.md §1.6: leading
// whitespace, optional sign, the longest run of digits; no digits gives 0.
func Int(s string) int {
	if n, ok := plainInt(s); ok {
		return n
	}
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	d, _ := digits(s, i)
	if d == "" {
		return 0
	}
	n, err := strconv.ParseInt(d, 10, 64)
	if err != nil { // out of range: saturate rather than wrap
		n = math.MaxInt64
	}
	if neg {
		n = -n
	}
	return int(n)
}

// Float is the lenient float conversion of FORMATS.md §1.6: the longest
// valid decimal prefix after leading whitespace; nothing valid gives 0.
func Float(s string) float64 {
	if v, ok := plainDecimal(s); ok {
		return v
	}
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	var b strings.Builder
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		b.WriteByte(s[i])
		i++
	}
	intPart, j := digits(s, i)
	b.WriteString(intPart)
	i = j
	frac := ""
	if i < len(s) && s[i] == '.' {
		f, k := digits(s, i+1)
		if f != "" {
			frac = f
			b.WriteByte('.')
			b.WriteString(f)
			i = k
		} else if intPart != "" {
			i++ // "1." is 1.0
		}
	}
	if intPart == "" && frac == "" {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		k := i + 1
		sign := ""
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			sign = s[k : k+1]
			k++
		}
		if e, _ := digits(s, k); e != "" {
			b.WriteByte('e')
			b.WriteString(sign)
			b.WriteString(e)
		}
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		// Only range errors reach here; ParseFloat then returns ±Inf or 0,
		// which is the nearest float64 anyway.
		return v
	}
	return v
}

// plainInt parses a string that is only an optional '-' and at most 18
// digits, without allocating: the common case of every importer.
func plainInt(s string) (int, bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	if len(s)-i == 0 || len(s)-i > 18 {
		return 0, false
	}
	n := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

var exact10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// plainDecimal parses a string that is only "-12.345"-like with at most 15
// digits (see ScanPlain): the largest files import several times faster
// than through strconv.
func plainDecimal(s string) (float64, bool) {
	v, end, ok := ScanPlain(s, 0)
	return v, ok && end == len(s)
}

// PlainNumbers parses a line of whitespace-separated plain decimals
// ("12 -874.5 0.25"), the usual shape of a keyframe line, in one pass. It
// returns what Float gives for each field. ok is false when a field has
// another shape (an exponent, a '+', more than 15 digits, other text) or
// there are more fields than cap(dst): the caller then takes its general
// way, which also words the errors.
func PlainNumbers[T string | []byte](s T, dst []float64) (_ []float64, ok bool) {
	dst = dst[:0]
	for i := 0; ; {
		i = SkipSpace(s, i)
		if i == len(s) {
			return dst, true
		}
		if len(dst) == cap(dst) {
			return dst, false
		}
		v, end, ok := ScanPlain(s, i)
		if !ok || end < len(s) && !isSpace(s[end]) {
			return dst, false
		}
		dst = append(dst, v)
		i = end
	}
}

// SkipSpace returns the index of the first byte of s[i:] that is not
// ASCII whitespace, or len(s).
func SkipSpace[T string | []byte](s T, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// ScanPlain reads the plain decimal ("-12.5", "7.", ".25", at most 15
// digits) that starts at s[i] and returns its value, the same as Float's,
// and the index after it. The digits and the power of ten are then both
// exact in a float64, so one division rounds correctly (Clinger's fast
// path). ok is false when there is none; what follows
// it is the caller's to check.
func ScanPlain[T string | []byte](s T, i int) (v float64, end int, ok bool) {
	neg := i < len(s) && s[i] == '-'
	if neg {
		i++
	}
	var m uint64
	start := i
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
	}
	nd, frac := i-start, 0
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for ; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			m = m*10 + uint64(c)
		}
		frac = i - start
		nd += frac
	}
	if nd == 0 || nd > 15 {
		return 0, i, false
	}
	v = float64(m) / exact10[frac]
	if neg {
		v = -v
	}
	return v, i, true
}
