package flame

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestImportCorpus(t *testing.T) {
	files := formattest.CorpusFiles(t, "flame_stabilizer")
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			formattest.CheckCorpusFile(t, Importer, rel)
		})
	}
}

// importString runs the importer on text; it returns every emitted
// tracker, empties included, the session and the progress messages.
func importString(text string) ([]*track.Tracker, *format.Session, []string, error) {
	var msgs []string
	s := &format.Session{Width: 1, Height: 1, Progress: func(m string) { msgs = append(msgs, m) }}
	got, err := formattest.ImportText(Importer, text, s)
	return got, s, msgs, err
}

// reimport imports exported text and keeps the non-empty trackers.
func reimport(t testing.TB, text string) []*track.Tracker {
	t.Helper()
	got, _, _, err := importString(text)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	return formattest.NonEmpty(got)
}

type fact struct {
	file          string
	w, h          int
	n             int    // trackers
	first         string // name of the first tracker ("" = not checked)
	firstLen      int    // keyframes of the first tracker (0 = not checked)
	last          string
	lastLen       int
	checks        []keyCheck // keyframes of the first tracker
	names         []string   // all names in order, when given
	allLen        int        // keyframes of every tracker (0 = not checked)
	secondName    string
	secondNameLen int
}

type keyCheck struct {
	i     int // index, negative from the end
	frame int
	x, y  float64
	delta float64
}

