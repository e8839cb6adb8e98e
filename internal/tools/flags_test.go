package tools

import (
	"flag"
	"io"
	"reflect"
	"testing"

	"tracksgo/internal/track"
)

func TestFlagList(t *testing.T) {
	want := []struct {
		name, short string
		bool        bool
	}{
		{"xscale", "", false}, {"yscale", "", false}, {"slip", "s", false}, {"trim", "t", true},
		{"golden", "g", true}, {"min-length", "m", false}, {"prefix", "p", false}, {"autoslip", "", true},
		{"lerp", "", true}, {"flip", "", true}, {"flop", "", true}, {"reformat-x", "", false},
		{"reformat-y", "r", false}, {"xshift", "x", false}, {"yshift", "y", false}, {"pad", "", false},
		{"crop", "c", false}, {"undistort", "u", false}, {"distort", "d", false},
	}
	flags := Flags()
	if len(flags) != len(want) {
		t.Fatalf("%d flags, want %d", len(flags), len(want))
	}
	for i, w := range want {
		f := flags[i]
		if f.Name != w.name || f.Short != w.short || f.Bool != w.bool {
			t.Errorf("flag %d: %q -%q bool %v, want %q -%q %v", i, f.Name, f.Short, f.Bool, w.name, w.short, w.bool)
		}
		if f.Help == "" || (f.Arg == "") != f.Bool || f.Parse == nil {
			t.Errorf("flag %q: arg %q help %q", f.Name, f.Arg, f.Help)
		}
	}
}

func flagByName(t *testing.T, name string) Flag {
	t.Helper()
	for _, f := range Flags() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no flag %q", name)
	return Flag{}
}

