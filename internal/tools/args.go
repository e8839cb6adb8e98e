package tools

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxInt bounds int parameters and computed comp sizes, so that frame and
// size arithmetic can never overflow.
const maxInt = math.MaxInt32

// ParamError is a parameter value that a tool cannot use.
type ParamError struct {
	Tool  string // tool id
	Param string // parameter name
	Value string // the text given, when it could not be converted
	Msg   string // what is wrong, e.g. "is not a number", "must not be 0"
}

func (e *ParamError) Error() string {
	tool := strings.ToLower(e.Tool)
	if e.Value != "" {
		return fmt.Sprintf("%s: %s: %q %s", tool, e.Param, e.Value, e.Msg)
	}
	return fmt.Sprintf("%s: %s %s", tool, e.Param, e.Msg)
}

// Plain is the error in a page's words: the tool's title and the
// parameter's label instead of their ids.
func (e *ParamError) Plain() string {
	t, err := Lookup(e.Tool)
	if err != nil {
		return e.Error()
	}
	label := e.Param
	if p := t.param(e.Param); p != nil && p.Label != "" {
		label = p.Label
	}
	if e.Value != "" {
		return fmt.Sprintf("%s: %s: %q %s", t.Title, label, e.Value, e.Msg)
	}
	return fmt.Sprintf("%s: %s %s", t.Title, label, e.Msg)
}

// args are the converted parameter values of one tool application; a
// parameter is present only when it was given.
type args struct {
	tool   *Tool
	vals   map[string]any
	budget *Budget // keyframes the tools may create
}

// parseArgs converts v by the types the tool declares. An empty text counts
// as not given, as an empty form field does.
func parseArgs(t *Tool, v Values) (*args, error) {
	a := &args{tool: t, vals: make(map[string]any, len(v))}
	for name, text := range v {
		p := t.param(name)
		if p == nil {
			return nil, fmt.Errorf("%s: unknown parameter %q (%s)", strings.ToLower(t.ID), name, t.paramList())
		}
		if p.Type != "string" {
			text = strings.TrimSpace(text)
		}
		if text == "" {
			continue
		}
		val, msg := convert(p.Type, text, false)
		if msg != "" {
			return nil, &ParamError{Tool: t.ID, Param: name, Value: text, Msg: msg}
		}
		a.vals[name] = val
	}
	return a, nil
}

func (t *Tool) param(name string) *Param {
	for i := range t.Params {
		if t.Params[i].Name == name {
			return &t.Params[i]
		}
	}
	return nil
}

func (t *Tool) paramList() string {
	if len(t.Params) == 0 {
		return "it takes none"
	}
	names := make([]string, len(t.Params))
	for i, p := range t.Params {
		names[i] = p.Name
	}
	return "parameters: " + strings.Join(names, ", ")
}

// convert turns text into a value of the type, or says what is wrong with
// it. Int parameters take decimals truncated toward zero (FORMATS.md §7)
// unless strict, as on the command line.
func convert(typ, text string, strict bool) (any, string) {
	switch typ {
	case "float":
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "is not a number"
		}
		return f, ""
	case "int":
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			if n < -maxInt || n > maxInt {
				return nil, "is out of range"
			}
			return int(n), ""
		}
		f, err := strconv.ParseFloat(text, 64)
		if strict || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "is not an integer"
		}
		if math.Abs(f) >= maxInt+1 {
			return nil, "is out of range"
		}
		return int(math.Trunc(f)), ""
	case "bool":
		switch strings.ToLower(text) {
		case "on", "yes":
			return true, ""
		case "off", "no":
			return false, ""
		}
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, "is not true or false"
		}
		return b, ""
	default:
		return text, ""
	}
}

func (a *args) float(name string) (float64, bool) {
	v, ok := a.vals[name].(float64)
	return v, ok
}

func (a *args) int(name string) (int, bool) {
	v, ok := a.vals[name].(int)
	return v, ok
}

func (a *args) bool(name string) bool {
	v, _ := a.vals[name].(bool)
	return v
}

func (a *args) string(name string) string {
	v, _ := a.vals[name].(string)
	return v
}

// errorf reports an unusable value of a parameter that converted fine.
func (a *args) errorf(param, format string, v ...any) error {
	return &ParamError{Tool: a.tool.ID, Param: param, Msg: fmt.Sprintf(format, v...)}
}

// sizeInt converts a computed comp size, failing when it is out of range.
func sizeInt(f float64) (int, bool) {
	if math.IsNaN(f) || math.Abs(f) > maxInt {
		return 0, false
	}
	return int(f), true
}