// FORMATS.md §8.1 and §8.2 facts for the Flame samples.
func TestImportFacts(t *testing.T) {
	facts := []fact{
		{file: "hugeFlameSetup.stabilizer", w: 2048, h: 1176, n: 28, first: "tracker1", firstLen: 546,
			last: "tracker9", lastLen: 487, secondName: "tracker10", secondNameLen: 918,
			checks: []keyCheck{{1, 1, 771.58, 107.98192, 0.1}, {0, 0, 770.41, 106.623, 0.0001}, {-1, 545, 1992.81, 216.948, 0.0001}}},
		{file: "megaTrack.action.3dtrack.stabilizer", w: 1920, h: 1080, n: 20, first: "tracker1", firstLen: 185,
			last: "tracker9", lastLen: 115,
			checks: []keyCheck{{0, 0, 536, 886, 0.0001}, {-1, 184, 934.384, 345.931, 0.0001}}},
		{file: "fromCombustion_fromMidClip_wSnap.stabilizer", w: 1280, h: 540, n: 1, first: "tracker1", firstLen: 232,
			checks: []keyCheck{{0, 0, 387.7752, 514.4738, 0.1}, {148, 148, 390.267, 280.248, 0.1}}},
		{file: "fromTracksperanto.stabilizer", w: 720, h: 576, n: 3, first: "tracker1", firstLen: 3, last: "tracker3", lastLen: 3,
			checks: []keyCheck{{0, 3, 100, 200, 0.0001}, {-1, 5, 210, 145, 0.0001}}},
		{file: "Flame_Stabilizer_2012.stabilizer", w: 1920, h: 1080, n: 5, first: "tracker1", firstLen: 61, last: "tracker5", lastLen: 61,
			checks: []keyCheck{{0, 0, 350.4125, 669.7836, 0.0001}, {-1, 60, 361.3319, 714.9658, 0.0001}}},
		{file: "flame_2012_another.stabilizer", w: 1920, h: 1080, n: 1, first: "tracker1", firstLen: 100,
			checks: []keyCheck{{0, 0, 1063, 664, 0.0001}, {-1, 99, 1023.0508, 673.3036, 0.0001}}},
		{file: "cornerpin_2012.stabilizer", w: 1024, h: 576, n: 4, first: "bottom_left", firstLen: 254, last: "top_right", lastLen: 254,
			names:  []string{"bottom_left", "bottom_right", "top_left", "top_right"},
			checks: []keyCheck{{0, 0, 256.6920, 55.0920, 0.0001}, {-1, 253, 288.2950, 77.2880, 0.0001}}},
		{file: "stabilizer_2014_stp.stabilizer", w: 1280, h: 720, n: 2, first: "tracker1", allLen: 56, last: "tracker2",
			checks: []keyCheck{{0, 0, 999.5546, 600.2870, 0.0001}, {-1, 55, 1050.5984, 583.2791, 0.0001}}},
		{file: "stabilizer_2014_ref_for_reexport.stabilizer", w: 2048, h: 1152, n: 4,
			names: []string{"tracker0_0", "tracker0_1", "tracker1_0", "tracker1_1"}},
		{file: "FlameStab_Cornerpin_CorrectOrder.stabilizer", w: 1920, h: 1080, n: 4, first: "tracker1", firstLen: 25, last: "tracker4", lastLen: 25,
			checks: []keyCheck{{0, 0, 570.0006, 795.0, 0.0001}, {-1, 24, 1052.1602, 629.4752, 0.0001}}},
		{file: "FlameStab_Cornerpin_IncorrectOrder.stabilizer", w: 1920, h: 1080, n: 4},
	}
	for _, f := range facts {
		t.Run(f.file, func(t *testing.T) {
			s, got := importCorpus(t, f.file)
			if s.Width != f.w || s.Height != f.h {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, f.w, f.h)
			}
			if len(got) != f.n {
				t.Fatalf("%d trackers, want %d", len(got), f.n)
			}
			first, last := got[0], got[len(got)-1]
			if f.first != "" && first.Name != f.first {
				t.Errorf("first tracker %q, want %q", first.Name, f.first)
			}
			if f.firstLen != 0 && first.Len() != f.firstLen {
				t.Errorf("first tracker has %d keyframes, want %d", first.Len(), f.firstLen)
			}
			if f.last != "" && last.Name != f.last {
				t.Errorf("last tracker %q, want %q", last.Name, f.last)
			}
			if f.lastLen != 0 && last.Len() != f.lastLen {
				t.Errorf("last tracker has %d keyframes, want %d", last.Len(), f.lastLen)
			}
			if f.secondName != "" && (got[1].Name != f.secondName || got[1].Len() != f.secondNameLen) {
				t.Errorf("second tracker %q with %d keyframes, want %q with %d", got[1].Name, got[1].Len(), f.secondName, f.secondNameLen)
			}
			if f.names != nil {
				var names []string
				for _, tr := range got {
					names = append(names, tr.Name)
				}
				if !slices.Equal(names, f.names) {
					t.Errorf("names %v, want %v", names, f.names)
				}
			}
			for _, tr := range got {
				if f.allLen != 0 && tr.Len() != f.allLen {
					t.Errorf("%s has %d keyframes, want %d", tr.Name, tr.Len(), f.allLen)
				}
				for _, k := range tr.Keyframes {
					if k.Residual != 0 {
						t.Fatalf("%s: residual %v, want 0", tr.Name, k.Residual)
					}
				}
			}
			for _, c := range f.checks {
				i := c.i
				if i < 0 {
					i += first.Len()
				}
				k := first.Keyframes[i]
				if k.Frame != c.frame || !near(k.X, c.x, c.delta) || !near(k.Y, c.y, c.delta) {
					t.Errorf("keyframe [%d] = %+v, want frame %d x %v y %v (Δ %v)", c.i, k, c.frame, c.x, c.y, c.delta)
				}
			}
		})
	}
}

func TestImportProgress(t *testing.T) {
	tests := []struct{ file, msg string }{
		{"flame_2012_another.stabilizer", `Parsing channel "tracker1/shift/x"`},
		{"fromCombustion_fromMidClip_wSnap.stabilizer", `Parsing channel "tracker1/ref/y"`},
		{"stabilizer_2014_stp.stabilizer", `Parsing channel "tracker2/shift/y"`},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(formattest.ImportPath(t, "flame_stabilizer/"+tt.file))
		if err != nil {
			t.Fatal(err)
		}
		_, _, msgs, err := importString(string(data))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(msgs, tt.msg) {
			t.Errorf("%s: progress lacks %s; got %d messages, first %q", tt.file, tt.msg, len(msgs), msgs[:min(3, len(msgs))])
		}
		for _, m := range msgs {
			if strings.Contains(m, "/width") || strings.Contains(m, "/offset/") || strings.Contains(m, "/track/") {
				t.Errorf("%s: unused channel reported: %s", tt.file, m)
			}
		}
	}
}

