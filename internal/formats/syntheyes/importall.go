package syntheyes

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const idAll = "SyntheyesAllTrackerPaths" // AllPathsImporter.ID, as id above

// pathLine splits an "All Tracker Paths" keyframe line: exactly three
// numbers, frame x y. ok is false for any other line.
func pathLine(l string) (f []string, ok bool) {
	f = strings.Fields(l)
	if len(f) != 3 || !format.IsNumber(f[0]) || !format.IsNumber(f[1]) || !format.IsNumber(f[2]) {
		return nil, false
	}
	return f, true
}

// sniffAllPathsImporter claims a head only when every non-blank line
// follows the grammar (FORMATS.md §11.9): a name line or a "frame x y"
// keyframe line in pixels, the file starting with a name line that is
// followed by a keyframe line, and more keyframe lines than name lines.
// Name lines must not be all numbers (that is how 3DE v4 counts and
// PFTrack frame counts look), comments or TAB-separated columns (a table
// with a header), and keyframe lines are not indented (3DE v3's are).
func sniffAllPathsImporter(head []byte) int {
	keys, names := 0, 0
	for _, l := range format.HeadLines(head) {
		t := format.Strip(l)
		if t == "" {
			continue
		}
		if f, ok := pathLine(l); ok {
			if names == 0 || !format.IsInt(f[0]) || l[0] == ' ' || l[0] == '\t' {
				return 0
			}
			keys++
			continue
		}
		if !allPathsName(t) {
			return 0
		}
		if names == 1 && keys == 0 {
			return 0 // the first name line is not followed by a keyframe line
		}
		names++
	}
	if keys <= names {
		return 0
	}
	return 1
}

// allPathsName reports whether a stripped line that is not a keyframe line
// may be a tracker name for detection.
func allPathsName(t string) bool {
	if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.ContainsRune(t, '\t') {
		return false
	}
	for _, w := range strings.Fields(t) {
		if !format.IsNumber(w) {
			return true
		}
	}
	return false // only numbers
}

// importAllPathsImporter reads an "All Tracker Paths" export (FORMATS.md
// §4.13 as corrected by §11.1): a name line, then "frame x y" lines in
// pixels, as they are.
func importAllPathsImporter(r io.Reader, s *format.Session) error {
	lines := format.NewLines(r)
	var cur *track.Tracker
	for lines.Next() {
		text := lines.Text()
		if format.Strip(text) == "" {
			continue
		}
		f, ok := pathLine(text)
		if !ok {
			if cur != nil {
				if err := s.EmitUnordered(cur); err != nil {
					return err
				}
			}
			cur = track.New(text)
			s.Report("Reading tracker " + cur.Name)
			continue
		}
		if !format.IsInt(f[0]) {
			return format.Errorf(idAll, lines.Line(), "expected a whole frame number in \"frame x y\", got %q", text)
		}
		if cur == nil {
			return format.Errorf(idAll, lines.Line(), "keyframe line %q before any tracker name line", text)
		}
		cur.Keyframes = append(cur.Keyframes, track.Keyframe{Frame: format.Int(f[0]), X: format.Float(f[1]), Y: format.Float(f[2])})
	}
	if err := lines.Error(idAll); err != nil {
		return err
	}
	if cur != nil {
		return s.EmitUnordered(cur)
	}
	return nil
}
