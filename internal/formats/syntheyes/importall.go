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

// sniffAllPathsImporter checks for name lines each followed by "frame x y"
// lines in pixels. Name lines must not be all numbers (that is how 3DE v4
// counts and PFTrack frame counts look) nor comments, and the file must
// start with one.
func sniffAllPathsImporter(head []byte) int {
	keys := 0
	named := false
	for _, l := range format.HeadLines(head) {
		if format.Strip(l) == "" {
			continue
		}
		if f, ok := pathLine(l); ok {
			if !named || !format.IsInt(f[0]) || l[0] == ' ' || l[0] == '\t' {
				return 0
			}
			keys++
			continue
		}
		t := format.Strip(l)
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
			return 0
		}
		numeric := true
		for _, w := range strings.Fields(t) {
			if !format.IsNumber(w) {
				numeric = false
				break
			}
		}
		if numeric {
			return 0
		}
		named = true
	}
	if keys == 0 {
		return 0
	}
	return 1
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
