package track

// Exporter receives one export as a stream of calls, always in this order:
//
//	StartExport(width, height)
//	  per tracker: StartTracker(name), ExportPoint(k) one or more times
//	  (frames non-decreasing), EndTracker()
//	EndExport()
//
// Exporters and tools (which wrap another Exporter) share this protocol.
// Writers behind an exporter are owned by the caller, which also reports
// their write errors; an exporter returns errors of its own making.
type Exporter interface {
	StartExport(width, height int) error
	StartTracker(name string) error
	ExportPoint(k Keyframe) error
	EndTracker() error
	EndExport() error
}

// WholeExporter is an Exporter that also takes a whole tracker in one
// call, keeping it rather than copying its keyframes one by one: the
// exporters that must see every tracker before they write anything. A
// caller may use it for a tracker that nothing changes any more, whose
// name is sanitized and whose frames strictly increase (see Settled).
// ExportWhole(t) does what StartTracker(t.Name), ExportPoint for each
// keyframe and EndTracker do, and must not change t.
type WholeExporter interface {
	Exporter
	ExportWhole(t *Tracker) error
}

// Settled tells whether t may go to WholeExporter.ExportWhole: its name
// is sanitized and its frames strictly increase.
func Settled(t *Tracker) bool {
	for i := 1; i < len(t.Keyframes); i++ {
		if t.Keyframes[i].Frame <= t.Keyframes[i-1].Frame {
			return false
		}
	}
	return SanitizeName(t.Name) == t.Name
}

// Export sends trackers through e as one complete export.
func Export(e Exporter, width, height int, trackers []*Tracker) error {
	if err := e.StartExport(width, height); err != nil {
		return err
	}
	for _, t := range trackers {
		if err := ExportTracker(e, t); err != nil {
			return err
		}
	}
	return e.EndExport()
}

// ExportTracker sends one tracker (start, every keyframe, end) to e.
func ExportTracker(e Exporter, t *Tracker) error {
	if err := e.StartTracker(t.Name); err != nil {
		return err
	}
	for _, k := range t.Keyframes {
		if err := e.ExportPoint(k); err != nil {
			return err
		}
	}
	return e.EndTracker()
}

// JustExport sends trackers through Lint into e: the helper that exporters
// which rebuild their input (the Flame cornerpin sorters) use.
func JustExport(e Exporter, width, height int, trackers []*Tracker) error {
	return Export(NewLint(e), width, height, trackers)
}

// Passthrough forwards every call to Next. Tools embed it and override the
// calls they change.
type Passthrough struct {
	Next Exporter
}

func (p *Passthrough) StartExport(w, h int) error     { return p.Next.StartExport(w, h) }
func (p *Passthrough) StartTracker(name string) error { return p.Next.StartTracker(name) }
func (p *Passthrough) ExportPoint(k Keyframe) error   { return p.Next.ExportPoint(k) }
func (p *Passthrough) EndTracker() error              { return p.Next.EndTracker() }
func (p *Passthrough) EndExport() error               { return p.Next.EndExport() }

// Buffer is an Exporter that records the export, for tests and for stages
// that need the whole of it before they can write.
type Buffer struct {
	Width, Height int
	Trackers      []*Tracker
	Ended         bool
	cur           *Tracker
}

func (b *Buffer) StartExport(w, h int) error { b.Width, b.Height = w, h; return nil }
func (b *Buffer) StartTracker(name string) error {
	b.cur = &Tracker{Name: name}
	return nil
}

// ExportPoint appends without dedup, so tests see exactly what was sent.
func (b *Buffer) ExportPoint(k Keyframe) error {
	b.cur.Keyframes = append(b.cur.Keyframes, k)
	return nil
}
func (b *Buffer) EndTracker() error {
	b.Trackers = append(b.Trackers, b.cur)
	b.cur = nil
	return nil
}
func (b *Buffer) EndExport() error { b.Ended = true; return nil }
