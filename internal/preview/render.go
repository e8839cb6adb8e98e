package preview

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The drawing, in SVG user units (about CSS pixels at its usual width).
const (
	drawWidth     = 1000
	marginL       = 62
	marginR       = 14
	marginT       = 14
	plotWidth     = drawWidth - marginL - marginR
	maxPlotHeight = 720
	startMark     = 6 // side of the square that marks where a path starts
)

// Class is the class of the SVG root: page CSS and scripts find it by it.
const Class = "tp"

// TrackerID is the id of tracker i's group in the SVG: row i of the
// table links to it ("#trk3"), and the page highlights it.
func TrackerID(i int) string { return "trk" + strconv.Itoa(i) }

// Stats says what Render drew.
type Stats struct {
	Trackers int // trackers drawn
	Points   int // path points drawn (start marks aside)
	Gaps     int // gaps drawn in the coverage chart
	Bytes    int
}

// level is one set of bounds Render tries; each next one is smaller.
type level struct {
	points, gaps, titleRunes int
}

var levels = []level{
	{MaxPoints, MaxGaps, 64},
	{MaxPoints / 2, MaxGaps / 2, 40},
	{MaxPoints / 4, MaxGaps / 4, 24},
	{MaxPoints / 8, MaxGaps / 8, 12},
}

// Render draws the recorded trackers as SVG: the paths in the comp frame
// above, the coverage chart below. It tries smaller bounds until the
// drawing fits in MaxBytes; the same recording always gives the same
// bytes.
func (r *Recorder) Render() ([]byte, Stats) {
	var b []byte
	var st Stats
	for _, l := range levels {
		b, st = r.render(l)
		if len(b) <= MaxBytes {
			break
		}
	}
	return b, st
}

// view is the part of comp space drawn, and where it lands.
type view struct {
	x0, y0, x1, y1 float64 // comp space
	s              float64 // units per comp pixel
	left, top      float64 // where x0, y1 land
	height         float64 // of the plot
}

func (v *view) px(x float64) int {
	return int(math.Round(v.left + (min(max(x, v.x0), v.x1)-v.x0)*v.s))
}

// inside tells whether p is within the view, which px and py would
// otherwise move it into.
func (v *view) inside(p point) bool {
	return p.x >= v.x0 && p.x <= v.x1 && p.y >= v.y0 && p.y <= v.y1
}

// py turns comp Y (up) into SVG y (down).
func (v *view) py(y float64) int {
	return int(math.Round(v.top + (v.y1-min(max(y, v.y0), v.y1))*v.s))
}

// frameView is the comp frame and the recorded points, up to half a
// frame beyond it on each side (the paths leave out points further
// out), fitted into the plot area.
func (r *Recorder) frameView() view {
	var v view
	w, h := float64(r.width), float64(r.height)
	framed := r.width > 0 && r.height > 0
	switch {
	case framed:
		v.x0, v.y0, v.x1, v.y1 = 0, 0, w, h
		if r.hasBounds {
			v.x0, v.x1 = max(min(r.minX, 0), -w/2), min(max(r.maxX, w), w*1.5)
			v.y0, v.y1 = max(min(r.minY, 0), -h/2), min(max(r.maxY, h), h*1.5)
		}
	case r.hasBounds:
		v.x0, v.y0, v.x1, v.y1 = r.minX, r.minY, r.maxX, r.maxY
	default:
		v.x0, v.y0, v.x1, v.y1 = 0, 0, 1, 1
	}
	// Room for the strokes at the edges, and a size for a lone point.
	pad := max(v.x1-v.x0, v.y1-v.y0, 1) * 0.01
	v.x0, v.y0, v.x1, v.y1 = v.x0-pad, v.y0-pad, v.x1+pad, v.y1+pad
	vw, vh := v.x1-v.x0, v.y1-v.y0
	v.s = min(plotWidth/vw, maxPlotHeight/vh)
	v.left = marginL + (plotWidth-vw*v.s)/2
	v.top = marginT
	v.height = vh * v.s
	return v
}

