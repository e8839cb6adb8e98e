package pftrack

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestID(t *testing.T) {
	if Importer.ID != importID {
		t.Fatalf("Importer.ID %q, importID %q", Importer.ID, importID)
	}
}

func TestCorpus(t *testing.T) {
	for _, dir := range []string{"pftrack4", "pftrack5", "pfmatchit"} {
		for _, rel := range formattest.CorpusFiles(t, dir) {
			t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Importer, rel) })
		}
	}
}

func near(t *testing.T, what string, got, want, delta float64) {
	t.Helper()
	if math.Abs(got-want) > delta {
		t.Errorf("%s = %v, want %v (Δ %v)", what, got, want, delta)
	}
}

func checkKey(t *testing.T, what string, k track.Keyframe, frame int, x, y, res, delta float64) {
	t.Helper()
	if k.Frame != frame {
		t.Errorf("%s frame %d, want %d", what, k.Frame, frame)
	}
	near(t, what+" x", k.X, x, delta)
	near(t, what+" y", k.Y, y, delta)
	near(t, what+" residual", k.Residual, res, delta)
}

// importRel imports a corpus file and returns every tracker yielded,
// empty ones included.
func importRel(t *testing.T, rel string, w, h int) []*track.Tracker {
	t.Helper()
	_, ts, err := formattest.ImportFile(t, Importer, formattest.ImportPath(t, rel), w, h)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func checkTracker(t *testing.T, tr *track.Tracker, name string, kfs int) {
	t.Helper()
	if tr.Name != name || tr.Len() != kfs {
		t.Errorf("tracker %q with %d kfs, want %q with %d", tr.Name, tr.Len(), name, kfs)
	}
}

// The §8.1 and §8.2 facts for the PFTrack samples.
func TestFacts(t *testing.T) {
	t.Run("apft", func(t *testing.T) {
		ts := importRel(t, "pftrack5/apft.2dt", 1920, 1080)
		if len(ts) != 4 {
			t.Fatalf("%d trackers, want 4", len(ts))
		}
		checkTracker(t, ts[0], "Tracker642_Primary", 1)
		checkKey(t, "[0]", ts[0].Keyframes[0], -1, 960.5, 540.5, 0, 1e-9)
		if ts[1].Name != "1015_Primary" {
			t.Errorf("second %q", ts[1].Name)
		}
		checkTracker(t, ts[3], "1017_Primary", 47)
	})
	t.Run("sourcefile_pftrack", func(t *testing.T) {
		ts := importRel(t, "pftrack4/sourcefile_pftrack.2dt", 2560, 1080)
		if len(ts) != 43 {
			t.Fatalf("%d trackers, want 43", len(ts))
		}
		f := ts[0]
		checkTracker(t, f, "Tracker1", 341)
		checkKey(t, "[0]", f.Keyframes[0], 40, 985.111, 30.72, 0, 0.1)
		near(t, "[-1] x", f.Keyframes[f.Len()-1].X, 729.83, 0.1)
		checkTracker(t, ts[42], "Tracker41", 467)
	})
	t.Run("garage", func(t *testing.T) {
		ts := importRel(t, "pftrack5/garage.2dt", 1920, 1080)
		if len(ts) != 250 {
			t.Fatalf("%d trackers, want 250", len(ts))
		}
		f := ts[0]
		checkTracker(t, f, "Tracker121_Primary", 189)
		checkKey(t, "[0]", f.Keyframes[0], -1, 587.5050, 240.9257, 0, 1e-4)
		checkKey(t, "[-1]", f.Keyframes[f.Len()-1], 187, 543.1358, 221.1351, 0, 1e-4)
		checkTracker(t, ts[249], "Tracker370_Primary", 149)
	})
	t.Run("pfmatchit_example", func(t *testing.T) {
		ts := importRel(t, "pfmatchit/pfmatchit_example.2dt", 1920, 1080)
		if len(ts) != 2 {
			t.Fatalf("%d trackers, want 2", len(ts))
		}
		checkTracker(t, ts[0], "Feature1_1", 37)
		checkTracker(t, ts[1], "Feature1_2", 37)
		f := ts[0]
		checkKey(t, "[0]", f.Keyframes[0], 0, 356.768, 150.552, 0, 1e-4)
		checkKey(t, "[-1]", f.Keyframes[36], 36, 346.591, 19.261, 0.088, 1e-4)
	})
	t.Run("stereo", func(t *testing.T) {
		ts := importRel(t, "pftrack5/stereo.2dt", 1920, 1080)
		if len(ts) != 1690 {
			t.Fatalf("%d trackers yielded, want 1690", len(ts))
		}
		if n := len(formattest.NonEmpty(ts)); n != 284 {
			t.Errorf("%d non-empty trackers, want 284", n)
		}
		checkTracker(t, ts[0], "Auto_00001_Primary", 0)
		checkTracker(t, ts[1], "Auto_00001_Secondary", 0)
		checkTracker(t, ts[18], "Auto_00016_Primary", 34)
		checkKey(t, "[18][0]", ts[18].Keyframes[0], 85, 1331.517, 1012.984, 0.152, 1e-4)
		checkTracker(t, ts[19], "Auto_00016_Secondary", 34)
		near(t, "[19][0] x", ts[19].Keyframes[0].X, 1336.109, 1e-4)
		checkTracker(t, ts[20], "Auto_00021_Primary", 0)
		last := formattest.NonEmpty(ts)
		checkTracker(t, last[len(last)-1], "Auto_02738_Secondary", 176)
	})
	t.Run("empty_trackers", func(t *testing.T) {
		ts := importRel(t, "pftrack5/empty_trackers.2dt", 1920, 1080)
		if len(ts) != 3 {
			t.Fatalf("%d trackers yielded, want 3", len(ts))
		}
		checkTracker(t, ts[0], "Feature2_Primary", 0)
		if n := len(formattest.NonEmpty(ts)); n != 1 {
			t.Errorf("%d non-empty trackers, want 1", n)
		}
	})
}

func importString(t *testing.T, in string) ([]*track.Tracker, error) {
	return formattest.ImportText(Importer, in, &format.Session{Width: 1920, Height: 1080})
}

func TestRules(t *testing.T) {
	cases := []struct {
		name, in string
		want     []*track.Tracker
	}{
		{"v4", "\n\n\"Tracker 1\"\n2\n2 1 2 0.5\n1 3 4\n",
			[]*track.Tracker{{Name: "Tracker_1", Keyframes: []track.Keyframe{{Frame: 0, X: 3.5, Y: 4.5}, {Frame: 1, X: 1.5, Y: 2.5, Residual: 4}}}}},
		{"v4 empty then name", "\"a\"\n0\n\"b\"\n1\n1 0 0 0\n",
			[]*track.Tracker{{Name: "a"}, {Name: "b", Keyframes: []track.Keyframe{{Frame: 0, X: 0.5, Y: 0.5}}}}},
		{"camera by name", "\"F\"\n\"Primary\"\n1\n5 1 1 0\n",
			[]*track.Tracker{{Name: "F_Primary", Keyframes: []track.Keyframe{{Frame: 4, X: 1.5, Y: 1.5}}}}},
		{"camera by digits", "\"F\"\n2\n1\n5 1 1 0\n",
			[]*track.Tracker{{Name: "F_2", Keyframes: []track.Keyframe{{Frame: 4, X: 1.5, Y: 1.5}}}}},
		{"stereo", "\"F\"\n\"Primary\"\n0\n\"Secondary\"\n1\n1 1 1 0\n\n\"G\"\n\"Primary\"\n0\n",
			[]*track.Tracker{{Name: "F_Primary"}, {Name: "F_Secondary", Keyframes: []track.Keyframe{{Frame: 0, X: 1.5, Y: 1.5}}}, {Name: "G_Primary"}}},
		{"CRLF", "# 2D feature tracks\r\n\r\n\"F\"\r\n\"Primary\"\r\n1\r\n1 1 1 0 \r\n\r\n",
			[]*track.Tracker{{Name: "F_Primary", Keyframes: []track.Keyframe{{Frame: 0, X: 1.5, Y: 1.5}}}}},
		// Only A, Z, a, z and '"' make a name line: "Bob" has none of them
		// and is skipped, "Zed" names a tracker.
		{"name characters", "Bob\n0\nZed\n0\n", []*track.Tracker{{Name: "Zed"}}},
		{"comment skipped", "# \"a\"\n#Zz\n", nil},
		{"frames", "\"a\"\n5\n0.5 0 0 0\n-2 0 0 0\n2.9 0 0 0\n1e1 0 0 0\n3 0 0 0\n",
			[]*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: -3, X: .5, Y: .5}, {Frame: 0, X: .5, Y: .5}, {Frame: 1, X: .5, Y: .5}, {Frame: 2, X: .5, Y: .5}, {Frame: 9, X: .5, Y: .5}}}}},
		// Lines that are not plain numbers take the general way.
		{"lenient numbers", "\"a\"\n3\n1 1.5 2.5 0.125 extra\n+2 1 1 0\n3 0x 2 0\n",
			[]*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 2, Y: 3, Residual: 1}, {Frame: 1, X: 1.5, Y: 1.5}, {Frame: 2, X: .5, Y: 2.5}}}}},
		{"repeated frame keeps the last", "\"a\"\n3\n1 0 0 0\n2 0 0 0\n1 5 5 0\n",
			[]*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 5.5, Y: 5.5}, {Frame: 1, X: .5, Y: .5}}}}},
		{"camera line kept as is", "\"a\"\n\"Primary\" \n0\n", []*track.Tracker{{Name: "a_Primary_"}}},
		{"camera without count", "\"a\"\n\"Primary\"", []*track.Tracker{{Name: "a_Primary"}}},
		{"lone CR ends the last line", "\"a\"\n\"P\"\r", []*track.Tracker{{Name: "a_P"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := importString(t, c.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d trackers %+v, want %d", len(got), got, len(c.want))
			}
			for i := range got {
				if got[i].Name != c.want[i].Name || len(got[i].Keyframes) != len(c.want[i].Keyframes) {
					t.Fatalf("[%d] = %+v, want %+v", i, got[i], c.want[i])
				}
				for j, k := range got[i].Keyframes {
					if k != c.want[i].Keyframes[j] {
						t.Errorf("[%d][%d] = %+v, want %+v", i, j, k, c.want[i].Keyframes[j])
					}
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
		line           int
	}{
		{"name at the end", "\n\"a\"\n", `the file ends after tracker name "a"`, 2},
		{"truncated", "\"a\"\n\"Primary\"\n3\n1 1 1 0\n", `tracker "a_Primary" should have 3 keyframes, the file ends after 1`, 3},
		{"truncated v4", "\"a\"\n3\n1 1 1 0\n", `tracker "a" should have 3 keyframes, the file ends after 1`, 2},
		{"count too large", "\"a\"\n3\n1 1 1 0\n\n\"b\"\n", "expected a keyframe line", 4},
		{"garbage key", "\"a\"\n\"P\"\n1\nx y z\n", "expected a keyframe line", 4},
		{"short key", "\"a\"\n\"P\"\n1\n1 2\n", "expected a keyframe line", 4},
		{"huge frame", "\"a\"\n\"P\"\n1\n1e300 2 3\n", "out of range", 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := importString(t, c.in)
			var pe *format.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a ParseError", err)
			}
			if !strings.Contains(err.Error(), c.want) || pe.Line != c.line || pe.Format != "PFTrack" {
				t.Errorf("error %q (line %d), want %q at line %d", err, pe.Line, c.want, c.line)
			}
		})
	}
	_, err := importString(t, "\"a\"\n\"P\"\n1\n1 1 1"+strings.Repeat(" ", format.MaxLine)+"\n")
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("long line: error %v, want one at line 4", err)
	}
}

