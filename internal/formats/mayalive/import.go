package mayalive

import (
	"io"
	"regexp"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const id = "MayaLive" // Importer.ID; naming it here would be an initialisation cycle

// sizeLine is the first line of an export, "#  Size  1280  540" (our own
// exporter adds the aspect).
var sizeLine = regexp.MustCompile(`^#\s*Size\s+\d+\s+\d+(\s|$)`)

// nameLine is the start of a tracker line, "#  Name  trackedPoint1".
var nameLine = regexp.MustCompile(`^#\s*Name(\s+|$)`)

// digitRun finds the comp size: the first two digit runs of the first line.
var digitRun = regexp.MustCompile(`\d+`)

// sniffImporter looks for the size header on the first non-blank line,
// and then wants the lines after it to follow the grammar (FORMATS.md
// §11.9): "#  Name" lines and "index frame x y [residual]" lines of
// numbers, the first name line followed by a keyframe line, more keyframe
// lines than name lines.
func sniffImporter(head []byte) int {
	header := false
	names, keys := 0, 0
	for _, l := range format.HeadLines(head) {
		l = format.Strip(l)
		switch {
		case l == "":
		case !header:
			if !sizeLine.MatchString(l) {
				return 0
			}
			header = true
		case nameLine.MatchString(l):
			if names == 1 && keys == 0 {
				return 0
			}
			names++
		case names > 0 && keyLine(l):
			keys++
		default:
			return 0
		}
	}
	if !header || keys <= names {
		return 0
	}
	return 2
}

// keyLine is a stripped "index frame x y [residual]" line of numbers.
func keyLine(l string) bool {
	f := strings.Fields(l)
	if len(f) < 4 || len(f) > 5 || !format.IsUint(f[0]) || !format.IsInt(f[1]) {
		return false
	}
	for _, v := range f[2:] {
		if !format.IsNumber(v) {
			return false
		}
	}
	return true
}

// importImporter reads a MayaLive track export (FORMATS.md §4.7 with the
// §11.2 and §11.3 corrections): a size line, then per tracker a "# Name"
// line and "index frame x y residual" lines in aspect units centred on
// the image.
func importImporter(r io.Reader, s *format.Session) error {
	lines := format.NewLines(r)
	var size string
	for size == "" && lines.Next() {
		size = format.Strip(lines.Text())
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	if size == "" {
		return format.Errorf(id, lines.Line(), `the file ends before the "#  Size <width> <height>" line`)
	}
	runs := digitRun.FindAllString(size, 2)
	if len(runs) < 2 {
		return format.Errorf(id, lines.Line(), `expected "#  Size <width> <height>", got %q`, size)
	}
	w, h := format.Int(runs[0]), format.Int(runs[1])
	if w <= 0 || h <= 0 {
		return format.Errorf(id, lines.Line(), "the comp size %dx%d is not positive", w, h)
	}
	s.Width, s.Height = w, h
	s.Sized()
	halfW, halfH := float64(w)/2, float64(h)/2
	aspect := s.Aspect
	if aspect == 0 {
		aspect = float64(w) / float64(h)
	}
	xUnit := float64(w) / (aspect * 2)
	yUnit := float64(h) / 2 // the reference divides integers here (§11.2)

	var cur *track.Tracker
	for lines.Next() {
		l := format.Strip(lines.Text())
		if l == "" {
			continue // blank lines never overwrite frame 0 (FORMATS.md §11.3)
		}
		if strings.HasPrefix(l, "# ") {
			if cur != nil {
				if err := s.EmitUnordered(cur); err != nil {
					return err
				}
			}
			cur = track.New(nameLine.ReplaceAllString(l, ""))
			s.Report("Reading tracker " + cur.Name)
			continue
		}
		f := strings.Fields(l)
		if len(f) < 4 {
			return format.Errorf(id, lines.Line(), "expected \"tracker frame x y residual\", got %q", l)
		}
		if cur == nil {
			return format.Errorf(id, lines.Line(), `keyframe line before any "#  Name" line`)
		}
		k := track.Keyframe{
			Frame: format.Int(f[1]),
			X:     halfW + format.Float(f[2])*xUnit,
			Y:     halfH + format.Float(f[3])*yUnit,
		}
		// Maya writes -1 for "no residual".
		if len(f) > 4 && f[4] != "-1" {
			k.Residual = format.Float(f[4])
		}
		cur.Keyframes = append(cur.Keyframes, k)
	}
	if err := lines.Error(id); err != nil {
		return err
	}
	if cur != nil {
		return s.EmitUnordered(cur)
	}
	return nil
}
