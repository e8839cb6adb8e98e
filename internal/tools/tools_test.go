package tools

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestAll(t *testing.T) {
	want := []struct{ id, desc string }{
		{"Crop", "Crop or pad the image by a specified number of pixels"},
		{"Flip", "Mirrors all the tracker paths horizontally"},
		{"Flop", "Mirror all the tracker paths vertically"},
		{"Golden", "Reset residual of all the trackers to zero"},
		{"LengthCutoff", "Remove trackers that have less than the specified number of keyframes"},
		{"LensDisto", "Apply or remove lens distortion with the Syntheyes algorithm"},
		{"Lerp", "Interpolate missing keyframes of all the trackers"},
		{"Lint", "Verify all the exported trackers and check for errors"},
		{"MoveToFirst", "Move all the keyframes in time so that the track starts at frame 1"},
		{"Pad", "Pad or crop the image by a fraction of it's original size"},
		{"Prefix", "Prefix tracker names with text"},
		{"Scaler", "Scale the comp by a specified factor"},
		{"Reformat", "Reformat the comp together with it's trackers to conform to a specific format"},
		{"Shift", "Move all the trackers by a specified number of pixels"},
		{"Slipper", "Slip all the tracker keyframes in time"},
		{"StartTrim", "Remove all the keyframes that are on frames below 1"},
	}
	all := All()
	if len(all) != len(want) {
		t.Fatalf("%d tools, want %d", len(all), len(want))
	}
	for i, w := range want {
		if all[i].ID != w.id || all[i].Desc != w.desc {
			t.Errorf("tool %d: %q %q, want %q %q", i, all[i].ID, all[i].Desc, w.id, w.desc)
		}
	}
}

func TestParamsAreDeclaredProperly(t *testing.T) {
	types := map[string]bool{"int": true, "float": true, "bool": true, "string": true}
	want := map[string][]string{
		"Crop":         {"top", "left", "right", "bottom"},
		"LengthCutoff": {"min_length"},
		"LensDisto":    {"k", "kcube", "remove"},
		"Pad":          {"left_pad", "right_pad", "top_pad", "bottom_pad"},
		"Prefix":       {"prefix"},
		"Scaler":       {"x_factor", "y_factor"},
		"Reformat":     {"width", "height"},
		"Shift":        {"x_shift", "y_shift"},
		"Slipper":      {"slip"},
	}
	for _, tool := range All() {
		var got []string
		for _, p := range tool.Params {
			got = append(got, p.Name)
			if !types[p.Type] || p.Help == "" {
				t.Errorf("%s.%s: type %q, help %q", tool.ID, p.Name, p.Type, p.Help)
			}
		}
		if !reflect.DeepEqual(got, want[tool.ID]) {
			t.Errorf("%s params %v, want %v", tool.ID, got, want[tool.ID])
		}
	}
}