// Files of this format score above 0; every other corpus file scores 0.
func TestSniff(t *testing.T) {
	for _, h := range formattest.CorpusHeads(t) {
		got := Importer.Sniff(h.Data)
		switch h.Dir {
		case "pftrack4", "pftrack5", "pfmatchit":
			if got == 0 {
				t.Errorf("sniff of %s = 0", h.Rel)
			}
		default:
			if got != 0 {
				t.Errorf("sniff of %s = %d, want 0", h.Rel, got)
			}
		}
	}
	for in, want := range map[string]int{
		"":                                     0,
		"# 2D feature tracks generated by X\n": 2,
		"# 2D feaure tracks generated by Syntheyes\r\n":                                      2,
		"\n\n\"Tracker1\"\n341\n41 984.611 30.220 0.000\n42 981.690 32.188 0.010\n":          1, // v4
		"\"F\"\n\"Primary\"\n12\n1 2 3 0\n2 2 3 0\n":                                         1, // v5
		"\"F\"\n\"Primary\"\n2\n1 2 3 0\n2 2 3 0\n\"Secondary\"\n1\n1 2 3 0\n\n\"G\"\n0\n\n": 1, // stereo
		"\"F\"\n1\n37\n1 2 3 0\n2 2 3 0\n":                                                   1, // PFMatchit without header
		"\"F\"\n\"Primary\"\n12\n":                                                           0, // no keyframe yet
		"\"F\"\n1\n":                                                                         0,
		"\"F\"\n2\n1 2 3 0\n2 2 3 0\nmilk\n":                                                 0, // not a name after the keyframes
		"\"F\"\n3\n1 2 3 0\n2 2 3 0\nmilk\n":                                                 0, // not a keyframe
		"\"A quote\"\n\"Another\"\n\"And one more\"\n":                                       0,
		"\"F\"\n":                 0,
		"\"F\"\nfoo\n":            0,
		"\"F\"\n\"Primary\"\nx\n": 0,
		"\"F\"\n12\nname here\n":  0,
		"2\n\"F\"\n1\n3\n":        0, // 3DE v4 shape
		"TrackName a\n":           0,
		"# comment\nfoo\n":        0,
	} {
		if got := Importer.Sniff([]byte(in)); got != want {
			t.Errorf("sniff %q = %d, want %d", in, got, want)
		}
	}
}

func benchImport(b *testing.B, rel string) {
	data, err := os.ReadFile(formattest.ImportPath(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := &format.Session{Width: 1920, Height: 1080, Emit: func(*track.Tracker) error { return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportGarage(b *testing.B) { benchImport(b, "pftrack5/garage.2dt") }
func BenchmarkImportStereo(b *testing.B) { benchImport(b, "pftrack5/stereo.2dt") }

func FuzzImportPFTrack(f *testing.F) {
	formattest.Seed(f, "pftrack4", "pftrack5", "pfmatchit")
	f.Add([]byte("\"a\"\n\"Primary\"\n2\n3 1 1 0\n1 2 2 0.1\n\"Secondary\"\n1\n1 1 1 0\n\n\"b\"\n1\n5 1 1 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}
