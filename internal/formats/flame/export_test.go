package flame

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

const (
	date2010 = "Thu Feb 18 17:22:12 2010"
	date2014 = "Sat Feb 22 11:03:00 2014"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{Now: formattest.Clock(t, date2010)}, "ref_flame.stabilizer")
}

// The date is written in local time, whatever zone the clock reports in.
func TestExportDateIsLocal(t *testing.T) {
	local := formattest.Clock(t, date2010)()
	o := format.Options{Now: func() time.Time { return local.In(time.FixedZone("X", 5*3600+1800)) }}
	got := formattest.ExportString(t, Exporter, o, 10, 10, nil)
	if want := "StabilizerFileVersion 5.0\nCreationDate " + date2010 + "\n"; !strings.HasPrefix(got, want) {
		t.Fatalf("got header %q, want %q", got[:60], want)
	}
	// Single-digit days are zero padded.
	o.Now = formattest.Clock(t, "Mon Mar 01 09:05:07 2021")
	got = formattest.ExportString(t, Exporter, o, 10, 10, nil)
	if !strings.Contains(got, "\nCreationDate Mon Mar 01 09:05:07 2021\n") {
		t.Fatalf("date not zero padded:\n%s", got[:60])
	}
}

// header is the fixed part between FrameHeight and Anim.
func header(version string, n, w, h int) string {
	var b strings.Builder
	b.WriteString("StabilizerFileVersion " + version + "\nCreationDate " + date2010 + "\n\n\n")
	b.WriteString("NbTrackers " + strconv.Itoa(n) + "\nSelected 0\nFrameWidth " + strconv.Itoa(w) + "\nFrameHeight " + strconv.Itoa(h) + "\n")
	b.WriteString(headerTail)
	return b.String()
}

func TestExportEdgeCases(t *testing.T) {
	o := format.Options{Now: formattest.Clock(t, date2010)}
	t.Run("empty export", func(t *testing.T) {
		got := formattest.ExportString(t, Exporter, o, 720, 576, nil)
		formattest.CompareText(t, "empty", got, header("5.0", 0, 720, 576)+"ChannelEnd\nEnd\n")
	})
	t.Run("odd and negative sizes halve downwards", func(t *testing.T) {
		tr := []*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 1, Y: 2}}}}
		got := formattest.ExportString(t, Exporter, o, 721, -5, tr)
		if !strings.Contains(got, "Channel tracker1/track/x\n\tExtrapolation constant\n\tValue 360\n") ||
			!strings.Contains(got, "Channel tracker1/track/y\n\tExtrapolation constant\n\tValue -3\n") {
			t.Fatalf("track/x, track/y values wrong:\n%s", got)
		}
	})
	t.Run("shift keys", func(t *testing.T) {
		tr := []*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{
			{Frame: 4, X: 10, Y: 20}, {Frame: 5, X: 10, Y: 19.0004}, {Frame: 9, X: 12.5, Y: 25},
		}}}
		got := formattest.ExportString(t, Exporter, o, 100, 100, tr)
		want := "Channel tracker1/shift/x\n\tExtrapolation constant\n\tValue 0\n\tKeyVersion 1\n\tSize 3\n" +
			"\tKey 0\n\t\tFrame 5\n\t\tValue 0\n\t\tInterpolation linear\n\t\tLeftSlope 2.400\n\t\tRightSlope 2.400\n\t\tEnd\n" +
			"\tKey 1\n\t\tFrame 6\n\t\tValue 0.000\n\t\tInterpolation linear\n\t\tLeftSlope 2.400\n\t\tRightSlope 2.400\n\t\tEnd\n" +
			"\tKey 2\n\t\tFrame 10\n\t\tValue -2.500\n\t\tInterpolation linear\n\t\tLeftSlope 2.400\n\t\tRightSlope 2.400\n\t\tEnd\n" +
			"\tEnd\n"
		if !strings.Contains(got, want) {
			t.Fatalf("shift/x channel missing or wrong:\n%s", got)
		}
		if !strings.Contains(got, "\t\tFrame 6\n\t\tValue 1.000\n") {
			t.Fatalf("shift/y of 20 − 19.0004 should print 1.000:\n%s", got)
		}
		// The reference key is at frame 1 whatever the first frame is.
		if !strings.Contains(got, "Channel tracker1/ref/x\n\tExtrapolation constant\n\tValue 10.000\n\tColour 50 50 50\n\tKeyVersion 1\n\tSize 1\n\tKey 0\n\t\tFrame 1\n\t\tValue 10.000\n") {
			t.Fatalf("ref/x channel wrong:\n%s", got)
		}
	})
	t.Run("repeated frames are all written", func(t *testing.T) {
		tr := []*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: 1, X: 1, Y: 1}, {Frame: 1, X: 2, Y: 2}}}}
		got := formattest.ExportString(t, Exporter, o, 100, 100, tr)
		if !strings.Contains(got, "\tSize 2\n\tKey 0\n\t\tFrame 2\n") || !strings.Contains(got, "\tKey 1\n\t\tFrame 2\n\t\tValue -1.000\n") {
			t.Fatalf("both keys should be written:\n%s", got)
		}
	})
	t.Run("empty tracker is an error", func(t *testing.T) {
		e := Exporter.New(&bytes.Buffer{}, o)
		_ = e.StartExport(10, 10)
		_ = e.StartTracker("x")
		_ = e.EndTracker()
		if err := e.EndExport(); err == nil {
			t.Fatal("want an error for a tracker without keyframes")
		}
	})
}

// An exporter can be used again for a second export.
func TestExportTwice(t *testing.T) {
	o := format.Options{Now: formattest.Clock(t, date2010)}
	var buf bytes.Buffer
	e := Exporter.New(&buf, o)
	for range 2 {
		buf.Reset()
		if err := track.Export(e, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers()); err != nil {
			t.Fatal(err)
		}
	}
	want := formattest.ExportString(t, Exporter, o, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
	formattest.CompareText(t, "second export", buf.String(), want)
}
