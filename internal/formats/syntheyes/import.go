package syntheyes

import (
	"io"
	"math"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

const id = "Syntheyes" // Importer.ID; naming it here would be an initialisation cycle

// uvLimit bounds the normalised coordinates the sniffer accepts: points
// just off the image go a little past ±1.
const uvLimit = 2

// sniffImporter checks that every non-blank line has the shape of a 2-D
// path line: name, integer frame, u and v near [-1, 1], integer status;
// and that trackers have more than one keyframe on average, as in
// FORMATS.md §11.9 (each change of name counts as a name line).
func sniffImporter(head []byte) int {
	keys, names := 0, 0
	prev := ""
	for _, l := range format.HeadLines(head) {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) != 5 || strings.HasPrefix(f[0], "#") || !format.IsInt(f[1]) || !format.IsUint(f[4]) ||
			!format.IsNumber(f[2]) || !format.IsNumber(f[3]) ||
			math.Abs(format.Float(f[2])) > uvLimit || math.Abs(format.Float(f[3])) > uvLimit {
			return 0
		}
		if names == 0 || f[0] != prev {
			names++
			prev = f[0]
		}
		keys++
	}
	if keys <= names {
		return 0
	}
	return 1
}

// fromUV converts a SynthEyes coordinate, where -1 and +1 are the centres
// of the outermost pixels, to pixels from the low edge (FORMATS.md §4.12).
func fromUV(u float64, size int) float64 {
	return (u/2+0.5)*float64(size-1) + 0.5
}

// toUV is the inverse of fromUV.
func toUV(x float64, size int) float64 {
	return ((x-0.5)/float64(size-1) - 0.5) * 2.0
}

// importImporter reads a "Tracker 2-D paths" export: "name frame u v
// status" lines; a change of name starts a new tracker, and a frame may
// appear only once per tracker.
func importImporter(r io.Reader, s *format.Session) error {
	lines := format.NewLines(r)
	var cur *track.Tracker
	var curName string
	var frames frameSet
	for lines.Next() {
		f := strings.Fields(lines.Text())
		if len(f) == 0 {
			continue // blank lines make no junk trackers (FORMATS.md §11.3)
		}
		if len(f) != 5 {
			return format.Errorf(id, lines.Line(), "expected 5 fields \"name frame u v status\", got %d in %q", len(f), lines.Text())
		}
		if cur == nil || f[0] != curName {
			if cur != nil {
				if err := s.EmitUnordered(cur); err != nil {
					return err
				}
			}
			cur, curName = track.New(f[0]), f[0]
			frames.reset()
			s.Report("Reading tracker " + cur.Name)
		}
		k := track.Keyframe{
			Frame: format.Int(f[1]),
			X:     fromUV(format.Float(f[2]), s.Width),
			// V points down: -1 is the top row.
			Y: float64(s.Height) - fromUV(format.Float(f[3]), s.Height),
		}
		// The strict add of the reference: a frame may not repeat.
		if !frames.add(cur.Keyframes, k.Frame) {
			err := &track.DuplicateFrameError{Tracker: cur.Name, Frame: k.Frame}
			return &format.ParseError{Format: id, Line: lines.Line(), Msg: "repeated frame", Err: err}
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

// frameSet answers whether a frame repeats in a tracker. Frames nearly
// always ascend, so a look at the last keyframe is enough; the first frame
// out of order builds a set of them all.
type frameSet struct{ seen map[int]bool }

func (f *frameSet) reset() { f.seen = nil }

// add reports whether frame is new among ks, the tracker's keyframes so
// far, and records it.
func (f *frameSet) add(ks []track.Keyframe, frame int) bool {
	if f.seen == nil {
		n := len(ks)
		if n == 0 || frame > ks[n-1].Frame {
			return true
		}
		f.seen = make(map[int]bool, n+1)
		for _, k := range ks {
			f.seen[k.Frame] = true
		}
	}
	if f.seen[frame] {
		return false
	}
	f.seen[frame] = true
	return true
}
