package equalizer

import (
	"fmt"
	"io"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// export4 writes a v4 export (FORMATS.md §5.2). The file starts with the
// number of trackers and each tracker with its number of points, so the
// trackers wait for the end of the export. They are kept as keyframes,
// which are smaller than their lines.
type export4 struct {
	w      io.Writer
	names  []string
	counts []int              // points per tracker
	keys   [][]track.Keyframe // every streamed point in order, in blocks
	whole  [][]track.Keyframe // per tracker: its keyframes when it came whole, else nil
	buf    []byte             // a tracker's lines, reused
}

// keysPerBlock makes blocks of 64 KiB of keyframes.
const keysPerBlock = 2048

func newExport4(w io.Writer, o format.Options) track.Exporter { return &export4{w: w} }

func (e *export4) StartExport(w, h int) error {
	e.names, e.counts, e.keys, e.whole = e.names[:0], e.counts[:0], nil, e.whole[:0]
	return nil
}

func (e *export4) StartTracker(name string) error {
	// A name sent by a tool that does not rebuild trackers (Prefix) may
	// hold a line break, which would end the name's line early and make a
	// re-import find other trackers (FORMATS.md §11.8).
	e.names = append(e.names, format.LineName(name))
	e.counts = append(e.counts, 0)
	e.whole = append(e.whole, nil)
	return nil
}

// ExportWhole keeps a settled tracker's keyframes instead of a copy.
func (e *export4) ExportWhole(t *track.Tracker) error {
	e.names = append(e.names, format.LineName(t.Name))
	e.counts = append(e.counts, len(t.Keyframes))
	e.whole = append(e.whole, t.Keyframes)
	return nil
}

func (e *export4) ExportPoint(k track.Keyframe) error {
	if len(e.counts) == 0 {
		return nil // outside any tracker
	}
	n := len(e.keys)
	if n == 0 || len(e.keys[n-1]) == cap(e.keys[n-1]) {
		e.keys = append(e.keys, make([]track.Keyframe, 0, keysPerBlock))
		n++
	}
	e.keys[n-1] = append(e.keys[n-1], k)
	e.counts[len(e.counts)-1]++
	return nil
}

func (e *export4) EndTracker() error { return nil }

// chunk bounds the buffered point lines of a long tracker.
const chunk = 32 << 10

// EndExport writes the trackers; their point lines are built by appends
// into a reused buffer and written in chunks: this is the per-keyframe path.
func (e *export4) EndExport() error {
	fmt.Fprintf(e.w, "%d\n", len(e.counts))
	var block []track.Keyframe // the rest of the current block
	next := 0                  // the block after it
	for i, count := range e.counts {
		fmt.Fprintf(e.w, "%s\n0\n%d\n", e.names[i], count) // colour 0 is red
		b := e.buf[:0]
		whole := e.whole[i]
		for ; count > 0; count-- {
			var k track.Keyframe
			if whole != nil {
				k, whole = whole[0], whole[1:]
			} else {
				if len(block) == 0 {
					block = e.keys[next]
					next++
				}
				k, block = block[0], block[1:]
			}
			b = format.AppendInt(b, k.Frame+1)
			b = append(b, ' ')
			b = format.AppendFixed(b, k.X, 15)
			b = append(b, ' ')
			b = format.AppendFixed(b, k.Y, 15)
			b = append(b, '\n')
			if len(b) >= chunk {
				e.w.Write(b)
				b = b[:0]
			}
		}
		e.buf = b
		e.w.Write(b) // the caller checks write errors at flush
	}
	e.keys, e.whole = nil, e.whole[:0]
	return nil
}
