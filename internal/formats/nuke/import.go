package nuke

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
)

// pointKnobs are the knobs of the "Tracker3 family" holding {xcurve ycurve},
// in the order their trackers are returned (FORMATS.md §4.8.3). Tracker4 has
// none: its tracks table is read instead.
var pointKnobs = map[string][]string{
	"Tracker3":         {"track1", "track2", "track3", "track4"},
	"Reconcile3D":      {"output"},
	"Transform":        {"translate", "center"},
	"PlanarTracker1_0": {"outputBottomLeft", "outputBottomRight", "outputTopLeft", "outputTopRight"},
	"PlanarTracker":    {"outputBottomLeft", "outputBottomRight", "outputTopLeft", "outputTopRight"},
	"CornerPin2D":      {"to1", "to2", "to3", "to4"},
	"Tracker4":         nil,
}

func supported(class []byte) bool {
	_, ok := pointKnobs[string(class)]
	return ok
}

// importer holds one import: the tokenizer and scratch space for curves.
type importer struct {
	t      *tokenizer
	s      *format.Session
	xs, ys []key
}

func importImporter(r io.Reader, s *format.Session) error {
	im := &importer{t: newTokenizer(r, supported), s: s}
	for {
		cmd, err := im.t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := im.node(cmd); err != nil {
			return err
		}
	}
}

// node emits the trackers of a top-level command `<Class> { <knobs> }`.
func (im *importer) node(cmd []elem) error {
	t := im.t
	if len(cmd) != 2 || cmd[1].kind != braceList || !cmd[1].cmds {
		return nil
	}
	class := string(t.word(cmd[0]))
	knobs := t.children(cmd[1])
	nodeName := "" // a missing name gives names like _track1
	if name, ok := im.knob(knobs, "name"); ok {
		nodeName = im.flat(name)
	}
	if class == "Tracker4" {
		return im.tracker4(nodeName, knobs)
	}
	for _, k := range pointKnobs[class] {
		v, ok := im.knob(knobs, k)
		if !ok || v.kind != braceList || v.cmds {
			continue
		}
		var curves [2]elem
		n := 0
		for _, c := range t.children(v) {
			if t.isCurve(c) {
				if n < 2 {
					curves[n] = c
				}
				n++
			}
		}
		if n != 2 {
			continue // plain values, expressions, a single animated axis
		}
		if err := im.emit(nodeName+"_"+k, curves[0], curves[1], strictCurve); err != nil {
			return err
		}
	}
	return nil
}

// tracker4 emits a tracker per row of the tracks table: columns 1, 2 and 3
// are name, track_x and track_y; the headers are not read.
func (im *importer) tracker4(nodeName string, knobs []elem) error {
	t := im.t
	tracks, ok := im.knob(knobs, "tracks")
	if !ok || tracks.kind != braceList || !tracks.cmds || tracks.hi-tracks.lo < 3 {
		return nil
	}
	block := t.children(t.children(tracks)[2]) // [0] preamble, [1] headers, [2] rows
	if len(block) == 0 || block[0].kind != braceList || !block[0].cmds {
		return nil
	}
	for _, rowCmd := range t.children(block[0]) {
		row := t.children(rowCmd)[0]
		if row.kind != braceList || row.cmds || row.hi-row.lo < 4 {
			continue
		}
		cols := t.children(row)
		if err := im.emit(nodeName+"_"+im.flat(cols[1]), cols[2], cols[3], looseCurve); err != nil {
			return err
		}
	}
	return nil
}

// emit expands two curves and hands over the tracker they make; invalid
// curves skip the tracker silently.
func (im *importer) emit(name string, xc, yc elem, mode curveMode) error {
	var okX, okY bool
	im.xs, okX = im.t.expand(im.xs[:0], xc, mode)
	im.ys, okY = im.t.expand(im.ys[:0], yc, mode)
	if !okX || !okY {
		return nil
	}
	tr := pairCurves(name, im.xs, im.ys)
	if im.s.Progress != nil {
		im.s.Report("Reading tracker " + tr.Name)
	}
	return im.s.Emit(tr)
}

// knob returns the value (second element) of the last knob command with
// this name; ok is false when there is none or it has no value.
func (im *importer) knob(knobs []elem, name string) (v elem, ok bool) {
	t := im.t
	for _, c := range knobs {
		parts := t.children(c)
		if len(parts) == 0 || parts[0].kind != word || string(t.word(parts[0])) != name {
			continue
		}
		if len(parts) < 2 {
			v, ok = elem{}, false
			continue
		}
		v, ok = parts[1], true
	}
	return v, ok
}

// flat renders a name value: a word as it is, a list as its words joined
// with underscores.
func (im *importer) flat(e elem) string {
	if e.kind == word {
		return string(im.t.word(e))
	}
	var parts []string
	var walk func(elem)
	walk = func(e elem) {
		if e.kind == word {
			parts = append(parts, string(im.t.word(e)))
			return
		}
		for _, c := range im.t.children(e) {
			walk(c)
		}
	}
	walk(e)
	return strings.Join(parts, "_")
}
