package equalizer

import (
	"io"
	"regexp"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// header3 starts every 3DE v3 export.
const header3 = "// 3DE Multiple Tracking Curves Export"

// size3 is the comp size in the v3 header, "2048 x 778".
var size3 = regexp.MustCompile(`(\d+) x (\d+)`)

// sniffImport3 looks for the v3 header on the first non-blank line.
func sniffImport3(head []byte) int {
	for _, l := range format.HeadLines(head) {
		l = format.Strip(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, header3) {
			return 2
		}
		return 0
	}
	return 0
}

func isWordChar(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// importImport3 reads a v3 export (FORMATS.md §4.1): a header with the comp
// size, then name lines each followed by TAB-indented "frame x y" lines.
func importImport3(r io.Reader, s *format.Session) error {
	const id = "Equalizer3" // Import3.ID; naming it would be an initialisation cycle
	lines := format.NewLines(r)
	header := false
	var cur *track.Tracker
	flush := func() error {
		t := cur
		cur = nil
		if t == nil || t.Empty() {
			return nil
		}
		return s.EmitUnordered(t)
	}
	for lines.Next() {
		text := lines.Text()
		if !header {
			if format.Strip(text) == "" {
				continue
			}
			header = true
			// A header without a size leaves it at 0, as the reference does.
			s.Width, s.Height = 0, 0
			if m := size3.FindStringSubmatch(text); m != nil {
				s.Width, s.Height = format.Int(m[1]), format.Int(m[2])
			}
			s.Sized()
			continue
		}
		switch {
		case text == "":
		case isWordChar(text[0]):
			if err := flush(); err != nil {
				return err
			}
			cur = track.New(format.Strip(text))
			s.Report("Reading tracker " + cur.Name)
		case text[0] == '\t':
			f := strings.Fields(text)
			if len(f) == 0 {
				continue // whitespace only: a blank line
			}
			if len(f) < 3 {
				return format.Errorf(id, lines.Line(), "expected a keyframe \"<TAB>frame<TAB>x<TAB>y\", got %q", text)
			}
			if cur == nil {
				return format.Errorf(id, lines.Line(), "keyframe line before any tracker name line")
			}
			cur.Keyframes = append(cur.Keyframes, track.Keyframe{Frame: format.Int(f[0]) - 1, X: format.Float(f[1]), Y: format.Float(f[2])})
		}
		// Any other line (indented by spaces, comments) is ignored.
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	if !header {
		s.Width, s.Height = 0, 0
	}
	return flush()
}
