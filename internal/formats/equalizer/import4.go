package equalizer

import (
	"fmt"
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// sniffImport4 checks the v4 layout over the lines at hand (FORMATS.md
// §11.9): a tracker count, then per tracker a name, a lone colour number,
// a lone keyframe count and that many "frame x y" lines, and nothing but
// blank lines after the last tracker. There must be more keyframe lines
// than trackers (name lines) in the head.
func sniffImport4(head []byte) int {
	ls := format.HeadLines(head)
	i := 0
	// next returns the next line, or false at the end of the head.
	next := func(skipBlank bool) (string, bool) {
		for i < len(ls) {
			l := format.Strip(ls[i])
			i++
			if l != "" || !skipBlank {
				return l, true
			}
		}
		return "", false
	}
	l, ok := next(true)
	if !ok || !format.IsUint(l) {
		return 0
	}
	n := format.Int(l)
	if n < 1 {
		return 0
	}
	keys, names := 0, 0
	score := func() int {
		if keys > names {
			return 1
		}
		return 0
	}
	for t := 0; t < n; t++ {
		name, ok := next(false)
		if !ok {
			return score()
		}
		if name == "" {
			return 0
		}
		names++
		l, ok := next(false) // colour
		if !ok {
			return score()
		}
		if !format.IsUint(l) {
			return 0
		}
		if l, ok = next(false); !ok {
			return score()
		}
		if !format.IsUint(l) {
			return 0
		}
		k := format.Int(l)
		for j := 0; j < k; j++ {
			l, ok := next(true)
			if !ok {
				return score()
			}
			if _, ok := keyframe4(l); !ok {
				return 0
			}
			keys++
		}
	}
	if _, more := next(true); more {
		return 0 // lines after the trackers the count announced
	}
	return score()
}

// keyframe4 reads a stripped "frame x y" line; more fields are ignored.
func keyframe4(l string) (track.Keyframe, bool) {
	f := strings.Fields(l)
	if len(f) < 3 || !format.IsUint(f[0]) || !format.IsNumber(f[1]) || !format.IsNumber(f[2]) {
		return track.Keyframe{}, false
	}
	return track.Keyframe{Frame: format.Int(f[0]) - 1, X: format.Float(f[1]), Y: format.Float(f[2])}, true
}

// importImport4 reads a v4 export (FORMATS.md §4.2). Unlike the reference,
// a file that ends before the counts it announces is an error, not a
// silently shortened import.
func importImport4(r io.Reader, s *format.Session) error {
	const id = "Equalizer4" // Import4.ID, as in importImport3
	lines := format.NewLines(r)
	// eof reports a file that ends (or fails to read) before what it announced.
	eof := func(what string) error {
		if err := lines.Error(id); err != nil {
			return err
		}
		return format.Errorf(id, lines.Line(), "the file ends here, %s", what)
	}
	var count string
	for {
		if !lines.Next() {
			return eof("expected the number of trackers")
		}
		if count = format.Strip(lines.Text()); count != "" {
			break
		}
	}
	if !format.IsUint(count) {
		return format.Errorf(id, lines.Line(), "expected the number of trackers, got %q", count)
	}
	n := format.Int(count)
	// The counts are the file's word, not to be trusted with memory:
	// keyframes are gathered as they come (a tracker may be millions long).
	var keys track.Keys
	for i := 1; i <= n; i++ {
		if !lines.Next() {
			return eof(fmt.Sprintf("expected tracker %d of the %d announced", i, n))
		}
		t := track.New(format.Strip(lines.Text()))
		s.Report("Reading tracker " + t.Name)
		if !lines.Next() {
			return eof(fmt.Sprintf("expected the colour of tracker %q", t.Name))
		}
		if !lines.Next() {
			return eof(fmt.Sprintf("expected the number of keyframes of tracker %q", t.Name))
		}
		kt := format.Strip(lines.Text())
		if !format.IsUint(kt) {
			return format.Errorf(id, lines.Line(), "expected the number of keyframes of tracker %q, got %q", t.Name, kt)
		}
		k := format.Int(kt)
		for j := 0; j < k; j++ {
			var l string
			for l == "" {
				if !lines.Next() {
					return eof(fmt.Sprintf("after %d of the %d keyframes tracker %q announces", j, k, t.Name))
				}
				l = format.Strip(lines.Text())
			}
			kf, ok := keyframe4(l)
			if !ok {
				return format.Errorf(id, lines.Line(), "expected keyframe %d of %d of tracker %q as \"frame x y\", got %q", j+1, k, t.Name, l)
			}
			keys.Append(kf)
		}
		t.Keyframes = keys.Take()
		if err := s.EmitUnordered(t); err != nil {
			return err
		}
	}
	return lines.Error(id)
}
