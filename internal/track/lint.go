package track

import "fmt"

// LintError is a violation of the exporter protocol found by Lint.
type LintError struct{ Msg string }

func (e *LintError) Error() string { return e.Msg }

// Lint forwards every call unchanged and checks the protocol (FORMATS.md §2.7).
type Lint struct {
	next      Exporter
	open      bool
	name      string
	points    int
	lastFrame int
	completed int
}

// NewLint wraps next in protocol checks.
func NewLint(next Exporter) *Lint { return &Lint{next: next} }

func (l *Lint) StartExport(w, h int) error { return l.next.StartExport(w, h) }

func (l *Lint) StartTracker(name string) error {
	if l.open {
		return &LintError{fmt.Sprintf("The tracker %s has been sent before the last tracker finished", name)}
	}
	l.open, l.name, l.points = true, name, 0
	return l.next.StartTracker(name)
}

func (l *Lint) ExportPoint(k Keyframe) error {
	if l.points > 0 && k.Frame < l.lastFrame {
		return backwards(l.name, k.Frame, l.lastFrame)
	}
	l.points++
	l.lastFrame = k.Frame
	return l.next.ExportPoint(k)
}

func (l *Lint) EndTracker() error {
	if l.points == 0 {
		return &LintError{fmt.Sprintf("The tracker %s contained no keyframes. Probably there were some filtering ops done and no keyframes have been exported", l.name)}
	}
	l.open = false
	l.completed++
	return l.next.EndTracker()
}

func (l *Lint) EndExport() error {
	if l.completed == 0 {
		return &LintError{"There were no trackers exported"}
	}
	return l.next.EndExport()
}

func backwards(name string, frame, last int) error {
	return &LintError{fmt.Sprintf("A keyframe for %s has been sent that comes before the previous keyframe (%d should NOT come after %d).", name, frame, last)}
}

// CheckOrder makes Lint's keyframe-order check on a whole tracker: the
// error Lint would return when t is exported as it is. A pipeline without
// tools sends every exporter the same trackers, so it checks each once
// here rather than per exporter and keyframe.
func CheckOrder(t *Tracker) error {
	for i := 1; i < len(t.Keyframes); i++ {
		if f, last := t.Keyframes[i].Frame, t.Keyframes[i-1].Frame; f < last {
			return backwards(t.Name, f, last)
		}
	}
	return nil
}
