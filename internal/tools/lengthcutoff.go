package tools

import (
	"errors"

	"tracksgo/internal/track"
)

// LengthCutoff drops trackers with too few keyframes (FORMATS.md §7.7).
var LengthCutoff = define("LengthCutoff", "Drop short trackers", "Remove trackers that have less than the specified number of keyframes", []Param{
	{Name: "min_length", Label: "Minimum length (keyframes)", Type: "int", Default: "0", Help: "Smallest number of keyframes a tracker must have to be kept (0 keeps all)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	n, _ := a.int("min_length")
	if n < 0 {
		return nil, a.errorf("min_length", "must not be negative")
	}
	return newLengthCutoff(next, n), nil
})

// errOutside is a protocol violation by the stage in front of a buffering tool.
var errOutside = errors.New("a keyframe was sent outside of a tracker")

// lengthCutoff holds back each tracker until it is complete. It rebuilds
// the tracker, so the name is sanitised and a repeated frame keeps the last
// point, as in the reference.
type lengthCutoff struct {
	track.Passthrough
	min int
	cur *track.Tracker
}

func newLengthCutoff(next track.Exporter, min int) *lengthCutoff {
	return &lengthCutoff{Passthrough: track.Passthrough{Next: next}, min: min}
}

func (l *lengthCutoff) StartTracker(name string) error {
	l.cur = track.New(name)
	return nil
}

func (l *lengthCutoff) ExportPoint(k track.Keyframe) error {
	if l.cur == nil {
		return errOutside
	}
	l.cur.Set(k)
	return nil
}

func (l *lengthCutoff) EndTracker() error {
	t := l.cur
	if t == nil {
		return errOutside
	}
	l.cur = nil
	if l.min > 0 && t.Len() < l.min {
		return nil
	}
	return track.ExportTracker(l.Next, t)
}
