package mmsolver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// object is a JSON object whose members are decoded when used: keys match
// exactly, as in the Python writers (encoding/json's structs would also
// take "Frame" for "frame").
type object map[string]json.RawMessage

// importJSON reads versions 2 to 5 (FORMATS.md §4.15.3).
func importJSON(r io.Reader, s *format.Session) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return &format.ParseError{Format: id, Msg: "cannot read", Err: err}
	}
	data = bytes.TrimPrefix(data, []byte(bom))
	var top object
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return format.Errorf(id, lineAt(data, syn.Offset), "not valid JSON: %v", err)
		}
		return format.Errorf(id, 0, `a JSON .uv file is an object with "version" and "points"`)
	}
	v, ok := number(top["version"])
	if !ok || v != math.Trunc(v) || v < 2 || v > 5 {
		return format.Errorf(id, 0, "unsupported \"version\" %s (JSON .uv files are versions 2 to 5)", shown(top["version"]))
	}
	version := int(v)
	if w, h, ok := resolution(top, version); ok {
		s.Width, s.Height = w, h
	} else if !s.HasSize() {
		return format.SizeRequired(fmt.Sprintf("version %d file without a usable camera \"resolution\"", version))
	}
	s.Sized()
	w, h := float64(s.Width), float64(s.Height)

	var points []json.RawMessage
	if kind(top["points"]) != '[' || json.Unmarshal(top["points"], &points) != nil {
		return format.Errorf(id, 0, `"points" must be a list`)
	}
	for i, raw := range points {
		var p object
		var name string
		if kind(raw) != '{' || json.Unmarshal(raw, &p) != nil ||
			kind(p["name"]) != '"' || json.Unmarshal(p["name"], &name) != nil {
			return format.Errorf(id, 0, `point %d: expected an object with a "name" string`, i+1)
		}
		t := track.New(name)
		s.Report("Reading point " + t.Name)
		if err := readFrames(t, p["per_frame"], version, w, h); err != nil {
			return err
		}
		if err := s.EmitUnordered(t); err != nil {
			return err
		}
	}
	return nil
}

// readFrames adds a point's "per_frame" samples to t.
func readFrames(t *track.Tracker, raw json.RawMessage, version int, w, h float64) error {
	switch kind(raw) {
	case 0, 'n':
		return nil // no samples: the point is empty
	case '[':
	default:
		return format.Errorf(id, 0, `point %q: "per_frame" must be a list`, t.Name)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return format.Errorf(id, 0, `point %q: "per_frame" must be a list`, t.Name)
	}
	for _, e := range entries {
		var o object
		if kind(e) != '{' || json.Unmarshal(e, &o) != nil {
			return format.Errorf(id, 0, `point %q: every "per_frame" entry must be an object`, t.Name)
		}
		f, ok := number(o["frame"])
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return format.Errorf(id, 0, `point %q: "frame" must be a whole number, got %s`, t.Name, shown(o["frame"]))
		}
		frame := int(f)
		// v3+ carry the plate position in pos_dist and the undistorted one
		// in pos: the plate's is what every other format holds (§4.15.5).
		u, v, ok := pair(o["pos_dist"])
		if version < 3 || !ok {
			if u, v, ok = pair(o["pos"]); !ok {
				want := `"pos_dist" or "pos"`
				if version < 3 {
					want = `"pos"`
				}
				return format.Errorf(id, 0, "point %q, frame %d: expected %s as two numbers", t.Name, frame, want)
			}
		}
		weight := 1.0 // the Rust reader's default
		if k := kind(o["weight"]); k != 0 && k != 'n' {
			if weight, ok = number(o["weight"]); !ok {
				return format.Errorf(id, 0, `point %q, frame %d: "weight" must be a number`, t.Name, frame)
			}
		}
		if k, keep, _ := keyframe(frame, u, v, weight, w, h); keep {
			t.Keyframes = append(t.Keyframes, k)
		}
	}
	return nil
}

// resolution is the comp size of a v4 or v5 file: camera.resolution when
// its first two items are numbers greater than 1, rounded half away from
// zero. A size beyond what an image can have is not usable either.
func resolution(top object, version int) (w, h int, ok bool) {
	if version < 4 || kind(top["camera"]) != '{' {
		return 0, 0, false
	}
	var cam object
	var res []json.RawMessage
	if json.Unmarshal(top["camera"], &cam) != nil || kind(cam["resolution"]) != '[' ||
		json.Unmarshal(cam["resolution"], &res) != nil || len(res) < 2 {
		return 0, 0, false
	}
	fw, okw := number(res[0])
	fh, okh := number(res[1])
	if !okw || !okh || !(fw > 1) || !(fh > 1) || fw > math.MaxInt32 || fh > math.MaxInt32 {
		return 0, 0, false
	}
	return int(math.Round(fw)), int(math.Round(fh)), true
}

// pair reads a position: a list whose first two items are numbers.
func pair(raw json.RawMessage) (u, v float64, ok bool) {
	var items []json.RawMessage
	if kind(raw) != '[' || json.Unmarshal(raw, &items) != nil || len(items) < 2 {
		return 0, 0, false
	}
	u, oku := number(items[0])
	v, okv := number(items[1])
	return u, v, oku && okv
}

// number reads a JSON number that fits a float64.
func number(raw json.RawMessage) (float64, bool) {
	if k := kind(raw); k != '-' && (k < '0' || k > '9') {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	return f, err == nil
}

// kind is the first byte of a JSON value, which tells its type ('{', '[',
// '"', 't', 'f', 'n', or a number's first character), or 0 when absent.
// The file was checked as JSON as a whole, so the rest follows.
func kind(raw json.RawMessage) byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// shown is a value as the file writes it, for error messages.
func shown(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "(missing)"
	}
	const most = 40
	if len(raw) > most {
		return string(raw[:most]) + "…"
	}
	return string(raw)
}

// lineAt is the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}