// FORMATS.md §8.1 pipeline facts: Foo, Bar, Baz with keys at frames 3, 4
// and 5, written by the classic exporter at 720×576, come back as 3
// trackers × 3 keyframes with their size.
func TestImportExportRoundTrip(t *testing.T) {
	var in []*track.Tracker
	for i, name := range []string{"Foo", "Bar", "Baz"} {
		tr := track.New(name)
		for f := 3; f <= 5; f++ {
			tr.Set(track.Keyframe{Frame: f, X: float64(100*f + i), Y: 200.5 - float64(f*i)})
		}
		in = append(in, tr)
	}
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := track.JustExport(Exporter.New(bw, format.Options{}), 720, 576, in); err != nil {
		t.Fatal(err)
	}
	_ = bw.Flush()
	got, s, msgs, err := importString(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 720 || s.Height != 576 {
		t.Errorf("size %dx%d, want 720x576", s.Width, s.Height)
	}
	if !slices.Contains(msgs, `Parsing channel "tracker1/ref/y"`) {
		t.Errorf("progress lacks tracker1/ref/y: %q", msgs)
	}
	want := make([]*track.Tracker, 3)
	for i, tr := range in {
		want[i] = &track.Tracker{Name: fmt.Sprintf("tracker%d", i+1), Keyframes: tr.Keyframes}
	}
	formattest.CompareTrackers(t, got, want)
}

// chanText writes a minimal channel with keys (frame, value).
func chanText(path string, keys ...[2]float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Channel %s\n\tExtrapolation constant\n\tValue 3\n\tSize %d\n", path, len(keys))
	for i, k := range keys {
		fmt.Fprintf(&b, "\tKey %d\n\t\tFrame %g\n\t\tValue %g\n\t\tEnd\n", i, k[0], k[1])
	}
	b.WriteString("\tEnd\n")
	return b.String()
}

const head = "StabilizerFileVersion 5.0\nFrameWidth 100\nFrameHeight 50\nAnim\n"

// simple writes one tracker's four channels: ref at frame 1, shift keys at
// the given frames with shift (−f, f).
func simple(name string, frames ...float64) string {
	var sx, sy [][2]float64
	for _, f := range frames {
		sx = append(sx, [2]float64{f, -f})
		sy = append(sy, [2]float64{f, f})
	}
	return chanText(name+"/ref/x", [2]float64{1, 10}) + chanText(name+"/ref/y", [2]float64{1, 20}) +
		chanText(name+"/shift/x", sx...) + chanText(name+"/shift/y", sy...)
}

func names(ts []*track.Tracker) string {
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprintf("%s:%d", t.Name, t.Len()))
	}
	return strings.Join(s, " ")
}