// paths thins every path until they hold at most budget points together.
func (r *Recorder) paths(budget int, v view) ([][]point, int) {
	out := make([][]point, len(r.trackers))
	total := 0
	for i, t := range r.trackers {
		out[i] = t.pts
		total += len(t.pts)
	}
	cell := r.cell
	for total > budget {
		if cell <= 0 {
			cell = 1 / v.s
		} else {
			cell *= 2
		}
		total = 0
		for i, t := range r.trackers {
			out[i] = thin(append([]point(nil), t.pts...), cell)
			total += len(out[i])
		}
		// Past the drawing's size only first and last points are left.
		if cell*v.s > 4*drawWidth {
			break
		}
	}
	return out, total
}

func (r *Recorder) render(l level) ([]byte, Stats) {
	v := r.frameView()
	paths, points := r.paths(l.points, v)
	n := len(r.trackers)
	st := Stats{Trackers: n, Points: points}

	// The coverage chart below the plot.
	chartTop := v.top + v.height + 64
	rowsTop := chartTop + 30
	rowH := min(max(600/float64(max(n, 1)), 2), 14)
	total := rowsTop + float64(n)*rowH + 12
	f0, f1 := r.frames()
	fw := plotWidth / float64(f1-f0+1)
	fx := func(f int) float64 { return marginL + float64(f-f0)*fw }

	var b bytes.Buffer
	b.Grow(64 << 10)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="` + Class + `" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(drawWidth) + " " + num(total))
	b.WriteString(`" width="100%" role="img" aria-label="`)
	b.WriteString(strconv.Itoa(n) + ` tracker paths in the comp frame, and the frames each one covers">`)
	writeStyle(&b, rowH)
	b.WriteString(`<rect class="tp-bg" width="` + strconv.Itoa(drawWidth) + `" height="` + num(total) + `"/>`)
	if r.width > 0 && r.height > 0 {
		x0, y0 := v.px(0), v.py(float64(r.height))
		x1, y1 := v.px(float64(r.width)), v.py(0)
		b.WriteString(`<rect class="tp-frame" x="` + strconv.Itoa(x0) + `" y="` + strconv.Itoa(y0) +
			`" width="` + strconv.Itoa(x1-x0) + `" height="` + strconv.Itoa(y1-y0) + `"/>`)
	}

	// Grid lines and labels: comp pixels along both axes, Y up.
	var grid, labels bytes.Buffer
	bottom := v.top + v.height
	for _, x := range ticks(v.x0, v.x1, 8, 0) {
		px := v.px(x)
		grid.WriteString("M" + strconv.Itoa(px) + " " + num(v.top) + "V" + num(bottom))
		text(&labels, float64(px), bottom+16, "middle", tickLabel(x))
	}
	for _, y := range ticks(v.y0, v.y1, 8, 0) {
		py := v.py(y)
		grid.WriteString("M" + num(v.left) + " " + strconv.Itoa(py) + "H" + num(v.left+(v.x1-v.x0)*v.s))
		text(&labels, marginL-6, float64(py)+4, "end", tickLabel(y))
	}
	caption := "x and y in pixels, y up"
	if r.width > 0 && r.height > 0 {
		caption = "Comp frame " + strconv.Itoa(r.width) + " × " + strconv.Itoa(r.height) + " px, y up"
	}
	text(&labels, marginL, bottom+38, "start", caption+"; a square marks where each path starts")
	text(&labels, marginL, chartTop, "start", "Frames (counting from 1): one row per tracker, gaps left dark")
	if n > 0 {
		for _, f := range ticks(float64(f0+1), float64(f1+1), 10, 1) {
			x := fx(int(f)-1) + fw/2
			grid.WriteString("M" + num(x) + " " + num(rowsTop-4) + "V" + num(total-10))
			text(&labels, x, rowsTop-8, "middle", tickLabel(f))
		}
	}
	b.WriteString(`<path class="tp-grid" d="`)
	b.Write(grid.Bytes())
	b.WriteString(`"/><g class="tp-ax">`)
	b.Write(labels.Bytes())
	b.WriteString(`</g><g class="tp-k">`)

	perRow := max(4, l.gaps/max(n, 1))
	for i, t := range r.trackers {
		b.WriteString(`<g id="` + TrackerID(i) + `" stroke="` + Color(i) + `"><title>`)
		writeTitle(&b, t.name, l.titleRunes)
		b.WriteString(`</title><path d="`)
		writePath(&b, paths[i], &v)
		b.WriteString(`"/><path d="`)
		st.Gaps += writeCoverage(&b, t, rowsTop+(float64(i)+0.5)*rowH, fx, fw, perRow)
		b.WriteString(`"/></g>`)
	}
	b.WriteString(`</g></svg>` + "\n")
	st.Bytes = b.Len()
	return b.Bytes(), st
}

