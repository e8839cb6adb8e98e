package boujou

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const id = "Boujou" // Importer.ID; naming it here would be an initialisation cycle

// sniffImporter wants the "# track_id view x y" column line among the
// comments at the top of the file (a "# boujou" title alone may be any
// Markdown heading), and every later line of the head to be a comment or a
// data line with those columns: view a whole number, x and y numbers
// (FORMATS.md §11.9).
func sniffImporter(head []byte) int {
	var col map[string]int
	need := 0
	for _, l := range format.HeadLines(head) {
		l = format.Strip(l)
		switch {
		case l == "" || l == "#" || (col != nil && strings.HasPrefix(l, "# ")):
		case col == nil && strings.HasPrefix(l, "# track_id"):
			col = map[string]int{}
			for i, c := range strings.Fields(strings.TrimPrefix(l, "# ")) {
				if _, ok := col[c]; !ok {
					col[c] = i
				}
			}
			for _, c := range []string{"track_id", "view", "x", "y"} {
				i, ok := col[c]
				if !ok {
					return 0
				}
				need = max(need, i+1)
			}
		case col == nil && strings.HasPrefix(l, "#"):
		case col == nil:
			return 0 // the header block is over without a column line
		default:
			f := strings.Fields(l)
			if len(f) < need || !format.IsInt(f[col["view"]]) ||
				!format.IsNumber(f[col["x"]]) || !format.IsNumber(f[col["y"]]) {
				return 0
			}
		}
	}
	if col == nil {
		return 0
	}
	return 2
}

// importImporter reads a boujou feature track export (FORMATS.md §4.3):
// comments up to a "# track_id view x y" column line, then one keyframe
// per line; a change of track id starts a new tracker.
func importImporter(r io.Reader, s *format.Session) error {
	lines := format.NewLines(r)
	var columns []string
	for columns == nil && lines.Next() {
		if l := format.Strip(lines.Text()); strings.HasPrefix(l, "# track_id") {
			columns = strings.Fields(strings.TrimPrefix(l, "# "))
		}
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	if columns == nil {
		return format.Errorf(id, lines.Line(), `the file ends without a "# track_id view x y" column line`)
	}
	col := map[string]int{}
	for i, c := range columns {
		if _, ok := col[c]; !ok {
			col[c] = i
		}
	}
	need := 0
	for _, c := range []string{"track_id", "view", "x", "y"} {
		i, ok := col[c]
		if !ok {
			return format.Errorf(id, lines.Line(), "the column line has no %q column", c)
		}
		need = max(need, i+1)
	}
	h := float64(s.Height)
	var cur *track.Tracker
	var curID string
	for lines.Next() {
		l := format.Strip(lines.Text())
		if l == "" || l == "#" || strings.HasPrefix(l, "# ") {
			continue // blank lines are skipped (FORMATS.md §11.3), comments too
		}
		f := strings.Fields(l)
		if len(f) < need {
			return format.Errorf(id, lines.Line(), "expected %d fields (%s), got %q", need, strings.Join(columns[:need], " "), l)
		}
		if tid := f[col["track_id"]]; cur == nil || tid != curID {
			// An id that comes back later makes a second tracker, as in the reference.
			if cur != nil {
				if err := s.EmitUnordered(cur); err != nil {
					return err
				}
			}
			cur, curID = track.New(tid), tid
			s.Report("Reading tracker " + cur.Name)
		}
		cur.Keyframes = append(cur.Keyframes, track.Keyframe{
			Frame: format.Int(f[col["view"]]) - 1,
			X:     format.Float(f[col["x"]]),
			Y:     h - format.Float(f[col["y"]]) - 1,
		})
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	if cur != nil {
		return s.EmitUnordered(cur)
	}
	return nil
}
