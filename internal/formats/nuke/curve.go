package nuke

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// key is one expanded curve key: a Nuke (1-based) frame and its value.
type key struct {
	frame int
	value float64
}

// curveMode says which curve commands a caller accepts (FORMATS.md §10, 3):
// point knobs want exactly `curve`, Tracker4 rows also take `curve+N`,
// `curve-N` and the quoted `"curve "`.
type curveMode bool

const (
	strictCurve curveMode = false
	looseCurve  curveMode = true
)

// isCurve reports whether e is a flat brace list whose first element is the
// word `curve` exactly: the point-knob selection of §4.8.3.
func (t *tokenizer) isCurve(e elem) bool {
	if e.kind != braceList || e.cmds || e.hi == e.lo {
		return false
	}
	first := t.elems[e.lo]
	return first.kind == word && string(t.word(first)) == "curve"
}

// expand appends the keys of the curve expression e to dst (FORMATS.md
// §4.8.2). ok is false when e is not a valid curve, which callers skip.
func (t *tokenizer) expand(dst []key, e elem, mode curveMode) (keys []key, ok bool) {
	if e.kind != braceList || e.cmds || e.hi-e.lo < 2 {
		return dst, false
	}
	items := t.children(e)
	if items[0].kind != word {
		return dst, false
	}
	cmd := t.word(items[0])
	var modifier float64
	if mode == strictCurve {
		if string(cmd) != "curve" {
			return dst, false
		}
	} else {
		s := format.Strip(string(cmd))
		if !strings.HasPrefix(s, "curve") {
			return dst, false
		}
		if rest := s[len("curve"):]; rest != "" && (rest[0] == '+' || rest[0] == '-') {
			modifier = format.Float(rest) // "-12" subtracts 12
		}
	}
	frame, step := 1, 1
	emitted := false
	for _, it := range items[1:] {
		if it.kind != word {
			continue
		}
		w := t.word(it)
		if n, isFrame := frameMark(w); isFrame {
			frame = n
			if emitted {
				step = satAdd(n, satNeg(dst[len(dst)-1].frame))
			}
			continue
		}
		// The usual "936.5750" in one pass; other words the careful way.
		v, end, ok := format.ScanPlain(w, 0)
		if !ok || end < len(w) {
			if !isPlainNumber(w) {
				continue // interpolation letters, x-1, exponents: ignored, no advance
			}
			v = plainFloat(w)
		}
		dst = append(dst, key{frame: frame, value: v + modifier})
		emitted = true
		frame = satAdd(frame, step)
	}
	return dst, true
}

// satAdd adds without wrapping around: absurd frame numbers in a hostile
// file must not turn into frames that break the keyframe order.
func satAdd(a, b int) int {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt
	}
	return s
}

func satNeg(a int) int {
	if a == math.MinInt {
		return math.MaxInt
	}
	return -a
}

// frameMark parses `x<digits>`; huge numbers saturate rather than wrap.
func frameMark(w []byte) (int, bool) {
	if len(w) < 2 || w[0] != 'x' {
		return 0, false
	}
	n := 0
	for _, c := range w[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt-9)/10 {
			n = math.MaxInt
			continue
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// isPlainNumber reports whether w is made only of '-', digits and '.'.
func isPlainNumber(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	for _, c := range w {
		if (c < '0' || c > '9') && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// plainFloat is float() (FORMATS.md §1.6) for a word of '-', digits and
// '.' only: the longest prefix of the form -digits.digits. Curves hold
// hundreds of thousands of these, so it avoids format.Float's allocations.
func plainFloat(w []byte) float64 {
	i := 0
	if i < len(w) && w[i] == '-' {
		i++
	}
	start := i
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	digits := i > start
	if i < len(w) && w[i] == '.' {
		j := i + 1
		for j < len(w) && w[j] >= '0' && w[j] <= '9' {
			j++
		}
		if j > i+1 {
			digits = true
			i = j
		}
	}
	if !digits {
		return 0
	}
	if v, ok := exactFloat(w[:i]); ok {
		return v
	}
	v, err := strconv.ParseFloat(string(w[:i]), 64)
	if err != nil {
		// Only a range error can get here; v is then ±Inf, as float() gives.
		return v
	}
	return v
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactFloat converts -digits[.digits] when the digits fit in 53 bits: the
// mantissa and the power of ten are then exact, and one IEEE division is
// correctly rounded, so the result equals strconv.ParseFloat's.
func exactFloat(w []byte) (float64, bool) {
	neg := len(w) > 0 && w[0] == '-'
	if neg {
		w = w[1:]
	}
	var mant uint64
	frac, n := -1, 0
	for _, c := range w {
		if c == '.' {
			frac = 0
			continue
		}
		if n == 19 {
			return 0, false
		}
		mant = mant*10 + uint64(c-'0')
		if mant != 0 {
			n++
		}
		if frac >= 0 {
			frac++
		}
	}
	if mant >= 1<<53 || frac >= len(pow10) {
		return 0, false
	}
	v := float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}

// pairCurves builds a tracker from an x and a y curve: a keyframe for every
// frame both curves have, at internal frame = Nuke frame − 1. A curve that
// jumps back to a frame it already emitted keeps its later key there, on
// either axis (FORMATS.md §4.8.2): the reference overwrites a per-frame
// table, so a keyframe never takes the x of one key and the y of another.
//
// A key at the lowest int frame has no internal frame and is dropped.
func pairCurves(name string, xs, ys []key) *track.Tracker {
	t := track.New(name)
	xs = dropLowest(xs)
	if increasing(xs) && increasing(ys) {
		// The usual case: one merge pass, already in order.
		kf := make([]track.Keyframe, 0, min(len(xs), len(ys)))
		j := 0
		for _, x := range xs {
			for j < len(ys) && ys[j].frame < x.frame {
				j++
			}
			if j < len(ys) && ys[j].frame == x.frame {
				kf = append(kf, track.Keyframe{Frame: x.frame - 1, X: x.value, Y: ys[j].value})
			}
		}
		t.Keyframes = kf
		return t
	}
	lastY := make(map[int]float64, len(ys))
	for _, y := range ys {
		lastY[y.frame] = y.value
	}
	var kf []track.Keyframe
	for _, x := range xs {
		if y, ok := lastY[x.frame]; ok {
			kf = append(kf, track.Keyframe{Frame: x.frame - 1, X: x.value, Y: y})
		}
	}
	// Stable, so that among equal frames the last one added comes last and wins.
	slices.SortStableFunc(kf, func(a, b track.Keyframe) int {
		switch {
		case a.Frame < b.Frame:
			return -1
		case a.Frame > b.Frame:
			return 1
		}
		return 0
	})
	out := kf[:0]
	for i, k := range kf {
		if i+1 < len(kf) && kf[i+1].Frame == k.Frame {
			continue
		}
		out = append(out, k)
	}
	t.Keyframes = out
	return t
}

func dropLowest(ks []key) []key {
	if !slices.ContainsFunc(ks, func(k key) bool { return k.frame == math.MinInt }) {
		return ks
	}
	return slices.DeleteFunc(slices.Clone(ks), func(k key) bool { return k.frame == math.MinInt })
}

func increasing(ks []key) bool {
	for i := 1; i < len(ks); i++ {
		if ks[i].frame <= ks[i-1].frame {
			return false
		}
	}
	return true
}