// writeStyle writes the drawing's own style: every rule starts with the
// root's class, since an inlined SVG's style applies to the whole page.
// Hovering a tracker (its path or its row) dims the others; so does
// the page's address naming one (#trk3), without any script.
func writeStyle(b *bytes.Buffer, rowH float64) {
	r := "." + Class + " "
	b.WriteString("<style>" +
		r + ".tp-bg{fill:#171a20}" +
		r + ".tp-frame{fill:#12141a;stroke:#4a5263}" +
		r + ".tp-grid{fill:none;stroke:#262b35}" +
		r + "text{font:13px system-ui,sans-serif;fill:#9aa3b2}" +
		r + ".tp-k path{fill:none;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}" +
		r + ".tp-k path+path{stroke-width:" + num(rowH*0.7) + ";stroke-linecap:butt}" +
		r + ".tp-k:hover g," + r + ".tp-k:has(g:target) g,." + Class + ".hl .tp-k g{opacity:.25}" +
		r + ".tp-k g:hover," + r + ".tp-k g:target,." + Class + " .tp-k g.on{opacity:1}" +
		r + ".tp-k g:hover path:first-of-type," + r + ".tp-k g:target path:first-of-type," + r + ".tp-k g.on path:first-of-type{stroke-width:3.5}" +
		"</style>")
}

// frames is the first and last frame of all trackers.
func (r *Recorder) frames() (int, int) {
	if len(r.trackers) == 0 {
		return 0, 0
	}
	f0, f1 := r.trackers[0].first, r.trackers[0].last
	for _, t := range r.trackers[1:] {
		f0, f1 = min(f0, t.first), max(f1, t.last)
	}
	return f0, f1
}

// writePath writes a path's d: a square around its start, then relative
// lines in whole units, a move where the tracker had a gap.
func writePath(b *bytes.Buffer, pts []point, v *view) {
	if len(pts) == 0 {
		return
	}
	x, y := v.px(pts[0].x), v.py(pts[0].y)
	h := startMark / 2
	b.WriteString("M" + strconv.Itoa(x-h) + " " + strconv.Itoa(y-h) +
		"h" + strconv.Itoa(startMark) + "v" + strconv.Itoa(startMark) + "h-" + strconv.Itoa(startMark) +
		"zm" + strconv.Itoa(h) + " " + strconv.Itoa(h))
	// After "m" and "l", bare pairs are relative lines; a digit last
	// needs a space before a number that has no sign.
	digit := true
	pair := func(dx, dy int) {
		for _, d := range [2]int{dx, dy} {
			if d >= 0 && digit {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(d))
			digit = true
		}
	}
	// A point beyond the view is left out, and the path moves to the
	// next one inside: a line along the plot's edge would show a path
	// that is not there.
	away := false
	for _, p := range pts[1:] {
		if !v.inside(p) {
			away = true
			continue
		}
		nx, ny := v.px(p.x), v.py(p.y)
		dx, dy := nx-x, ny-y
		if dx == 0 && dy == 0 && !away {
			continue // drawn already: a line ends, or a dot is, there
		}
		if p.move || away {
			away = false
			// A line of no length: round caps draw it as a dot, so that
			// a part of the path between gaps shows even when it is
			// one keyframe.
			b.WriteByte('m')
			digit = false
			pair(dx, dy)
			pair(0, 0)
		} else {
			pair(dx, dy)
		}
		x, y = nx, ny
	}
}

