package formats_test

import (
	"bytes"
	"testing"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

// TestWholeEqualsStreamed: an exporter that takes whole trackers writes
// exactly what it writes when the same trackers are streamed to it.
func TestWholeEqualsStreamed(t *testing.T) {
	trackers := append(formattest.RefTrackers(), &track.Tracker{Name: "late", Keyframes: []track.Keyframe{
		{Frame: -3, X: 1, Y: 2}, {Frame: 7, X: 3.25, Y: 4.5, Residual: 0.125}, {Frame: 40, X: 5, Y: 6}}})
	for _, tr := range trackers {
		if !track.Settled(tr) {
			t.Fatalf("test tracker %q is not settled", tr.Name)
		}
	}
	o := format.Options{Now: func() time.Time { return time.Unix(1e9, 0) }}
	found := 0
	for _, e := range formats.Exporters() {
		if _, ok := e.New(&bytes.Buffer{}, o).(track.WholeExporter); !ok {
			continue
		}
		found++
		var streamed, whole bytes.Buffer
		if err := track.Export(e.New(&streamed, o), 1920, 1080, trackers); err != nil {
			t.Fatal(err)
		}
		w := e.New(&whole, o).(track.WholeExporter)
		w.StartExport(1920, 1080)
		for i, tr := range trackers {
			var err error
			if i%3 == 1 {
				err = track.ExportTracker(w, tr) // the two ways mixed
			} else {
				err = w.ExportWhole(tr)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := w.EndExport(); err != nil {
			t.Fatal(err)
		}
		if whole.String() != streamed.String() {
			formattest.CompareText(t, e.ID, whole.String(), streamed.String())
		}
	}
	if found < 4 {
		t.Fatalf("%d exporters take whole trackers; Nuke, 3DE v4 and the two Flame stabilizers should", found)
	}
}
