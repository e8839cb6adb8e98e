package mmsolver

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestExportGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_mmsolver.uv")
}

func TestExportCases(t *testing.T) {
	for _, c := range []struct {
		name     string
		w, h     int
		trackers []*track.Tracker
		want     string
	}{
		{"nothing", 10, 20, nil, "0\n"},
		{"frames plus one, UV, weight 1", 10, 20, []*track.Tracker{
			{Name: "a", Keyframes: []track.Keyframe{kf(-3, 5, 5), kf(0, 10, 20), kf(4, -1, 30)}},
			{Name: "b", Keyframes: []track.Keyframe{{Frame: 9, X: 874.8, Y: 0.1, Residual: 0.5}}},
		}, "2\na\n3\n" +
			"-2 0.500000000000000 0.250000000000000 1.00000000\n" +
			"1 1.000000000000000 1.000000000000000 1.00000000\n" +
			"5 -0.100000000000000 1.500000000000000 1.00000000\n" +
			"b\n1\n10 87.479999999999990 0.005000000000000 1.00000000\n"},
		// §11.8: a name keeps its line and its UTF-8; other names as they are.
		{"names", 10, 20, []*track.Tracker{
			{Name: "x\r\ny z\u2028w", Keyframes: []track.Keyframe{kf(0, 0, 0)}},
			{Name: "", Keyframes: []track.Keyframe{kf(0, 0, 0)}},
			{Name: "bad\xff\xfe utf8 Tr\xc3\xa9ck", Keyframes: []track.Keyframe{kf(0, 0, 0)}},
			{Name: "sep\x1c\x1dx", Keyframes: []track.Keyframe{kf(0, 0, 0)}},
		}, "4\n" +
			"x_y_z_w\n1\n1 0.000000000000000 0.000000000000000 1.00000000\n" +
			"\n1\n1 0.000000000000000 0.000000000000000 1.00000000\n" +
			"bad___utf8_Tr\xc3\xa9ck\n1\n1 0.000000000000000 0.000000000000000 1.00000000\n" +
			"sep_x\n1\n1 0.000000000000000 0.000000000000000 1.00000000\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, c.w, c.h, c.trackers)
			formattest.CompareText(t, c.name, got, c.want)
		})
	}
}

// TestExportNeedsSize: without a comp size there is no UV, and nothing is
// written.
func TestExportNeedsSize(t *testing.T) {
	for _, size := range [][2]int{{0, 0}, {1920, 0}, {0, 1080}, {-5, 5}} {
		var buf bytes.Buffer
		err := track.Export(Exporter.New(&buf, format.Options{}), size[0], size[1], formattest.RefTrackers())
		want := "MMSolver export: the comp size is needed to normalise the coordinates (got "
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v: got %v, want %q…", size, err, want)
		}
		if buf.Len() != 0 {
			t.Errorf("%v: wrote %q", size, buf.String())
		}
	}
}

// TestExportReuse: an exporter driven twice writes two complete exports,
// and a tracker handed over whole writes what its keyframes one by one do.
func TestExportReuse(t *testing.T) {
	first := formattest.ExportString(t, Exporter, format.Options{}, 1920, 1080, formattest.RefTrackers())
	var buf bytes.Buffer
	x := Exporter.New(&buf, format.Options{})
	for i := 0; i < 2; i++ {
		if err := track.Export(x, 1920, 1080, formattest.RefTrackers()); err != nil {
			t.Fatal(err)
		}
	}
	if buf.String() != first+first {
		t.Error("the second export differs from the first")
	}
	buf.Reset()
	whole := x.(track.WholeExporter)
	if err := whole.StartExport(1920, 1080); err != nil {
		t.Fatal(err)
	}
	for _, tr := range formattest.RefTrackers() {
		if err := whole.ExportWhole(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := whole.EndExport(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != first {
		t.Error("trackers handed over whole give another file")
	}
}

// TestRoundTrip: a .uv written and read back at the same size gives the
// same names, frames and positions, to the 15 decimals of UV written
// (FORMATS.md §5.22: within 5.7e-13 px for the reference tracks), with
// residuals of 0.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name     string
		w, h     int
		trackers []*track.Tracker
		tol      float64 // px
	}{
		{"reference tracks", formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers(), 5.7e-13},
		{"frames below 0, points outside the image", 4096, 2160, []*track.Tracker{
			{Name: "off", Keyframes: []track.Keyframe{kf(-20, -100.25, 3000.5), kf(-1, 4096.125, -7), kf(100000, 0.001, 2159.999)}},
			{Name: "one", Keyframes: []track.Keyframe{kf(7, 1234.5678, 987.654321)}},
		}, 1e-11},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := formattest.ExportString(t, Exporter, format.Options{}, c.w, c.h, c.trackers)
			if sc := sniff([]byte(text)); sc != 1 {
				t.Errorf("the export sniffs %d, want 1", sc)
			}
			s := &format.Session{Width: c.w, Height: c.h}
			got, err := formattest.ImportText(Importer, text, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.trackers) {
				t.Fatalf("%d trackers back, want %d", len(got), len(c.trackers))
			}
			for i, want := range c.trackers {
				g := got[i]
				if g.Name != want.Name || g.Len() != want.Len() {
					t.Fatalf("tracker %d: %q with %d keyframes, want %q with %d", i, g.Name, g.Len(), want.Name, want.Len())
				}
				for j, wk := range want.Keyframes {
					gk := g.Keyframes[j]
					if gk.Frame != wk.Frame || math.Abs(gk.X-wk.X) > c.tol || math.Abs(gk.Y-wk.Y) > c.tol || gk.Residual != 0 {
						t.Errorf("%s keyframe %d: %+v, want %+v (within %g px, residual 0)", want.Name, j, gk, wk, c.tol)
					}
				}
			}
		})
	}
}

func TestLineName(t *testing.T) {
	for in, want := range map[string]string{
		"Parabolic_1_from_top_left": "Parabolic_1_from_top_left",
		"cam-A.v2":                  "cam-A.v2",
		"":                          "",
		"a b":                       "a_b",
		"a\n\n\tb":                  "a_b",
		"a\u00a0b\u0085c":           "a_b_c",
		"\u2029lead":                "_lead",
		"Tr\xc3\xa9ck":              "Tr\xc3\xa9ck",
		"\xff\xfe":                  "__",
		`q"\[$`:                     `q"\[$`,
	} {
		if got := lineName(in); got != want {
			t.Errorf("lineName(%q) = %q, want %q", in, got, want)
		}
	}
}
