package jsontracks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

type file struct {
	Width    *int `json:"width"`
	Height   *int `json:"height"`
	Trackers []struct {
		Name      string `json:"name"`
		Keyframes []struct {
			Frame    *int     `json:"frame"`
			X        *float64 `json:"x"`
			Y        *float64 `json:"y"`
			Residual float64  `json:"residual"`
		} `json:"keyframes"`
	} `json:"trackers"`
}

// sniff claims a JSON object whose "trackers" member is a list of objects
// with a "name" or "keyframes" member, where "width" and "height", if
// they come first, are numbers: JSON of another shape is not this format
// (FORMATS.md §11.9). The head may end anywhere after the first tracker
// opens.
func sniff(head []byte) int {
	d := json.NewDecoder(bytes.NewReader(bytes.TrimLeft(head, " \t\r\n\ufeff")))
	cut := func(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return 0
	}
	for {
		t, err := d.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return 0 // the object ends, or the head does, before "trackers"
		}
		switch key {
		case "width", "height":
			if t, err := d.Token(); err != nil {
				return 0
			} else if _, ok := t.(float64); !ok {
				return 0
			}
		case "trackers":
			if t, err := d.Token(); err != nil || t != json.Delim('[') {
				return 0
			}
			t, err := d.Token()
			switch {
			case cut(err) || t == json.Delim(']'):
				return 2
			case err != nil || t != json.Delim('{'):
				return 0
			}
			t, err = d.Token()
			if cut(err) || t == "name" || t == "keyframes" {
				return 2
			}
			return 0
		default:
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return 0
			}
		}
	}
}

func importJSON(r io.Reader, s *format.Session) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return format.Errorf("JSON", lineAt(data, syn.Offset), "%v", err)
		case errors.As(err, &typ):
			return format.Errorf("JSON", lineAt(data, typ.Offset), "%s must be a %s, not %s", typ.Field, typ.Type, typ.Value)
		}
		return format.Errorf("JSON", 0, "%v", err)
	}
	if f.Width == nil || f.Height == nil || *f.Width < 0 || *f.Height < 0 {
		return format.Errorf("JSON", 0, `expected "width" and "height" as whole numbers of pixels`)
	}
	s.Width, s.Height = *f.Width, *f.Height
	for i, t := range f.Trackers {
		tr := track.New(t.Name)
		for j, k := range t.Keyframes {
			if k.Frame == nil || k.X == nil || k.Y == nil {
				return format.Errorf("JSON", 0, "tracker %d (%q) keyframe %d: expected \"frame\", \"x\" and \"y\"", i+1, t.Name, j+1)
			}
			tr.Set(track.Keyframe{Frame: *k.Frame, X: *k.X, Y: *k.Y, Residual: k.Residual})
		}
		if err := s.Emit(tr); err != nil {
			return err
		}
	}
	return nil
}

// lineAt is the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}