func TestFlagParse(t *testing.T) {
	tests := []struct {
		flag, arg string
		want      []Spec
	}{
		{"xscale", "2", []Spec{{Name: "Scaler", Params: Values{"x_factor": "2"}}}},
		{"yscale", " -0.5 ", []Spec{{Name: "Scaler", Params: Values{"y_factor": "-0.5"}}}},
		{"slip", "-8000", []Spec{{Name: "Slipper", Params: Values{"slip": "-8000"}}}},
		{"trim", "true", []Spec{{Name: "StartTrim"}}},
		{"trim", "", []Spec{{Name: "StartTrim"}}},
		{"trim", "false", nil},
		{"golden", "true", []Spec{{Name: "Golden"}}},
		{"min-length", "12", []Spec{{Name: "LengthCutoff", Params: Values{"min_length": "12"}}}},
		{"prefix", "shot 1_", []Spec{{Name: "Prefix", Params: Values{"prefix": "shot 1_"}}}},
		{"autoslip", "true", []Spec{{Name: "MoveToFirst"}}},
		{"lerp", "true", []Spec{{Name: "Lerp"}}},
		{"flip", "true", []Spec{{Name: "Flip"}}},
		{"flop", "true", []Spec{{Name: "Flop"}}},
		{"reformat-x", "1204", []Spec{{Name: "Reformat", Params: Values{"width": "1204"}}}},
		{"reformat-y", "340", []Spec{{Name: "Reformat", Params: Values{"height": "340"}}}},
		{"xshift", "63", []Spec{{Name: "Shift", Params: Values{"x_shift": "63"}}}},
		{"yshift", "-6.5", []Spec{{Name: "Shift", Params: Values{"y_shift": "-6.5"}}}},
		{"pad", "-0.25,0,0,0.1", []Spec{{Name: "Pad", Params: Values{"left_pad": "-0.25", "right_pad": "0", "top_pad": "0", "bottom_pad": "0.1"}}}},
		{"pad", "0.1", []Spec{{Name: "Pad", Params: Values{"left_pad": "0.1", "right_pad": "0", "top_pad": "0", "bottom_pad": "0"}}}},
		{"pad", "0.1, ,0.2", []Spec{{Name: "Pad", Params: Values{"left_pad": "0.1", "right_pad": "0", "top_pad": "0.2", "bottom_pad": "0"}}}},
		{"crop", "-60,0,0,58", []Spec{{Name: "Crop", Params: Values{"left": "-60", "right": "0", "top": "0", "bottom": "58"}}}},
		{"crop", "10,20", []Spec{{Name: "Crop", Params: Values{"left": "10", "right": "20", "top": "0", "bottom": "0"}}}},
		{"undistort", "-0.0298,0.0078", []Spec{{Name: "LensDisto", Params: Values{"k": "-0.0298", "kcube": "0.0078", "remove": "true"}}}},
		{"distort", "0.0168, 0", []Spec{{Name: "LensDisto", Params: Values{"k": "0.0168", "kcube": "0", "remove": "false"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.flag+"="+tt.arg, func(t *testing.T) {
			got, err := flagByName(t, tt.flag).Parse(tt.arg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if err := Validate(got); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestFlagParseErrors(t *testing.T) {
	tests := []struct{ flag, arg, want string }{
		{"xscale", "abc", `--xscale: "abc" is not a number`},
		{"xscale", "0", "--xscale must not be 0"},
		{"yscale", "", `--yscale: "" is not a number`},
		{"slip", "1.5", `--slip: "1.5" is not an integer`},
		{"slip", "99999999999", `--slip: "99999999999" is out of range`},
		{"min-length", "-1", "--min-length must not be negative"},
		{"min-length", "ten", `--min-length: "ten" is not an integer`},
		{"reformat-x", "0", "--reformat-x must be greater than 0"},
		{"reformat-y", "-340", "--reformat-y must be greater than 0"},
		{"reformat-y", "340.5", `--reformat-y: "340.5" is not an integer`},
		{"xshift", "left", `--xshift: "left" is not a number`},
		{"pad", "0.1,0.2,0.3,0.4,0.5", "--pad takes up to 4 comma-separated numbers (L,R,T,B), got 5"},
		{"pad", "0.1,x", `--pad: "x" is not a number`},
		{"crop", "1,2,3,4,5", "--crop takes up to 4 comma-separated numbers (L,R,T,B), got 5"},
		{"crop", "1.5", `--crop: "1.5" is not an integer`},
		{"undistort", "0.1", "--undistort takes exactly 2 comma-separated numbers (K,KCUBE), got 1"},
		{"distort", "0.1,0.2,0.3", "--distort takes exactly 2 comma-separated numbers (K,KCUBE), got 3"},
		{"distort", "0.1,", `--distort: "" is not a number`},
		{"trim", "maybe", `--trim: "maybe" is not true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.flag+"="+tt.arg, func(t *testing.T) {
			_, err := flagByName(t, tt.flag).Parse(tt.arg)
			checkErr(t, err, tt.want)
		})
	}
}

// The way the converter uses Flags: one flag.Func (or BoolFunc) per option
// and alias, appending in command-line order.
func TestFlagsWithTheFlagPackage(t *testing.T) {
	fs := flag.NewFlagSet("tracksperanto", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var specs []Spec
	for _, f := range Flags() {
		add := func(arg string) error {
			s, err := f.Parse(arg)
			specs = append(specs, s...)
			return err
		}
		for _, name := range []string{f.Name, f.Short} {
			if name == "" {
				continue
			}
			if f.Bool {
				fs.BoolFunc(name, f.Help, add)
			} else {
				fs.Func(name, f.Help, add)
			}
		}
	}
	args := []string{"--slip", "-8000", "-t", "--xshift", "3", "-y", "4", "--pad", "0.1", "--flip", "-p", "x", "input.nk"}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	want := []Spec{
		{Name: "Slipper", Params: Values{"slip": "-8000"}},
		{Name: "StartTrim"},
		{Name: "Shift", Params: Values{"x_shift": "3"}},
		{Name: "Shift", Params: Values{"y_shift": "4"}},
		{Name: "Pad", Params: Values{"left_pad": "0.1", "right_pad": "0", "top_pad": "0", "bottom_pad": "0"}},
		{Name: "Flip"},
		{Name: "Prefix", Params: Values{"prefix": "x"}},
	}
	if !reflect.DeepEqual(specs, want) {
		t.Fatalf("specs %v, want %v", specs, want)
	}
	if fs.Arg(0) != "input.nk" {
		t.Errorf("remaining args %v", fs.Args())
	}
	e, err := Build(specs, track.NewLint(&track.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	err = track.Export(e, 100, 100, []*track.Tracker{tr("T", kf(0, 1, 1, 0))})
	checkErr(t, err, "There were no trackers exported")

	if err := fs.Parse([]string{"--xscale", "0"}); err == nil {
		t.Error("--xscale 0 accepted")
	}
}
