// Package tools holds the track-editing stages of FORMATS.md §7 (Scaler,
// Slipper, Lerp, …). Each tool wraps the next stage of the exporter protocol
// (another tool, Lint, or the exporters) and changes the calls it forwards.
// Tools are built from a name and text parameters (Spec), as stored in a
// job or sent by a form, or from the converter's command-line flags.
package tools

import (
	"fmt"
	"strings"

	"tracksgo/internal/track"
)

// Param describes one parameter, for the CLI help and the web form alike.
type Param struct {
	Name    string // e.g. "x_factor": the CLI's and the API's
	Label   string // e.g. "X factor": the words and unit a page shows
	Type    string // "int", "float", "bool" or "string"
	Default string // what an unset parameter behaves like (documentation only)
	Help    string
}

// Tool describes one kind of stage.
type Tool struct {
	ID     string // e.g. "Scaler"; lookups are case-insensitive
	Title  string // e.g. "Scale": what a page calls it
	Desc   string // the description of FORMATS.md §7
	Params []Param
	// New builds the stage in front of next. Unset (absent or empty)
	// parameters take their zero value unless the tool says otherwise.
	// A tool that creates keyframes gets a budget of its own
	// (DefaultKeyframeLimit); BuildBudget shares one.
	New func(next track.Exporter, v Values) (track.Exporter, error)

	build func(next track.Exporter, a *args) (track.Exporter, error)
}

// define makes a Tool whose New parses and checks the values against
// params before handing them to build.
func define(id, title, desc string, params []Param, build func(next track.Exporter, a *args) (track.Exporter, error)) *Tool {
	t := &Tool{ID: id, Title: title, Desc: desc, Params: params, build: build}
	t.New = func(next track.Exporter, v Values) (track.Exporter, error) {
		return t.newBudget(next, v, nil)
	}
	return t
}

// newBudget builds the stage with the keyframe budget b (nil: one of its
// own).
func (t *Tool) newBudget(next track.Exporter, v Values, b *Budget) (track.Exporter, error) {
	a, err := parseArgs(t, v)
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = NewBudget(DefaultKeyframeLimit)
	}
	a.budget = b
	return t.build(next, a)
}

// All returns every tool, in the order of FORMATS.md §7.
func All() []*Tool {
	return []*Tool{
		Crop, Flip, Flop, Golden, LengthCutoff, LensDisto, Lerp, Lint,
		MoveToFirst, Pad, Prefix, Scaler, Reformat, Shift, Slipper, StartTrim,
	}
}

// UnknownToolError is the failure of a tool lookup.
type UnknownToolError struct{ Name string }

func (e *UnknownToolError) Error() string { return fmt.Sprintf("Unknown tool %q", e.Name) }

// Lookup finds a tool by its id, ignoring case.
func Lookup(name string) (*Tool, error) {
	for _, t := range All() {
		if strings.EqualFold(t.ID, name) {
			return t, nil
		}
	}
	return nil, &UnknownToolError{Name: name}
}

// Build chains the tools in front of next. The first spec is the outermost
// stage: it sees the data first (FORMATS.md §2.1). The tools that create
// keyframes share a budget of DefaultKeyframeLimit.
func Build(specs []Spec, next track.Exporter) (track.Exporter, error) {
	return BuildBudget(specs, next, NewBudget(DefaultKeyframeLimit))
}

// BuildBudget is Build with the keyframe budget b, which the tools that
// create keyframes draw on: pass the same one to every chain of a
// conversion so that the limit holds for the whole job.
func BuildBudget(specs []Spec, next track.Exporter, b *Budget) (track.Exporter, error) {
	if b == nil {
		b = NewBudget(DefaultKeyframeLimit)
	}
	tools := make([]*Tool, len(specs))
	for i, s := range specs {
		t, err := Lookup(s.Name)
		if err != nil {
			return nil, err
		}
		tools[i] = t
	}
	e := next
	for i := len(specs) - 1; i >= 0; i-- {
		var err error
		if e, err = tools[i].newBudget(e, specs[i].Params, b); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Validate makes the checks of Build without keeping the result.
func Validate(specs []Spec) error {
	_, err := Build(specs, &track.Buffer{})
	return err
}
