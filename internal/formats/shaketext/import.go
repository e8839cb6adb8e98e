package shaketext

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const id = "ShakeText" // Importer.ID; naming it here would be an initialisation cycle

const trackName = "TrackName "

// isColumns reports whether a line is the "Frame X Y Correlation" header.
func isColumns(l string) bool {
	f := strings.Fields(l)
	return len(f) == 4 && f[0] == "Frame" && f[1] == "X" && f[2] == "Y" && f[3] == "Correlation"
}

// sniffImporter wants a "TrackName" first line, then the column header,
// and every other non-blank line of the head to follow the grammar
// (FORMATS.md §11.9): "frame x y correlation" lines of numbers, or the
// next "TrackName" line with its column header.
func sniffImporter(head []byte) int {
	ls := format.HeadLines(head)
	names := 0
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch {
		case format.Strip(l) == "":
		case strings.HasPrefix(l, trackName) && len(format.Strip(l)) > len(trackName):
			names++
			if i+1 == len(ls) || !isColumns(ls[i+1]) {
				return 0
			}
			i++
		case names > 0 && isKey(l):
		default:
			return 0
		}
	}
	if names == 0 {
		return 0
	}
	return 2
}

// isKey reports whether a line is "frame x y correlation", all numbers.
func isKey(l string) bool {
	f := strings.Fields(l)
	if len(f) != 4 {
		return false
	}
	for _, v := range f {
		if !format.IsNumber(v) {
			return false
		}
	}
	return true
}

// importImporter reads Shake tracker text and Nuke CameraTracker exports
// (FORMATS.md §4.11): "TrackName <name>", a column header, then
// "frame x y correlation" lines.
func importImporter(r io.Reader, s *format.Session) error {
	lines := format.NewLines(r)
	var cur *track.Tracker
	var keys track.Keys // cur's keyframes: a tracker may be millions long
	flush := func() error {
		t := cur
		cur = nil
		if t == nil {
			return nil
		}
		if t.Keyframes = keys.Take(); t.Empty() {
			return nil
		}
		return s.EmitUnordered(t)
	}
	for lines.Next() {
		raw := strings.TrimSuffix(lines.Raw(), "\n")
		if i := strings.Index(raw, trackName); i >= 0 && i+len(trackName) < len(raw) {
			if err := flush(); err != nil {
				return err
			}
			// The name runs to the LF, so a trailing space or CR becomes
			// "_", as in the reference.
			cur = track.New(raw[i+len(trackName):])
			s.Report("Reading tracker " + cur.Name)
			lines.Next() // the column header
			continue
		}
		f := strings.Fields(raw)
		if len(f) < 4 {
			continue
		}
		if cur == nil {
			return format.Errorf(id, lines.Line(), "keyframe line %q before any \"TrackName\" line", format.Strip(raw))
		}
		keys.Append(track.Keyframe{
			Frame:    format.Int(f[0]) - 1,
			X:        format.Float(f[1]),
			Y:        format.Float(f[2]),
			Residual: 1 - format.Float(f[3]),
		})
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	return flush()
}
