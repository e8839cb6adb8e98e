package flame

import (
	"fmt"
	"io"
	"strconv"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// stabilizer writes a Flame 2D stabilizer setup (FORMATS.md §5.7, and §5.9
// when v2014 is set). The header needs the tracker count, so the points are
// buffered and everything is written at EndExport.
type stabilizer struct {
	w      io.Writer
	o      format.Options
	v2014  bool
	prefix []string // channel prefixes by position; nil numbers them tracker1, tracker2, …

	width, height int
	trackers      [][]track.Keyframe
	cur           []track.Keyframe
	skip          bool // the current tracker has no prefix left and is ignored
	buf           []byte
	err           error // the first write error
}

func newExporter(w io.Writer, o format.Options) track.Exporter {
	return &stabilizer{w: w, o: o}
}

func (e *stabilizer) StartExport(w, h int) error {
	e.width, e.height = w, h
	e.trackers = nil
	e.err = nil
	return nil
}

func (e *stabilizer) StartTracker(name string) error {
	e.cur = nil
	e.skip = e.prefix != nil && len(e.trackers) >= len(e.prefix)
	// Trackers tend to be as long as the one before: one allocation each.
	if n := len(e.trackers); n > 0 && !e.skip {
		e.cur = make([]track.Keyframe, 0, len(e.trackers[n-1]))
	}
	return nil
}

func (e *stabilizer) ExportPoint(k track.Keyframe) error {
	if !e.skip {
		e.cur = append(e.cur, k)
	}
	return nil
}

// ExportWhole keeps a settled tracker's keyframes instead of a copy.
func (e *stabilizer) ExportWhole(t *track.Tracker) error {
	if e.prefix == nil || len(e.trackers) < len(e.prefix) {
		e.trackers = append(e.trackers, t.Keyframes)
	}
	e.cur, e.skip = nil, false
	return nil
}

func (e *stabilizer) EndTracker() error {
	if !e.skip {
		e.trackers = append(e.trackers, e.cur)
	}
	e.cur = nil
	return nil
}

func (e *stabilizer) EndExport() error {
	for i, points := range e.trackers {
		if len(points) == 0 {
			// Without a first point there is no reference position to write.
			return fmt.Errorf("flame stabilizer export: tracker %d has no keyframes", i+1)
		}
	}
	e.header()
	if err := e.flush(); err != nil {
		return err
	}
	for i, points := range e.trackers {
		e.tracker(e.channelPrefix(i), points)
		if err := e.flush(); err != nil {
			return err
		}
	}
	e.footer()
	return e.flush()
}

func (e *stabilizer) channelPrefix(i int) string {
	if e.prefix != nil {
		return e.prefix[i]
	}
	return "tracker" + strconv.Itoa(i+1)
}

// flush writes the buffer out and returns the first write error so far.
func (e *stabilizer) flush() error {
	if _, err := e.w.Write(e.buf); err != nil && e.err == nil {
		e.err = err
	}
	e.buf = e.buf[:0]
	return e.err
}

func (e *stabilizer) str(s ...string) {
	for _, p := range s {
		e.buf = append(e.buf, p...)
	}
}

func (e *stabilizer) int(v int) { e.buf = format.AppendInt(e.buf, v) }

func (e *stabilizer) float(v float64) { e.buf = format.AppendFixed(e.buf, v, 3) }

// floorDiv2 is the reference's integer division, which rounds down.
func floorDiv2(v int) int {
	if v < 0 {
		return -((1 - v) / 2)
	}
	return v / 2
}

func (e *stabilizer) header() {
	version := "5.0"
	if e.v2014 {
		version = "6.0"
	}
	e.str("StabilizerFileVersion ", version, "\n")
	e.str("CreationDate ", e.o.Time().Local().Format(format.DateLayout), "\n\n\n")
	e.str("NbTrackers ")
	e.int(len(e.trackers))
	e.str("\nSelected 0\nFrameWidth ")
	e.int(e.width)
	e.str("\nFrameHeight ")
	e.int(e.height)
	e.str("\n" + headerTail)
}

const headerTail = `AutoKey yes
MotionPath yes
Icons yes
AutoPan no
EditMode 0
Format 0
Padding
	Red 0
	Green 100
	Blue 0
Oversampling no
Opacity 50
Zoom 3
Field no
Backward no
Anim
`

// fixedChannel writes a channel without keys, the way Flame expects its
// track and ref box channels.
func (e *stabilizer) fixedChannel(path, extrapolation string, value int) {
	e.str("Channel ", path, "\n\tExtrapolation ", extrapolation, "\n\tValue ")
	e.int(value)
	e.str("\n\tColour 50 50 50\n\tEnd\n")
}

func (e *stabilizer) refChannel(path string, v float64) {
	e.str("Channel ", path, "\n\tExtrapolation constant\n\tValue ")
	e.float(v)
	e.str("\n\tColour 50 50 50\n\tKeyVersion 1\n\tSize 1\n\tKey 0\n\t\tFrame 1\n\t\tValue ")
	e.float(v)
	e.str("\n\t\tInterpolation constant\n\t\tLeftSlope 2.400\n\t\tRightSlope 2.400\n\t\tEnd\n\tEnd\n")
}

const refDelta = `	Extrapolation constant
	Value 0
	Colour 50 50 50
	Size 2
	KeyVersion 1
	Key 0
		Frame 0
		Value 0
		ValueLock yes
		DeleteLock yes
		Interpolation constant
		End
	Key 1
		Frame 1
		Value 0
		ValueLock yes
		DeleteLock yes
		Interpolation constant
		End
	End
`

// chunk bounds how much of a long shift channel is buffered.
const chunk = 32 << 10

// shiftChannel writes the offsets from the first point of the X (or, with
// useY, the Y) coordinate; Flame stores them inverted (first − current).
// Its keys are built by plain appends: this is the per-keyframe path.
func (e *stabilizer) shiftChannel(path string, points []track.Keyframe, useY bool) {
	keyTail := "\t\tInterpolation linear\n\t\tLeftSlope 2.400\n\t\tRightSlope 2.400\n\t\tEnd\n"
	if e.v2014 {
		keyTail = "\t\tCurveMode hermite\n\t\tCurveOrder linear\n\t\tEnd\n"
	}
	e.str("Channel ", path, "\n\tExtrapolation constant\n\tValue 0\n\tKeyVersion 1\n\tSize ")
	e.int(len(points))
	e.str("\n")
	first := points[0].X
	if useY {
		first = points[0].Y
	}
	b := e.buf
	for i, p := range points {
		b = append(b, "\tKey "...)
		b = format.AppendInt(b, i)
		b = append(b, "\n\t\tFrame "...)
		b = format.AppendInt(b, p.Frame+1)
		if i == 0 {
			b = append(b, "\n\t\tValue 0\n"...)
		} else {
			v := p.X
			if useY {
				v = p.Y
			}
			b = append(b, "\n\t\tValue "...)
			b = format.AppendFixed(b, first-v, 3)
			b = append(b, '\n')
		}
		b = append(b, keyTail...)
		if len(b) >= chunk {
			// A write error is kept and returned by the next flush.
			e.buf = b
			e.flush()
			b = e.buf
		}
	}
	e.buf = b
	e.str("\tEnd\n")
}

func (e *stabilizer) tracker(p string, points []track.Keyframe) {
	e.fixedChannel(p+"/track/x", "constant", floorDiv2(e.width))
	e.fixedChannel(p+"/track/y", "constant", floorDiv2(e.height))
	e.fixedChannel(p+"/track/width", "linear", 15)
	e.fixedChannel(p+"/track/height", "linear", 15)
	e.fixedChannel(p+"/ref/width", "linear", 10)
	e.fixedChannel(p+"/ref/height", "linear", 10)
	e.refChannel(p+"/ref/x", points[0].X)
	e.refChannel(p+"/ref/y", points[0].Y)
	e.str("Channel ", p, "/ref/dx\n", refDelta)
	e.str("Channel ", p, "/ref/dy\n", refDelta)
	e.shiftChannel(p+"/shift/x", points, false)
	e.shiftChannel(p+"/shift/y", points, true)
	e.str("Channel ", p, "/offset/x\n\tExtrapolation constant\n\tValue 0\n\tEnd\n")
	e.str("Channel ", p, "/offset/y\n\tExtrapolation constant\n\tValue 0\n\tEnd\n")
}

func (e *stabilizer) footer() {
	e.str("ChannelEnd\n")
	for i, points := range e.trackers {
		e.str("Tracker ")
		e.int(i)
		e.str("\n\tActive yes\n\tColour\n\t\tRed 0\n\t\tGreen 100\n\t\tBlue 0\n\tFixedRef yes\n\tFixedX no\n\tFixedY no\n\tTolerance 100\n")
		if e.v2014 {
			e.str("\tOffsetsX 0\n\tOffsetsY 0\n\tFirstRefFrame ")
			e.int(points[0].Frame + 1)
			e.str("\n")
		}
	}
	e.str("End\n")
}