// writeCoverage writes the d of a tracker's row: its frames as lines,
// each gap at least one unit wide so that it shows, at most perRow gaps
// (closer ones merged). It returns the gaps drawn.
func writeCoverage(b *bytes.Buffer, t *recTracker, y float64, fx func(int) float64, fw float64, perRow int) int {
	gaps := t.gaps
	for merge := t.gapMerge; len(gaps) > perRow; {
		merge = max(1, 2*merge)
		gaps = mergeGaps(append([]gap(nil), gaps...), merge)
	}
	type seg struct{ x0, x1 float64 }
	var segs []seg
	cur := fx(t.first)
	for _, g := range gaps {
		g0 := fx(g.from)
		g1 := max(fx(g.to)+fw, g0+1)
		if g0 > cur {
			segs = append(segs, seg{cur, g0})
		}
		cur = max(cur, g1)
	}
	if end := fx(t.last) + fw; end > cur {
		segs = append(segs, seg{cur, end})
	}
	at := 0.0
	for i, s := range segs {
		if i == 0 {
			b.WriteString("M" + num(s.x0) + " " + num(y))
		} else {
			b.WriteString("m" + num(s.x0-at) + " 0")
		}
		b.WriteString("h" + num(s.x1-s.x0))
		at = s.x1
	}
	return len(gaps)
}

// writeTitle writes a tracker's name as XML text, cut when long.
func writeTitle(b *bytes.Buffer, name string, runes int) {
	name = cleanName(name)
	if utf8.RuneCountInString(name) > runes {
		cut := 0
		for i := range name {
			if cut == runes-1 {
				name = name[:i] + "…"
				break
			}
			cut++
		}
	}
	xml.EscapeText(b, []byte(name)) // writes to a buffer: cannot fail
}

// cleanName is a name as the page and the drawing show it: invalid UTF-8
// and control characters (which XML cannot hold) become U+FFFD.
func cleanName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			return '\uFFFD'
		}
		return r
	}, name)
}

// text writes one label.
func text(b *bytes.Buffer, x, y float64, anchor, s string) {
	b.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `"`)
	if anchor != "start" {
		b.WriteString(` text-anchor="` + anchor + `"`)
	}
	b.WriteString(">")
	xml.EscapeText(b, []byte(s))
	b.WriteString("</text>")
}

// num writes v to one decimal, without a trailing ".0".
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ticks are the round values between lo and hi, about want of them, at
// least minStep apart (0: any).
func ticks(lo, hi float64, want int, minStep float64) []float64 {
	span := hi - lo
	if span == 0 {
		return []float64{lo}
	}
	if !(span > 0) || math.IsInf(span, 0) {
		return nil
	}
	raw := max(span/float64(want), minStep)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var out []float64
	for k := math.Ceil(lo / step); k*step <= hi && len(out) <= 2*want; k++ {
		out = append(out, k*step)
	}
	return out
}

// tickLabel writes a tick's value: whole numbers as such.
func tickLabel(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// Color is tracker i's colour: hues a golden angle apart, so that
// neighbours differ, light enough for the dark background.
func Color(i int) string {
	h := math.Mod(float64(i)*137.508, 360) / 60
	const s, l = 0.70, 0.62
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	const hex = "0123456789abcdef"
	out := []byte{'#'}
	for _, v := range []float64{r, g, b} {
		n := int(math.Round((v + m) * 255))
		out = append(out, hex[n>>4], hex[n&15])
	}
	return string(out)
}