func TestImportRules(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		w, h  int
		names string
		check func(t *testing.T, got []*track.Tracker)
	}{
		{
			name: "byte-wise path order; shift keys make the keyframes",
			text: head + simple("tracker2", 1) + simple("tracker10", 1, 2) + simple("tracker1", 1, 2, 3) + "ChannelEnd\nEnd\n",
			w:    100, h: 50,
			names: "tracker1:3 tracker10:2 tracker2:1",
			check: func(t *testing.T, got []*track.Tracker) {
				want := []track.Keyframe{{Frame: 0, X: 11, Y: 19}, {Frame: 1, X: 12, Y: 18}, {Frame: 2, X: 13, Y: 17}}
				if !slices.Equal(got[0].Keyframes, want) {
					t.Errorf("keyframes %+v, want %+v", got[0].Keyframes, want)
				}
			},
		},
		{
			name: "only frames in both shift channels; base is the first ref key at a shift frame",
			text: head + chanText("a/ref/x", [2]float64{1, 5}, [2]float64{3, 100}, [2]float64{4, 200}) +
				chanText("a/ref/y", [2]float64{3, 50}, [2]float64{4, 60}, [2]float64{9, 1}) +
				chanText("a/shift/x", [2]float64{2, 1}, [2]float64{4, 2}, [2]float64{5, 3}) +
				chanText("a/shift/y", [2]float64{4, 20}, [2]float64{5, 30}, [2]float64{7, 40}),
			w: 100, h: 50, names: "a:2",
			check: func(t *testing.T, got []*track.Tracker) {
				// ref tuples: 3 (100, 50), 4 (200, 60); shift: 4 and 5; base = frame 4.
				want := []track.Keyframe{{Frame: 3, X: 198, Y: 40}, {Frame: 4, X: 197, Y: 30}}
				if !slices.Equal(got[0].Keyframes, want) {
					t.Errorf("keyframes %+v, want %+v", got[0].Keyframes, want)
				}
			},
		},
		{
			name: "no ref frame among the shift frames: the first ref tuple is the base",
			text: head + chanText("a/ref/x", [2]float64{7, 100}, [2]float64{8, 0}) + chanText("a/ref/y", [2]float64{7, 50}, [2]float64{8, 0}) +
				chanText("a/shift/x", [2]float64{2, 1}) + chanText("a/shift/y", [2]float64{2, 2}),
			w: 100, h: 50, names: "a:1",
			check: func(t *testing.T, got []*track.Tracker) {
				if k := got[0].Keyframes[0]; k != (track.Keyframe{Frame: 1, X: 99, Y: 48}) {
					t.Errorf("keyframe %+v", k)
				}
			},
		},
		{
			name: "empty or missing channels skip the tracker",
			text: head + simple("ok", 1) + chanText("noshift/ref/x", [2]float64{1, 1}) + chanText("noshift/ref/y", [2]float64{1, 1}) +
				chanText("noshift/shift/x") + chanText("noshift/shift/y") +
				chanText("noref/ref/x") + chanText("noref/ref/y") + chanText("noref/shift/x", [2]float64{1, 1}) + chanText("noref/shift/y", [2]float64{1, 1}) +
				chanText("lonely/ref/x", [2]float64{1, 1}),
			w: 100, h: 50, names: "ok:1",
		},
		{
			name: "the later channel of a repeated path wins",
			text: head + simple("a", 1, 2) + chanText("a/shift/x", [2]float64{5, 1}) + chanText("a/shift/y", [2]float64{5, 1}),
			w:    100, h: 50, names: "a:1",
		},
		{
			name: "repeated key frames in a channel: the last key wins; keys may come in any order",
			text: head + chanText("a/ref/x", [2]float64{1, 10}) + chanText("a/ref/y", [2]float64{1, 20}) +
				chanText("a/shift/x", [2]float64{3, 1}, [2]float64{2, 1}, [2]float64{2, 5}) + chanText("a/shift/y", [2]float64{2, 0}, [2]float64{3, 0}),
			w: 100, h: 50, names: "a:2",
			check: func(t *testing.T, got []*track.Tracker) {
				want := []track.Keyframe{{Frame: 1, X: 5, Y: 20}, {Frame: 2, X: 9, Y: 20}}
				if !slices.Equal(got[0].Keyframes, want) {
					t.Errorf("keyframes %+v, want %+v", got[0].Keyframes, want)
				}
			},
		},
		{
			name: "fractional and negative frames truncate, then shift by one",
			text: head + chanText("a/ref/x", [2]float64{1, 0}) + chanText("a/ref/y", [2]float64{1, 0}) +
				chanText("a/shift/x", [2]float64{-2.5, 0}, [2]float64{0.5, 0}, [2]float64{7.9, 0}) +
				chanText("a/shift/y", [2]float64{-2.2, 0}, [2]float64{0.7, 0}, [2]float64{7.1, 0}),
			w: 100, h: 50, names: "a:3",
			check: func(t *testing.T, got []*track.Tracker) {
				var frames []int
				for _, k := range got[0].Keyframes {
					frames = append(frames, k.Frame)
				}
				if !slices.Equal(frames, []int{-3, -1, 6}) {
					t.Errorf("frames %v, want [-3 -1 6]", frames)
				}
			},
		},
		{
			name: "key defaults: frame 1, value 0; numbers are runs of -, digits and dots",
			text: head + "Channel a/ref/x\n\tSize 1\n\tKey 0\n\t\tValue 1.5e3\n\t\tEnd\n\tEnd\n" +
				"Channel a/ref/y\n\tSize 1\n\tKey 0\n\t\tFrame 1.0.0\n\t\tEnd\n\tEnd\n" +
				"Channel a/shift/x\n\tSize 1\n\tKey 0\n\t\tFrameLock yes Frame 1\n\t\tValue -\n\t\tValueLock yes\n\t\tEnd\n\tEnd\n" +
				"Channel a/shift/y\n\tSize 1\n\tKey 0\n\t\tValue x Value -2\n\t\tEnd\n\tEnd\n",
			w: 100, h: 50, names: "a:1",
			check: func(t *testing.T, got []*track.Tracker) {
				if k := got[0].Keyframes[0]; k != (track.Keyframe{Frame: 0, X: 1.5, Y: 2}) {
					t.Errorf("keyframe %+v", k)
				}
			},
		},
		{
			name: "2012 and 2014 keys: extra lines inside key blocks are ignored",
			text: head + "Channel a/ref/x\n\tExtrapolation constant\n\tValue 7\n\tSize 1\n\tKeyVersion 2\n\tKey 0\n\t\tFrame 1\n\t\tValue 7\n\t\tRHandle_dX 0.25\n\t\tCurveMode hermite\n\t\tEnd\n\tColour 50 50 50\n\tEnd\n" +
				chanText("a/ref/y", [2]float64{1, 8}) + chanText("a/shift/x", [2]float64{1, 0}) + chanText("a/shift/y", [2]float64{1, 0}),
			w: 100, h: 50, names: "a:1",
		},
		{
			name: "channels with other paths, ChannelEnd and text after are ignored",
			text: head + chanText("a/track/x", [2]float64{1, 5}) + "Channel a/offset/x\n\tValue 3\n\tEnd\n" + simple("a", 1) +
				"ChannelEnd\nTracker 0\n\tActive yes\nEnd\n",
			w: 100, h: 50, names: "a:1",
		},
		{
			name: "CRLF lines",
			text: strings.ReplaceAll(head+simple("a b", 1, 2), "\n", "\r\n"),
			w:    100, h: 50, names: "a_b:2",
		},
		{
			name: "a channel line needs its line feed",
			text: head + simple("a", 1) + "Channel b/ref/x",
			w:    100, h: 50, names: "a:1",
		},
		{
			name: "size: a line with both only sets the width; the last width before the height counts",
			text: "FrameWidth 10 FrameHeight 20\nFrameWidth 30\nFrameHeight 40\n" + simple("a", 1),
			w:    30, h: 40, names: "a:1",
		},
		{
			name: "size: channels before the size is complete are not read",
			text: "FrameWidth 10\n" + simple("early", 1) + "FrameHeight 40\n" + simple("late", 1),
			w:    10, h: 40, names: "late:1",
		},
		{
			name:  "size: no height means 0x0 and nothing read",
			text:  "FrameWidth 10\n" + simple("a", 1),
			names: "",
		},
		{
			name: "Name lines prefix later channel paths, which then miss their tracker channels; Node lines are ignored",
			text: head + simple("a", 1) + "Node Stabilizer\n" + simple("b", 1) + "Name foo\n" + simple("c", 1),
			w:    100, h: 50, names: "a:1 b:1",
		},
		{
			name:  "garbage",
			text:  "xx",
			names: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, s, _, err := importString(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if s.Width != tt.w || s.Height != tt.h {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, tt.w, tt.h)
			}
			if n := names(got); n != tt.names {
				t.Fatalf("got %q, want %q", n, tt.names)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

// The Name quirk: reported paths carry the prefix.
func TestImportNamePrefix(t *testing.T) {
	_, _, msgs, err := importString(head + "Name foo\n" + simple("c", 1))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(msgs, `Parsing channel "foo/c/ref/x"`) {
		t.Errorf("messages %q", msgs)
	}
}

func TestImportErrors(t *testing.T) {
	long := head + "Channel a/ref/x\n\tValue " + strings.Repeat("1", format.MaxLine+10) + "\n"
	tests := []struct {
		name, text, want string
	}{
		{"truncated in a channel", head + simple("a", 1) + "Channel b/ref/x\n\tValue 3\n",
			`FlameStabilizer: line 42: channel "b/ref/x" opened at line 41: unexpected end of file, expected End`},
		{"truncated in a key", head + simple("a", 1) + "Channel b/ref/x\n\tSize 2\n\tKey 0\n\t\tFrame 1\n\t\tEnd\n\tKey 1\n\t\tFrame 2\n",
			`FlameStabilizer: line 47: key 1 of channel "b/ref/x": unexpected end of file, expected End`},
		{"huge key count", head + "Channel b/shift/x\n\tSize 999999999999\n\tKey 0\n\t\tEnd\n",
			`FlameStabilizer: line 8: key 1 of channel "b/shift/x": unexpected end of file, expected End`},
		{"line too long", long, "FlameStabilizer: line 6: cannot read line: bufio.Scanner: token too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := importString(tt.text)
			var pe *format.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			if err.Error() != tt.want {
				t.Fatalf("got  %q\nwant %q", err, tt.want)
			}
		})
	}
}

// Emit errors stop the import and come back unchanged.
func TestImportEmitError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	s := &format.Session{Emit: func(*track.Tracker) error { n++; return stop }}
	err := Importer.Import(strings.NewReader(head+simple("a", 1)+simple("b", 1)), s)
	if err != stop || n != 1 {
		t.Fatalf("got %v after %d emits", err, n)
	}
}

// The huge sample must stay cheap: no allocation per line (it has about
// 263 000) and no time out of proportion. BenchmarkImportHuge measures it
// (about 20 ms of CPU); the time bound here is loose so a busy machine
// cannot make the test flaky.
func TestImportHugeIsCheap(t *testing.T) {
	data, err := os.ReadFile(formattest.ImportPath(t, "flame_stabilizer/hugeFlameSetup.stabilizer"))
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		s := &format.Session{Emit: func(*track.Tracker) error { return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			t.Fatal(err)
		}
	}
	if allocs := testing.AllocsPerRun(2, run); allocs > 5000 {
		t.Errorf("%v allocations per import, want < 5000", allocs)
	}
	best := time.Hour
	for range 3 {
		start := time.Now()
		run()
		best = min(best, time.Since(start))
	}
	if best > time.Second {
		t.Errorf("hugeFlameSetup took %v", best)
	}
}

func BenchmarkImportHuge(b *testing.B) {
	data, err := os.ReadFile(formattest.ImportPath(b, "flame_stabilizer/hugeFlameSetup.stabilizer"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := &format.Session{Emit: func(*track.Tracker) error { return nil }}
		if err := Importer.Import(bytes.NewReader(data), s); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzImportFlame(f *testing.F) {
	formattest.Seed(f, "flame_stabilizer")
	f.Add([]byte(head + simple("a", 1, 2) + "Name x\n" + simple("b", 3)))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzImport(t, Importer, data)
	})
}

// Errors name the importer by its registered id.
func TestFormatID(t *testing.T) {
	if formatID != Importer.ID {
		t.Fatalf("formatID %q, Importer.ID %q", formatID, Importer.ID)
	}
}

// TestLabelInitials: the 8-bytes-at-a-time look finds what a look at
// every byte finds.
func TestLabelInitials(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "EFVefv \t\n0123456789.-EndFrameValue\x00\xff"
	for range 100000 {
		line := make([]byte, r.IntN(40))
		for i := range line {
			line[i] = alphabet[r.IntN(len(alphabet))]
		}
		var want byte
		for _, c := range line {
			want |= initials[c]
		}
		if got := labelInitials(line); got != want {
			t.Fatalf("%q: %03b, want %03b", line, got, want)
		}
	}
}
