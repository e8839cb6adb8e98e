package shakescript

import (
	"math"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// Values of evaluated arguments (§4.10.2): float64 for numbers, string,
// expr, []any for arrays, curve, trackers, unknown, or nil for nothing.
type (
	expr     struct{}
	unknown  struct{}
	curve    []key
	trackers []*track.Tracker
)

// key is one frame-tagged value: a v@f argument, or a key of a curve.
type key struct {
	frame int
	v     any
}

// evaluator runs the Shake functions the importer knows and hands the
// harvested trackers over.
type evaluator struct {
	offset int // of the last SetTimeRange with a negative start
	emit   func(t *track.Tracker) error
	report func(msg string)
	lx     *lexer
}

// curveFuncs are the interpolated curves whose keys are used as they
// are; curves are never interpolated.
var curveFuncs = map[string]bool{
	"linear": true, "nspline": true, "jspline": true, "cspline": true, "cubic": true,
}

// call evaluates a call node into a RESULT or an UNKNOWN_FUNC.
func (ev *evaluator) call(n *node) (*node, error) {
	name := strings.ToLower(n.text)
	args := n.args
	switch {
	case name == "settimerange":
		if len(args) != 1 {
			return nil, ev.errorf(n, "takes exactly 1 argument, got %d", len(args))
		}
		if start := toInt(unwrap(args[0])); start < 0 {
			ev.offset = start
		}
		return &node{kind: kResult}, nil
	case curveFuncs[name] || name == "hermite":
		if len(args) < 1 {
			return nil, ev.errorf(n, "needs an extrapolation argument")
		}
		c, bad := ev.curve(args[1:], name == "hermite")
		if bad != nil {
			return nil, ev.errorf(n, "expected a value@frame key, got %s", bad.brief())
		}
		return &node{kind: kResult, val: c}, nil
	case name == "tracker" || name == "stabilize" || name == "matchmove":
		if len(args) < 16 {
			return nil, ev.errorf(n, "needs at least 16 arguments, got %d", len(args))
		}
		v := make([]any, len(args))
		for i, a := range args {
			v[i] = unwrap(a)
		}
		var ts trackers
		if name == "tracker" {
			ts = trackerNode(v)
		} else {
			ts = stabilizeNode(v)
		}
		return &node{kind: kResult, val: ts, trk: true}, nil
	case len(args) >= 2 && isNumber(args[0]):
		// Any other curve function: an extrapolation, then keys only.
		if c, bad := ev.curve(args[1:], true); bad == nil {
			return &node{kind: kResult, val: c}, nil
		}
	}
	return &node{kind: kUnknownFunc}, nil
}

func (ev *evaluator) errorf(n *node, msg string, args ...any) error {
	return format.Errorf(formatID, n.line, n.text+"(): "+msg, args...)
}

func isNumber(n *node) bool { return n.kind == kInt || n.kind == kFloat }

// curve reads v@f keys, shifted by the script offset. With tangents, a key
// value that is an array [value, tangent, tangent] gives its first element.
// It returns the first argument that is not a key, if any.
func (ev *evaluator) curve(args []*node, tangents bool) (curve, *node) {
	c := make(curve, 0, len(args))
	for _, a := range args {
		if a.kind != kValueAt {
			return nil, a
		}
		var v any = unknown{}
		if len(a.args) > 0 {
			v = unwrap(a.args[0])
		}
		if l, ok := v.([]any); ok && tangents {
			v = nil
			if len(l) > 0 {
				v = l[0]
			}
		}
		c = append(c, key{frame: sub(a.frame, ev.offset), v: v})
	}
	return c, nil
}

// unwrap turns an argument atom into its value.
func unwrap(n *node) any {
	switch n.kind {
	case kInt, kFloat:
		return n.num
	case kString:
		return n.text
	case kExpr:
		return expr{}
	case kArray:
		l := make([]any, len(n.args))
		for i, a := range n.args {
			l[i] = unwrap(a)
		}
		return l
	case kResult:
		return n.val
	case kValueAt:
		var v any = unknown{}
		if len(n.args) > 0 {
			v = unwrap(n.args[0])
		}
		return key{frame: n.frame, v: v}
	}
	return unknown{}
}

// toInt is int() of a value: text leniently, numbers truncated.
func toInt(v any) int {
	switch v := v.(type) {
	case string:
		return format.Int(v)
	case float64:
		switch {
		case math.IsNaN(v):
			return 0
		case v >= math.MaxInt:
			return math.MaxInt
		case v <= math.MinInt:
			return math.MinInt
		}
		return int(v)
	}
	return 0
}

// sub is a - b, saturating instead of wrapping around.
func sub(a, b int) int {
	d := a - b
	if (b < 0 && d < a) || (b > 0 && d > a) {
		if b < 0 {
			return math.MaxInt
		}
		return math.MinInt
	}
	return d
}

// numbers keeps the keys of a curve whose values are numbers, by frame
// (the last key at a frame wins).
func numbers(c curve) map[int]float64 {
	m := make(map[int]float64, len(c))
	for _, k := range c {
		if v, ok := k.v.(float64); ok {
			m[k.frame] = v
		}
	}
	return m
}

// pair builds a tracker from x and y curves (and a correlation curve, if
// corr is not nil): keyframes at the frames where all have a number.
// Without correlation the residual is noCorr.
func pair(name string, x, y curve, corr curve, noCorr float64) *track.Tracker {
	t := track.New(name)
	ym := numbers(y)
	var cm map[int]float64
	if corr != nil {
		cm = numbers(corr)
	}
	for _, k := range x {
		xv, ok := k.v.(float64)
		if !ok {
			continue
		}
		yv, ok := ym[k.frame]
		if !ok {
			continue
		}
		res := noCorr
		if cm != nil {
			c, ok := cm[k.frame]
			if !ok {
				continue
			}
			res = 1 - c
		}
		t.Set(track.Keyframe{Frame: sub(k.frame, 1), X: xv, Y: yv, Residual: res})
	}
	return t
}

// trackerNode reads the tracks of a Tracker node from its arguments.
func trackerNode(a []any) trackers {
	var tracks []any
	if s, ok := a[10].(string); ok && s == "v2.0" {
		tracks = a[16:]
	} else {
		// Very old Shake: the tracks start at argument 10. The reference
		// reads a13 twice and skips a14, an ignored position.
		tracks = append([]any{a[10], a[11], a[12], a[13], a[13], a[15]}, a[16:]...)
	}
	var out trackers
	for i := 0; i+16 <= len(tracks); i += 16 {
		g := tracks[i : i+16]
		x, xok := g[1].(curve)
		y, yok := g[2].(curve)
		if !xok || !yok {
			continue // not animated
		}
		corr, ok := g[3].(curve)
		if !ok || len(corr) < len(x) {
			corr = nil
		}
		out = append(out, pair(text(g[0]), x, y, corr, 1))
	}
	return out
}

// stabilizeNode reads the four tracks of a Stabilize or MatchMove node,
// which share the argument positions.
func stabilizeNode(a []any) trackers {
	var out trackers
	for i, p := range [4][2]int{{4, 5}, {8, 9}, {12, 13}, {14, 15}} {
		x, xok := a[p[0]].(curve)
		y, yok := a[p[1]].(curve)
		if xok && yok {
			out = append(out, pair("track"+strconv.Itoa(i+1), x, y, nil, 0))
		}
	}
	return out
}

// text is a tracker name argument as text.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

// harvest emits the trackers of an item holding a tracker node's result
// instead of pushing it (§4.10.2): an assignment names them after its
// variable, a call after the last character of its name.
func (ev *evaluator) harvest(n *node) error {
	var prefix string
	var from *node
	switch n.kind {
	case kAssign:
		prefix = n.text
		from = n.args[0]
	case kCall:
		if n.text != "" {
			prefix = n.text[len(n.text)-1:]
		}
		if len(n.args) > 0 {
			from = n.args[0]
		}
	}
	ts, ok := trackersOf(from)
	if !ok {
		what := "a value"
		switch n.kind {
		case kCall:
			what = "an argument other than the first of " + n.text + "()"
		case kAssign:
			what = "the value of " + n.text
		case kArray:
			what = "an array"
		case kValueAt:
			what = "a frame-tagged value"
		}
		return ev.lx.errorf("tracker node result in %s; only an assigned node or the first argument of a call can be read", what)
	}
	for _, t := range ts {
		t.Rename(prefix + "_" + t.Name)
		ev.report("Reading tracker " + t.Name)
		if err := ev.emit(t); err != nil {
			return err
		}
	}
	return nil
}

func trackersOf(n *node) (trackers, bool) {
	if n == nil || n.kind != kResult {
		return nil, false
	}
	ts, ok := n.val.(trackers)
	return ts, ok
}