// TestToolsSpeakPlainly: a page names every tool and parameter in words
// (with the unit where there is one), never by its id.
func TestToolsSpeakPlainly(t *testing.T) {
	titles := map[string]bool{}
	for _, tool := range All() {
		if tool.Title == "" || tool.Title == tool.ID && strings.ContainsAny(tool.ID[1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || titles[tool.Title] {
			t.Errorf("%s: title %q", tool.ID, tool.Title)
		}
		titles[tool.Title] = true
		for _, p := range tool.Params {
			if p.Label == "" || strings.Contains(p.Label, "_") || p.Label == p.Name {
				t.Errorf("%s.%s: label %q", tool.ID, p.Name, p.Label)
			}
		}
	}
	for _, c := range []struct {
		err  *ParamError
		want string
	}{
		{&ParamError{Tool: "Scaler", Param: "x_factor", Value: "big", Msg: "is not a number"}, `Scale: X factor: "big" is not a number`},
		{&ParamError{Tool: "Pad", Param: "left_pad", Msg: "must not be -1"}, "Pad or crop (fraction): Left pad (fraction of width) must not be -1"},
		{&ParamError{Tool: "Nope", Param: "x", Msg: "is odd"}, "nope: x is odd"},
	} {
		if got := c.err.Plain(); got != c.want {
			t.Errorf("Plain() = %q, want %q", got, c.want)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"lERP", "lerp", "Lerp", "LERP"} {
		tool, err := Lookup(name)
		if err != nil || tool != Lerp {
			t.Errorf("Lookup(%q) = %v, %v", name, tool, err)
		}
	}
	_, err := Lookup("Nope")
	checkErr(t, err, `Unknown tool "Nope"`)
	var ue *UnknownToolError
	if !errors.As(err, &ue) || ue.Name != "Nope" {
		t.Errorf("error %#v is not an UnknownToolError", err)
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		name string
		tool *Tool
		v    Values
		want track.Keyframe
	}{
		{"int text", Slipper, Values{"slip": " 3 "}, kf(3, 1, 1, 0.5)},
		{"bool on", LensDisto, Values{"remove": "on"}, kf(0, 1, 1, 0.5)},
		{"bool TRUE", LensDisto, Values{"remove": "TRUE"}, kf(0, 1, 1, 0.5)},
		{"float with exponent", Shift, Values{"x_shift": "1e1"}, kf(0, 11, 1, 0.5)},
		{"int float text", Shift, Values{"y_shift": "2"}, kf(0, 1, 3, 0.5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apply(t, tt.tool, tt.v, 100, 100, tr("T", kf(0, 1, 1, 0.5)))
			checkKeys(t, b.Trackers[0].Keyframes, []track.Keyframe{tt.want})
		})
	}
}

// The first spec is the outermost stage and sees the data first.
func TestBuildOrder(t *testing.T) {
	tests := []struct {
		name  string
		specs []Spec
		want  *track.Tracker
	}{
		{"slip then autoslip", []Spec{{Name: "Slipper", Params: Values{"slip": "10"}}, {Name: "MoveToFirst"}},
			tr("T", kf(0, 1, 1, 0), kf(2, 2, 2, 0))},
		{"autoslip then slip", []Spec{{Name: "movetofirst"}, {Name: "slipper", Params: Values{"slip": "10"}}},
			tr("T", kf(10, 1, 1, 0), kf(12, 2, 2, 0))},
		{"prefixes nest outside in", []Spec{{Name: "Prefix", Params: Values{"prefix": "a"}}, {Name: "Prefix", Params: Values{"prefix": "b"}}},
			tr("b_a_T", kf(5, 1, 1, 0), kf(7, 2, 2, 0))},
		{"no tools", nil, tr("T", kf(5, 1, 1, 0), kf(7, 2, 2, 0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &track.Buffer{}
			e, err := Build(tt.specs, b)
			if err != nil {
				t.Fatal(err)
			}
			if err := track.Export(e, 10, 10, []*track.Tracker{tr("T", kf(5, 1, 1, 0), kf(7, 2, 2, 0))}); err != nil {
				t.Fatal(err)
			}
			checkTrackers(t, b.Trackers, []*track.Tracker{tt.want})
		})
	}
}

func TestBuildAndValidateErrors(t *testing.T) {
	tests := []struct {
		specs []Spec
		want  string
	}{
		{[]Spec{{Name: "Golden"}, {Name: "Nope"}}, `Unknown tool "Nope"`},
		{[]Spec{{Name: "Scaler", Params: Values{"x_factor": "0"}}}, "scaler: x_factor must not be 0"},
		{[]Spec{{Name: "Golden"}, {Name: "scaler", Params: Values{"y_factor": "abc"}}}, `scaler: y_factor: "abc" is not a number`},
		{[]Spec{{Name: "LengthCutoff", Params: Values{"min_length": "-3"}}}, "lengthcutoff: min_length must not be negative"},
		{[]Spec{{Name: "Reformat", Params: Values{"height": "0"}}}, "reformat: height must be greater than 0"},
		{[]Spec{{Name: "Prefix", Params: Values{"Prefix": "x"}}}, `prefix: unknown parameter "Prefix" (parameters: prefix)`},
	}
	for _, tt := range tests {
		_, err := Build(tt.specs, &track.Buffer{})
		checkErr(t, err, tt.want)
		checkErr(t, Validate(tt.specs), tt.want)
	}
	ok := []Spec{{Name: "golden"}, {Name: "Scaler", Params: Values{"x_factor": "2"}}, {Name: "LINT"}}
	if err := Validate(ok); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := Validate(nil); err != nil {
		t.Errorf("Validate(nil): %v", err)
	}
}

// Running a chain built by Build gives the same export as running each tool
// on its own, feeding the recorded output of one into the next.
func TestChainEqualsStepByStep(t *testing.T) {
	chains := map[string][]Spec{
		"geometry": {
			{Name: "Crop", Params: Values{"left": "-60", "bottom": "58"}},
			{Name: "Reformat", Params: Values{"width": "1280", "height": "720"}},
			{Name: "Flip"},
			{Name: "Shift", Params: Values{"x_shift": "3.5", "y_shift": "-2"}},
			{Name: "Pad", Params: Values{"top_pad": "0.1"}},
			{Name: "Scaler", Params: Values{"y_factor": "-1.5"}},
			{Name: "LensDisto", Params: Values{"k": "-0.0298", "kcube": "0.0078"}},
			{Name: "Flop"},
		},
		"time": {
			{Name: "Slipper", Params: Values{"slip": "-5"}},
			{Name: "Lerp"},
			{Name: "StartTrim"},
			{Name: "LengthCutoff", Params: Values{"min_length": "10"}},
			{Name: "MoveToFirst"},
			{Name: "Golden"},
			{Name: "Prefix", Params: Values{"prefix": "shot_"}},
			{Name: "Lint"},
		},
		"mixed": {
			{Name: "Lerp"},
			{Name: "Scaler", Params: Values{"x_factor": "0.5", "y_factor": "0.5"}},
			{Name: "Slipper", Params: Values{"slip": "100"}},
			{Name: "LensDisto", Params: Values{"k": "-0.0298", "kcube": "0.0078", "remove": "true"}},
			{Name: "MoveToFirst"},
			{Name: "Prefix", Params: Values{"prefix": "p"}},
		},
	}
	for name, specs := range chains {
		t.Run(name, func(t *testing.T) {
			chained := &track.Buffer{}
			e, err := Build(specs, chained)
			if err != nil {
				t.Fatal(err)
			}
			if err := track.Export(e, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers()); err != nil {
				t.Fatal(err)
			}

			w, h, trackers := formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers()
			for _, s := range specs {
				step := &track.Buffer{}
				e, err := Build([]Spec{s}, step)
				if err != nil {
					t.Fatal(err)
				}
				if err := track.Export(e, w, h, trackers); err != nil {
					t.Fatalf("%s: %v", s.Name, err)
				}
				w, h, trackers = step.Width, step.Height, step.Trackers
			}

			if chained.Width != w || chained.Height != h {
				t.Errorf("chain size %dx%d, step by step %dx%d", chained.Width, chained.Height, w, h)
			}
			if len(chained.Trackers) == 0 {
				t.Fatal("the chain exported nothing")
			}
			if !reflect.DeepEqual(chained.Trackers, trackers) {
				t.Errorf("chain and step by step differ:\n%v\n%v", chained.Trackers[0], trackers[0])
			}
		})
	}
}
