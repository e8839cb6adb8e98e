package pftrack

import "tracksgo/internal/formats/format"

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimal parses a plain decimal ("-12.345") of at most 15 digits. The
// integer and the power of ten are then both exact, so one division
// rounds correctly (Clinger's fast path), and the large files of this
// format import several times faster than through format.Float.
func decimal(s string) (float64, bool) {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	var m uint64
	nd, frac, dot := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			nd++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if nd == 0 || nd > 15 {
		return 0, false
	}
	v := float64(m) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// num is float() of a field (FORMATS.md §1.6), fast for plain decimals.
func num(s string) float64 {
	if v, ok := decimal(s); ok {
		return v
	}
	return format.Float(s)
}
