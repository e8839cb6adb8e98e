package tools

import "tracksgo/internal/track"

// MoveToFirst slips the whole export so that its earliest keyframe lands
// on frame 0 (FORMATS.md §7.9). It needs every tracker before it can
// forward anything.
var MoveToFirst = define("MoveToFirst", "Start at frame 1", "Move all the keyframes in time so that the track starts at frame 1", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return &moveToFirst{Passthrough: track.Passthrough{Next: next}}, nil
	})

// moveToFirst rebuilds the trackers (sanitised names, last point wins on a
// repeated frame), as the reference does.
type moveToFirst struct {
	track.Passthrough
	w, h     int
	trackers []*track.Tracker
	cur      *track.Tracker
}

func (m *moveToFirst) StartExport(w, h int) error {
	m.w, m.h = w, h
	return nil
}

func (m *moveToFirst) StartTracker(name string) error {
	m.cur = track.New(name)
	return nil
}

func (m *moveToFirst) ExportPoint(k track.Keyframe) error {
	if m.cur == nil {
		return errOutside
	}
	m.cur.Set(k)
	return nil
}

func (m *moveToFirst) EndTracker() error {
	if m.cur == nil {
		return errOutside
	}
	m.trackers = append(m.trackers, m.cur)
	m.cur = nil
	return nil
}

func (m *moveToFirst) EndExport() error {
	first, found := 0, false
	for _, t := range m.trackers {
		if !t.Empty() && (!found || t.Keyframes[0].Frame < first) {
			first, found = t.Keyframes[0].Frame, true
		}
	}
	for _, t := range m.trackers {
		for i := range t.Keyframes {
			t.Keyframes[i].Frame -= first
		}
	}
	trackers := m.trackers
	m.trackers = nil
	return track.Export(m.Next, m.w, m.h, trackers)
}
