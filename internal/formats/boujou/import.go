package boujou

import (
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const id = "Boujou" // Importer.ID; naming it here would be an initialisation cycle

// sniffImporter looks for the boujou header comments at the top of the file.
func sniffImporter(head []byte) int {
	for _, l := range format.HeadLines(head) {
		l = format.Strip(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "# boujou") || strings.HasPrefix(l, "# track_id"):
			return 2
		case strings.HasPrefix(l, "#"):
		default:
			return 0 // the header block is over
		}
	}
	return 0
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
