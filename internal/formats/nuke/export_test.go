package nuke

import (
	"bytes"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_NukeScript.nk")
}

const preamble1080x720 = "\nversion 5.1200\nRoot {\n inputs 0\n frame 1\n last_frame 1\n}\n" +
	"Constant {\n inputs 0\n channels rgb\n format \"1080 720 0 0 1080 720 1\"\n name CompSize_1080x720\n postage_stamp false\n xpos 0\n ypos -60\n}\n"

func TestExportEdges(t *testing.T) {
	kf := func(frame int, x, y float64) track.Keyframe { return track.Keyframe{Frame: frame, X: x, Y: y} }
	for _, c := range []struct {
		what     string
		trackers []*track.Tracker
		want     string
	}{
		{"no trackers", nil, preamble1080x720},
		{"jumps", []*track.Tracker{{Name: "T", Keyframes: []track.Keyframe{kf(5, 234, 1), kf(7, 144, 2), kf(8, 231, 3), kf(9, 232, 4)}}},
			strings.Replace(preamble1080x720, "last_frame 1", "last_frame 10", 1) +
				"\nTracker3 {\n     track1 {{curve i x6 234.0000 x8 144.0000 x9 231.0000 232.0000} {curve i x6 1.0000 x8 2.0000 x9 3.0000 4.0000}}\n     name T\n     xpos 0\n     ypos 30\n}\n"},
		{"dedup, sanitised name, rounding", []*track.Tracker{{Name: "a b\tc", Keyframes: []track.Keyframe{kf(0, 1, 1), kf(0, 2.00005, -0.00004)}}},
			preamble1080x720 + "\nTracker3 {\n     track1 {{curve i x1 2.0000} {curve i x1 -0.0000}}\n     name a_b_c\n     xpos 0\n     ypos 30\n}\n"},
		{"a name is a node name: nothing for Tcl to substitute (FORMATS.md §11.8)", []*track.Tracker{{Name: "[exec id] $x\"{", Keyframes: []track.Keyframe{kf(0, 1, 1)}}},
			preamble1080x720 + "\nTracker3 {\n     track1 {{curve i x1 1.0000} {curve i x1 1.0000}}\n     name _exec_id___x__\n     xpos 0\n     ypos 30\n}\n"},
		{"negative frames", []*track.Tracker{{Name: "N", Keyframes: []track.Keyframe{kf(-3, 1, 1), kf(-2, 2, 2)}}},
			preamble1080x720 + "\nTracker3 {\n     track1 {{curve i x-2 1.0000 x-1 2.0000} {curve i x-2 1.0000 x-1 2.0000}}\n     name N\n     xpos 0\n     ypos 30\n}\n"},
	} {
		t.Run(c.what, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 1080, 720, c.trackers)
			formattest.CompareText(t, c.what, got, c.want)
		})
	}
}

// TestRoundTrip: what the exporter writes, the importer reads back (the
// extra x<n> after a jump is what keeps the step at 1).
func TestRoundTrip(t *testing.T) {
	ref := formattest.RefTrackers()
	out := formattest.ExportString(t, Exporter, format.Options{}, formattest.RefWidth, formattest.RefHeight, ref)
	got := mustImport(t, out)
	for i, tr := range ref {
		ref[i].Name = tr.Name + "_track1"
		for j := range tr.Keyframes {
			tr.Keyframes[j].Residual = 0 // not written
		}
	}
	formattest.CompareTrackers(t, got, ref)

	// And through the whole pipeline protocol, with Lint.
	var buf bytes.Buffer
	if err := track.JustExport(Exporter.New(&buf, format.Options{}), 10, 10, []*track.Tracker{{Name: "x", Keyframes: []track.Keyframe{{Frame: 3, X: 1, Y: 2}}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "last_frame 4\n") || !strings.Contains(buf.String(), "{curve i x4 1.0000} {curve i x4 2.0000}") {
		t.Errorf("got %q", buf.String())
	}
}
