package tools

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tracksgo/internal/track"
)

// Flag is one command-line option that adds a tool. The converter registers
// each with the flag package (flag.Func, or flag.BoolFunc when Bool) so that
// tools are appended in command-line order (FORMATS.md §9.1).
type Flag struct {
	Name  string // long name without dashes, e.g. "xscale"
	Short string // one-letter alias, or ""
	Arg   string // what the argument looks like, e.g. "F"; "" for switches
	Help  string
	Bool  bool // a switch without an argument
	// Parse turns the argument into the tool applications to append (none
	// for a switch set to false).
	Parse func(arg string) ([]Spec, error)
}

// Flags returns the tool options of the converter.
func Flags() []Flag {
	return []Flag{
		single("xscale", "", "F", "Scale the comp and the tracks horizontally by this factor", Scaler, "x_factor"),
		single("yscale", "", "F", "Scale the comp and the tracks vertically by this factor", Scaler, "y_factor"),
		single("slip", "s", "N", "Slip all the tracker keyframes in time by this number of frames (negative: earlier)", Slipper, "slip"),
		toggle("trim", "t", "Remove all the keyframes that are on frames below 1", StartTrim),
		toggle("golden", "g", "Reset residual of all the trackers to zero", Golden),
		single("min-length", "m", "N", "Remove trackers that have less than the specified number of keyframes", LengthCutoff, "min_length"),
		single("prefix", "p", "P", "Prefix tracker names with text", Prefix, "prefix"),
		toggle("autoslip", "", "Move all the keyframes in time so that the track starts at frame 1", MoveToFirst),
		toggle("lerp", "", "Interpolate missing keyframes of all the trackers", Lerp),
		toggle("flip", "", "Mirrors all the tracker paths horizontally", Flip),
		toggle("flop", "", "Mirror all the tracker paths vertically", Flop),
		single("reformat-x", "", "W", "Reformat the comp to this width and scale all tracks to it", Reformat, "width"),
		single("reformat-y", "r", "H", "Reformat the comp to this height and scale all tracks to it", Reformat, "height"),
		single("xshift", "x", "X", "Move the points left or right", Shift, "x_shift"),
		single("yshift", "y", "Y", "Move the points up or down", Shift, "y_shift"),
		list("pad", "", "L,R,T,B", "Pad or crop the image by a fraction of its original size (left, right, top, bottom; missing values are 0)",
			Pad, nil, "left_pad", "right_pad", "top_pad", "bottom_pad"),
		list("crop", "c", "L,R,T,B", "Crop or pad the image by a specified number of pixels (left, right, top, bottom; missing values are 0)",
			Crop, nil, "left", "right", "top", "bottom"),
		list("undistort", "u", "K,KCUBE", "Remove lens distortion using the Syntheyes algorithm",
			LensDisto, Values{"remove": "true"}, "k", "kcube"),
		list("distort", "d", "K,KCUBE", "Add lens distortion using the Syntheyes algorithm",
			LensDisto, Values{"remove": "false"}, "k", "kcube"),
	}
}

// single is an option whose argument is one parameter of a tool.
func single(name, short, arg, help string, t *Tool, param string) Flag {
	typ := t.param(param).Type
	return Flag{Name: name, Short: short, Arg: arg, Help: help, Parse: func(text string) ([]Spec, error) {
		if typ != "string" {
			text = strings.TrimSpace(text)
			// Unlike form values, a command-line integer must be one.
			if _, msg := convert(typ, text, true); msg != "" {
				return nil, fmt.Errorf("--%s: %q %s", name, text, msg)
			}
		}
		return check(name, Spec{Name: t.ID, Params: Values{param: text}})
	}}
}

// toggle is a switch that adds a tool without parameters.
func toggle(name, short, help string, t *Tool) Flag {
	return Flag{Name: name, Short: short, Help: help, Bool: true, Parse: func(text string) ([]Spec, error) {
		on := true
		if text != "" {
			var err error
			if on, err = strconv.ParseBool(text); err != nil {
				return nil, fmt.Errorf("--%s: %q is not true or false", name, text)
			}
		}
		if !on {
			return nil, nil
		}
		return []Spec{{Name: t.ID}}, nil
	}}
}

// list is an option whose argument is comma-separated values for the
// params, in order. With fixed (non-nil) the count must match exactly and
// fixed adds parameters; otherwise missing values are 0.
func list(name, short, arg, help string, t *Tool, fixed Values, params ...string) Flag {
	typ := t.param(params[0]).Type
	return Flag{Name: name, Short: short, Arg: arg, Help: help, Parse: func(text string) ([]Spec, error) {
		parts := strings.Split(text, ",")
		if fixed != nil && len(parts) != len(params) {
			return nil, fmt.Errorf("--%s takes exactly %d comma-separated numbers (%s), got %d", name, len(params), arg, len(parts))
		}
		if len(parts) > len(params) {
			return nil, fmt.Errorf("--%s takes up to %d comma-separated numbers (%s), got %d", name, len(params), arg, len(parts))
		}
		v := Values{}
		for k, x := range fixed {
			v[k] = x
		}
		for i, p := range params {
			s := "0"
			if i < len(parts) {
				s = strings.TrimSpace(parts[i])
			}
			if s == "" && fixed == nil {
				s = "0"
			}
			if _, msg := convert(typ, s, true); msg != "" {
				return nil, fmt.Errorf("--%s: %q %s", name, s, msg)
			}
			v[p] = s
		}
		return check(name, Spec{Name: t.ID, Params: v})
	}}
}

// check validates s as Build would, naming the option in errors.
func check(name string, s Spec) ([]Spec, error) {
	t, err := Lookup(s.Name)
	if err == nil {
		_, err = t.New(&track.Buffer{}, s.Params)
	}
	var pe *ParamError
	if errors.As(err, &pe) {
		if pe.Value != "" {
			return nil, fmt.Errorf("--%s: %q %s", name, pe.Value, pe.Msg)
		}
		return nil, fmt.Errorf("--%s %s", name, pe.Msg)
	}
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", name, err)
	}
	return []Spec{s}, nil
}
