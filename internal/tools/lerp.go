package tools

import (
	"tracksgo/internal/track"
)

// Lerp fills frame gaps with linearly interpolated keyframes (FORMATS.md
// §7.10). What it creates is drawn on the conversion's keyframe budget
// before it is made, so that a file with absurd frame gaps fails at once.
var Lerp = define("Lerp", "Fill gaps", "Interpolate missing keyframes of all the trackers", nil,
	func(next track.Exporter, a *args) (track.Exporter, error) {
		return &lerp{Passthrough: track.Passthrough{Next: next}, budget: a.budget}, nil
	})

type lerp struct {
	track.Passthrough
	prev    track.Keyframe // the previous point as received
	hasPrev bool
	budget  *Budget
}

func (l *lerp) StartTracker(name string) error {
	l.hasPrev = false
	return l.Next.StartTracker(name)
}

func (l *lerp) ExportPoint(k track.Keyframe) error {
	p, had := l.prev, l.hasPrev
	l.prev, l.hasPrev = k, true
	// The order test keeps an overflowing difference from counting as a gap.
	if gap := k.Frame - p.Frame; had && p.Frame < k.Frame && gap > 1 {
		if err := l.budget.take("lerp", gap-1); err != nil {
			return err
		}
		fg := float64(gap)
		dx, dy, dr := (k.X-p.X)/fg, (k.Y-p.Y)/fg, (k.Residual-p.Residual)/fg
		// The last step recomputes the received point itself, as the
		// reference does; it may differ from it in the last bits.
		for i := 1; i <= gap; i++ {
			fi := float64(i)
			q := track.Keyframe{Frame: p.Frame + i, X: p.X + fi*dx, Y: p.Y + fi*dy, Residual: p.Residual + fi*dr}
			if err := l.Next.ExportPoint(q); err != nil {
				return err
			}
		}
		return nil
	}
	return l.Next.ExportPoint(k)
}

func (l *lerp) EndTracker() error {
	l.hasPrev = false
	return l.Next.EndTracker()
}
