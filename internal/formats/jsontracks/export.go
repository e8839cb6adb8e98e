package jsontracks

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter streams: one tracker per line, nothing buffered.
type exporter struct {
	w        io.Writer
	trackers int
	points   int
	buf      []byte
}

func newExporter(w io.Writer, _ format.Options) track.Exporter { return &exporter{w: w} }

func (e *exporter) StartExport(w, h int) error {
	fmt.Fprintf(e.w, "{\"width\": %d, \"height\": %d, \"trackers\": [", w, h)
	return nil
}

func (e *exporter) StartTracker(name string) error {
	if e.trackers > 0 {
		io.WriteString(e.w, ",")
	}
	e.trackers++
	e.points = 0
	n, _ := json.Marshal(name) // a string always marshals
	fmt.Fprintf(e.w, "\n{\"name\": %s, \"keyframes\": [", n)
	return nil
}

// number writes the shortest text that parses back to exactly v.
func (e *exporter) number(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("json: %v cannot be written as a JSON number", v)
	}
	e.buf = strconv.AppendFloat(e.buf, v, 'g', -1, 64)
	return nil
}

func (e *exporter) ExportPoint(k track.Keyframe) error {
	e.buf = e.buf[:0]
	if e.points > 0 {
		e.buf = append(e.buf, ", "...)
	}
	e.points++
	e.buf = append(e.buf, `{"frame": `...)
	e.buf = format.AppendInt(e.buf, k.Frame)
	for _, f := range []struct {
		key string
		v   float64
	}{{`, "x": `, k.X}, {`, "y": `, k.Y}, {`, "residual": `, k.Residual}} {
		e.buf = append(e.buf, f.key...)
		if err := e.number(f.v); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	_, err := e.w.Write(e.buf)
	return err
}

func (e *exporter) EndTracker() error {
	io.WriteString(e.w, "]}")
	return nil
}

func (e *exporter) EndExport() error {
	io.WriteString(e.w, "\n]}\n")
	return nil
}
