package aekeyframes

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

// key is an expected keyframe: internal frame, x, y, residual.
type key struct {
	frame   int
	x, y, r float64
}

// want is an expected tracker: its name, how many keyframes, and some of them.
type want struct {
	name string
	n    int
	keys []key
}

func importFile(t *testing.T, name string, w, h int) (*format.Session, []*track.Tracker, error) {
	t.Helper()
	return formattest.ImportFile(t, Importer, filepath.Join("testdata", name), w, h)
}

func importString(text string, w, h int) (*format.Session, []*track.Tracker, error) {
	s := &format.Session{Width: w, Height: h}
	out, err := formattest.ImportText(Importer, text, s)
	return s, out, err
}

func checkTrackers(t *testing.T, got []*track.Tracker, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		var names []string
		for _, g := range got {
			names = append(names, g.Name)
		}
		t.Fatalf("got %d trackers %v, want %d", len(got), names, len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.Name != w.name || len(g.Keyframes) != w.n {
			t.Errorf("tracker %d: %q with %d keyframes, want %q with %d", i, g.Name, len(g.Keyframes), w.name, w.n)
			continue
		}
		if err := track.CheckOrder(g); err != nil {
			t.Errorf("tracker %q: %v", g.Name, err)
		}
		for _, k := range w.keys {
			kf, ok := g.At(k.frame)
			if !ok {
				t.Errorf("%s: no keyframe at frame %d", w.name, k.frame)
				continue
			}
			if !formattest.Close(kf.X, k.x) || !formattest.Close(kf.Y, k.y) || !formattest.Close(kf.Residual, k.r) {
				t.Errorf("%s frame %d: got (%v, %v, residual %v), want (%v, %v, residual %v)",
					w.name, k.frame, kf.X, kf.Y, kf.Residual, k.x, k.y, k.r)
			}
		}
	}
}

func userError(err error) *format.UserError {
	var ue *format.UserError
	if errors.As(err, &ue) {
		return ue
	}
	return nil
}

// position is the Mocha movement's Position tracker (FORMATS.md §4.14.9).
var position = want{"Position", 10, []key{{0, 233, 720 - 74.5, 0}, {1, 221.999, 720 - 136.749, 0}, {9, 133.01, 75.494, 0}}}

// TestWorkedExamples: FORMATS.md §4.14.9, on files written after the
// samples it describes, and the other layouts of §4.14.
func TestWorkedExamples(t *testing.T) {
	tracker1 := want{"Tracker_1_Track_Point_1", 2, []key{{0, 938.125, 554.25, 0}, {1, 937.273, 553.992, 0.038726}}}
	for _, c := range []struct {
		file          string
		w, h          int // the size the user gives
		wantW, wantH  int
		trackers      []want
		code, message string // the error instead
	}{
		{file: "mocha_movement.txt", wantW: 1280, wantH: 720, trackers: []want{position}},
		{file: "mocha_rotation.txt", wantW: 1280, wantH: 720, trackers: []want{position}},
		{file: "mocha_scale.txt", wantW: 1280, wantH: 720, trackers: []want{position}},
		{file: "mocha_cr.txt", wantW: 1280, wantH: 720, trackers: []want{position}},
		// A size in the file wins over the user's.
		{file: "mocha_movement.txt", w: 1920, h: 1080, wantW: 1280, wantH: 720, trackers: []want{position}},
		// Old Mocha: Anchor Point identical to Position, two trackers (§4.14.10 quirk 2).
		{file: "mocha_anchor_point.txt", wantW: 1280, wantH: 720, trackers: []want{
			{"Anchor_Point", 10, position.keys}, position}},
		{file: "ae_motion_tracker.txt", wantW: 1920, wantH: 1080, trackers: []want{tracker1}},
		{file: "ae_composite_bom_crlf.txt", wantW: 1920, wantH: 1080, trackers: []want{
			{"Position", 1, []key{{0, 640, 720, 0}}},
			tracker1,
			{"top_left", 1, []key{{0, -53.172, 1080 + 31.8445, 0}}},
		}},
		{file: "ae2blender_transform.txt", wantW: 1280, wantH: 720, trackers: []want{
			{"Position", 200, []key{{0, 640, 360, 0}, {100, 3190.93, 720 + 331.122, 0}, {150, 0, 707.5, 0}, {199, 888.75, 720 - 210.75, 0}}}}},
		{file: "ae2blender_plane.txt", code: format.CodeNoTrackersRecovered,
			message: "AEKeyframes: no 2D track in this keyframe data: only Position, Anchor Point, Motion Trackers Feature Center/Attach Point and Corner Pin/CC Power Pin corners with keyframes are imported; found: Transform Position (0 keyframes)"},
		{file: "max_cornerpin.txt", w: 720, h: 576, wantW: 720, wantH: 576, trackers: []want{
			{"top_left", 2, []key{{0, -53.172, 607.8445, 0}, {1, -52.172, 606.8445, 0}}},
			{"top_right", 2, []key{{0, 770.5, 596, 0}}},
			{"bottom_left", 2, []key{{0, -40, 576 - 600.25, 0}}},
			{"bottom_right", 2, []key{{1, 761, 576 - 591, 0}}},
		}},
		{file: "max_cornerpin.txt", code: format.CodeDimensionsRequired,
			message: "Width and height must be provided for this importer (the keyframe data gives Source Width 0.0 and Source Height 0.0, not a frame size)"},
		{file: "max_cornerpin.txt", w: 720, code: format.CodeDimensionsRequired},
		{file: "ofxaekp_rotation.txt", code: format.CodeNoTrackersRecovered,
			message: "AEKeyframes: no 2D track in this keyframe data: only Position, Anchor Point, Motion Trackers Feature Center/Attach Point and Corner Pin/CC Power Pin corners with keyframes are imported; found: Transform Rotation"},
		// Nothing to track fails so whether or not a size is given.
		{file: "ofxaekp_rotation.txt", w: 640, h: 480, code: format.CodeNoTrackersRecovered},
		{file: "aetools_expression.txt", code: format.CodeNoTrackersRecovered,
			message: "AEKeyframes: no 2D track in this keyframe data: only Position, Anchor Point, Motion Trackers Feature Center/Attach Point and Corner Pin/CC Power Pin corners with keyframes are imported; found: Transform Position (0 keyframes)"},
		{file: "mocha_ccpowerpin.txt", wantW: 1920, wantH: 1080, trackers: []want{
			{"top_left", 3, []key{{0, 100, 880, 0}, {2, 102, 882, 0}}},
			{"top_right", 3, []key{{0, 1800, 870, 0}}},
			{"bottom_left", 3, []key{{0, 90, 180, 0}}},
			{"bottom_right", 3, []key{{1, 1811, 201, 0}}},
		}},
		// Two copied layers: the names are made unique; the second
		// layer's header fields come later and give the size.
		{file: "two_layers.txt", wantW: 2048, wantH: 1152, trackers: []want{
			{"Position", 1, []key{{0, 10, 1152 - 20, 0}}},
			{"Tracker_1_Track_Point_1", 1, []key{{0, 30, 1152 - 40, 0}}},
			{"top_left", 1, []key{{0, 50, 1152 - 60, 0}}},
			{"Position_2", 1, []key{{1, 11, 1152 - 21, 0}}},
			{"Tracker_1_Track_Point_1_2", 1, []key{{1, 31, 1152 - 41, 0}}},
			{"top_left_2", 1, []key{{1, 51, 1152 - 61, 0}}},
		}},
	} {
		t.Run(fmt.Sprintf("%s_%dx%d", c.file, c.w, c.h), func(t *testing.T) {
			s, got, err := importFile(t, c.file, c.w, c.h)
			if c.code != "" {
				ue := userError(err)
				if ue == nil || ue.Code != c.code {
					t.Fatalf("got %v, want a %s error", err, c.code)
				}
				if c.message != "" && err.Error() != c.message {
					t.Fatalf("message %q\nwant %q", err.Error(), c.message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Width != c.wantW || s.Height != c.wantH {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, c.wantW, c.wantH)
			}
			checkTrackers(t, got, c.trackers)
		})
	}
}

// ae is a file head for the inline cases: signature, size, blank.
const ae = "Adobe After Effects 8.0 Keyframe Data\n\n\tSource Width\t1920\n\tSource Height\t1080\n\n"

func TestRules(t *testing.T) {
	for _, c := range []struct {
		name, text string
		trackers   []want
	}{
		{"static rows and empty blocks are dropped before names are given",
			ae + "Transform\tPosition\n\tFrame\tX pixels\tY pixels\n\t\t1\t2\nPosition\n\tFrame\tX\tY\n\t3\t4\t5\n",
			[]want{{"Position", 1, []key{{3, 4, 1075, 0}}}}},
		{"Attach Point where Feature Center has no keyframe",
			ae + "Motion Trackers\tT #2\tP #3\tFeature Center\n\tFrame\tX\tY\n\t\t1\t1\n" +
				"Motion Trackers\tT #2\tP #3\tAttach Point\n\tFrame\tX\tY\n\t0\t5\t6\n",
			[]want{{"T_2_P_3", 1, []key{{0, 5, 1074, 0}}}}},
		{"a point with only Confidence gives no tracker",
			ae + "Motion Trackers\tA\tB\tConfidence\n\tFrame\tpercent\n\t0\t50\n" + "Position\n\t0\t1\t2\n",
			[]want{{"Position", 1, nil}}},
		{"confidence over 100 is residual 0, frames without one 0, fractional frames truncated",
			ae + "Motion Trackers\tA\tB\tConfidence\n\t0\t120\n\t1.9\t25\n" +
				"Motion Trackers\tA\tB\tFeature Center\n\t0\t1\t1\n\t1.5\t2\t2\n\t2\t3\t3\n",
			[]want{{"A_B", 3, []key{{0, 1, 1079, 0}, {1, 2, 1078, 0.75}, {2, 3, 1077, 0}}}}},
		{"rows sorted, the last of a frame wins",
			ae + "Position\n\t2\t1\t1\n\t0\t5\t5\n\t2\t9\t9\n",
			[]want{{"Position", 2, []key{{0, 5, 1075, 0}, {2, 9, 1071, 0}}}}},
		{"rows indented with spaces, split on whitespace; column line in one field",
			ae + "Anchor Point\n  Frame Degrees\n  0 7 8 0\n   1\t9\t10\n",
			[]want{{"Anchor_Point", 2, []key{{0, 7, 1072, 0}, {1, 9, 1070, 0}}}}},
		{"corner names are case-insensitive, Top/Bottom names too",
			ae + "Effects\tcorner pin\tLOWER RIGHT #5\n\t0\t1\t1\nEffects\tCC Power Pin #2\tTop Right\n\t0\t2\t2\n" +
				"Effects\tCorner Pin #1\tUpper Middle #6\n\t0\t3\t3\nEffects\tCorner Pin #1\tUpper Left #2\tX\n\t0\t3\t3\n",
			[]want{{"bottom_right", 1, nil}, {"top_right", 1, nil}}},
		{"a malformed row of an ignored block is harmless; so is free text in an expression",
			ae + "Scale\n\tFrame\tX percent\n\tone\ttwo\nExpression Data\n0 + 1\nEnd of Keyframe Data\nEnd of Expression Data\nPosition\n\t0\t1\t2\n",
			[]want{{"Position", 1, nil}}},
		{"anything after End of Keyframe Data is ignored",
			ae + "Position\n\t0\t1\t2\nEnd of Keyframe Data\n12 bad\nPosition\n\t1\t1\t1\n",
			[]want{{"Position", 1, nil}}},
		{"a name that is taken gets the first free suffix",
			ae + "Motion Trackers\tPosition\t2\tFeature Center\n\t0\t1\t1\nPosition\n\t0\t1\t1\nPosition\n\t0\t1\t1\n",
			[]want{{"Position_2", 1, nil}, {"Position", 1, nil}, {"Position_3", 1, nil}}},
		{"Z and further values are ignored, exponents and -0 read",
			ae + "Position\n\t0\t1e2\t-0\t5\t6\n",
			[]want{{"Position", 1, []key{{0, 100, 1080, 0}}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, got, err := importString(c.text, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			checkTrackers(t, formattest.NonEmpty(got), c.trackers)
		})
	}
}

func TestSize(t *testing.T) {
	for _, c := range []struct {
		header       string
		w, h         int
		wantW, wantH int
		why          string // the DimensionsRequired reason instead
	}{
		{"\tSource Width\t1280.5\n\tSource Height\t719.5\n", 0, 0, 1281, 720, ""},
		{"\tSource Width\t100\n\tSource Height\t100\n", 1920, 1080, 100, 100, ""},
		{"\tSource Width\t1\n\tSource Height\t1\n", 1920, 1080, 1920, 1080, ""},
		{"\tSource Width\t1\n\tSource Height\t1\n", 0, 0, 0, 0, "the keyframe data gives Source Width 1 and Source Height 1, not a frame size"},
		{"", 0, 0, 0, 0, "the keyframe data gives no Source Width and no Source Height, not a frame size"},
		{"\tSource Width\t1920\n", 0, 0, 0, 0, "the keyframe data gives Source Width 1920 and no Source Height, not a frame size"},
		{"\tSource Width\tinf\n\tSource Height\t1e400\n", 0, 0, 0, 0, "the keyframe data gives Source Width inf and Source Height 1e400, not a frame size"},
		{"\tSource Width\t1e12\n\tSource Height\t1080\n", 640, 480, 640, 480, ""},
	} {
		text := "Adobe After Effects 8.0 Keyframe Data\n" + c.header + "Position\n\t0\t1\t2\n"
		s, got, err := importString(text, c.w, c.h)
		if c.why != "" {
			ue := userError(err)
			if ue == nil || ue.Code != format.CodeDimensionsRequired || ue.Msg != format.MsgDimensionsRequired+" ("+c.why+")" {
				t.Errorf("%q: got %v, want DimensionsRequired (%s)", c.header, err, c.why)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.header, err)
			continue
		}
		if s.Width != c.wantW || s.Height != c.wantH || got[0].Keyframes[0].Y != float64(c.wantH)-2 {
			t.Errorf("%q: size %dx%d, want %dx%d", c.header, s.Width, s.Height, c.wantW, c.wantH)
		}
	}
}

// TestSizeFound: the size is final when the importer says so, and it is
// the one the trackers were made with.
func TestSizeFound(t *testing.T) {
	var w, h, calls int
	s := &format.Session{SizeFound: func(width, height int) { w, h = width, height; calls++ }}
	if _, err := formattest.ImportText(Importer, ae+"Position\n\t0\t1\t2\n", s); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || w != 1920 || h != 1080 {
		t.Fatalf("SizeFound called %d times, last with %dx%d", calls, w, h)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		text  string
		line  int
		words []string
	}{
		{"Hello\nAdobe After Effects 8.0 Keyframe Data\n", 1, []string{`expected "Adobe After Effects <version> Keyframe Data"`}},
		{"\n\n  Adobe After Effects 8.0 Keyframe Data (copy)\n", 3, []string{`expected "Adobe After Effects <version> Keyframe Data"`}},
		{"\n \n", 3, []string{"Adobe After Effects <version> Keyframe Data", "end of the file"}},
		{ae + "Position\n0\t1\t2\n", 7, []string{`a keyframe row must be indented with a TAB, got "0\t1\t2"`}},
		{ae + "Scale\n-5\n", 7, []string{"a keyframe row must be indented with a TAB"}},
		{ae + "Position\n\tFrame\tX\tY\n\tone\t1\t2\n", 8, []string{`expected a frame number, got "one"`}},
		{ae + "Position\n\t1e300\t1\t2\n", 7, []string{`expected a frame number, got "1e300"`}},
		{ae + "Position\n\t0x10\t1\t2\n", 7, []string{`expected a frame number, got "0x10"`}},
		{ae + "Position\n\t0\t1\n", 7, []string{"expected X and Y after the frame, got 1 value(s)"}},
		{ae + "Position\n\t0\n", 7, []string{"expected X and Y after the frame, got 0 value(s)"}},
		{ae + "Transform\tAnchor Point\n\t0\t1_000\t2\n", 7, []string{`expected a number, got "1_000"`}},
		{ae + "Position\n\t0\t1\tnan\n", 7, []string{`expected a number, got "nan"`}},
		{ae + "Position\n\t0\t\t2\n", 7, []string{`expected a number, got ""`}},
		{ae + "Effects\tCorner Pin #1\tLower Left #4\n\t0\tinf\t2\n", 7, []string{`expected a number, got "inf"`}},
		{ae + "Motion Trackers\tA\tB\tConfidence\n\t0\n", 7, []string{"expected a confidence value after the frame, got 0 value(s)"}},
		{ae + "Motion Trackers\tA\tB\tConfidence\n\t0\tfull\n", 7, []string{`expected a number, got "full"`}},
		{ae + "Motion Trackers\tA\tB\tFeature Center\n\tFrame\tX pixels\tY pixels\n\t0\t1\t2\n\t1\t2\n", 9, []string{"expected X and Y"}},
	} {
		_, _, err := importString(c.text, 1920, 1080)
		formattest.WantParseError(t, err, "AEKeyframes", c.line, c.words...)
	}
}

// TestNoTrackMessage lists what the data holds, merged by header and
// bounded, with keyframes counted for the kinds that are imported.
func TestNoTrackMessage(t *testing.T) {
	var b strings.Builder
	b.WriteString("Adobe After Effects 8.0 Keyframe Data\n")
	b.WriteString("Transform\tScale\n\t0\t1\t1\nMotion Trackers\tA\tB\tConfidence\n\t0\t50\n\t1\t50\nTransform\tScale\n")
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "Effect %d\n", i)
	}
	_, _, err := importString(b.String(), 0, 0)
	ue := userError(err)
	if ue == nil || ue.Code != format.CodeNoTrackersRecovered {
		t.Fatalf("got %v", err)
	}
	want := "found: Transform Scale, Motion Trackers A B Confidence (2 keyframes), Effect 0, "
	if !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), ", Effect 17, and 7 more") {
		t.Fatalf("message %q", err)
	}
	_, _, err = importString("Adobe After Effects 8.0 Keyframe Data", 0, 0)
	if !strings.HasSuffix(err.Error(), "found: nothing") {
		t.Fatalf("message %q", err)
	}
}

func TestRowFields(t *testing.T) {
	for _, c := range []struct {
		line, frame string
		values      []string
	}{
		{"\t0\t640\t360\t-930.529\t", "0", []string{"640", "360", "-930.529"}},
		{"\t\t40\t40", "", []string{"40", "40"}},
		{"\tFrame\tX \tY ", "Frame", []string{"X", "Y"}},
		{"  0\t1\t2", "0", []string{"1", "2"}},
		{"  \t0\t1", "0", []string{"1"}},
		{"  Frame Degrees", "Frame", []string{"Degrees"}},
		{"\tFrame Degrees", "Frame Degrees", nil},
		{"\t0\t\t2", "0", []string{"", "2"}},
		{" ", "", nil},
	} {
		frame, values := rowFields(c.line)
		if frame != c.frame || fmt.Sprint(values) != fmt.Sprint(c.values) || len(values) != len(c.values) {
			t.Errorf("rowFields(%q) = %q, %q; want %q, %q", c.line, frame, values, c.frame, c.values)
		}
	}
}

func TestSniff(t *testing.T) {
	for head, want := range map[string]int{
		"Adobe After Effects 6.0 Keyframe Data\n\n\tUnits Per Second\t23.976\n": 2,
		"\xef\xbb\xbf\r\n\r\nAdobe After Effects 9.0 Keyframe Data\r\n":         2,
		"Adobe After Effects 8.0 Keyframe Data\rPosition\r":                     2,
		" \t Adobe After Effects 10 Keyframe Data \n":                           2,
		"Adobe After Effects 12.34 Keyframe Data":                               2,
		"Adobe After Effects Keyframe Data\n":                                   0,
		"Adobe After Effects 8.0 Keyframe Data, as in the manual\n":             0,
		"adobe after effects 8.0 keyframe data\n":                               0,
		"Adobe After Effects 8. Keyframe Data\n":                                0,
		"Adobe  After Effects 8.0 Keyframe Data\n":                              0,
		"# Adobe After Effects 8.0 Keyframe Data\n":                             0,
		"Paste this:\nAdobe After Effects 8.0 Keyframe Data\n":                  0,
		"A\x00d\x00o\x00b\x00e\x00 \x00A\x00f\x00t\x00e\x00r\x00\n":             0,
		"":     0,
		"\n\n": 0,
	} {
		if got := sniff([]byte(head)); got != want {
			t.Errorf("sniff(%q) = %d, want %d", head, got, want)
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) < 10 {
		t.Fatalf("%d test files (%v)", len(files), err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if sniff(data) != 2 {
			t.Errorf("%s: not claimed", p)
		}
	}
}

// TestLineEndsKept: the test files keep the line ends they were written
// with, which the layouts depend on.
func TestLineEndsKept(t *testing.T) {
	for name, check := range map[string]func(string) bool{
		"ae_composite_bom_crlf.txt": func(s string) bool {
			return strings.HasPrefix(s, "\xef\xbb\xbf") && strings.Count(s, "\n") == strings.Count(s, "\r\n")
		},
		"max_cornerpin.txt":    func(s string) bool { return strings.Count(s, "\n") == strings.Count(s, "\r\n") },
		"mocha_cr.txt":         func(s string) bool { return !strings.Contains(s, "\n") && strings.Count(s, "\r") > 10 },
		"mocha_movement.txt":   func(s string) bool { return !strings.Contains(s, "\r") },
		"ae2blender_plane.txt": func(s string) bool { return strings.HasSuffix(s, "End of Keyframe Data") },
	} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !check(string(data)) {
			t.Errorf("%s: its line ends changed", name)
		}
	}
}

// TestSplitLines: LF, CRLF and lone CR end lines, also when a CRLF is cut
// between two reads.
func TestSplitLines(t *testing.T) {
	text := "a\r\nb\rc\n\r\nd\r"
	for _, chunk := range []int{1, 2, 3, len(text)} {
		ls := newLines(&chunked{text, chunk})
		var got []string
		for ls.next() {
			got = append(got, ls.text)
		}
		if err := ls.err(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "|") != "a|b|c||d" {
			t.Errorf("chunks of %d: %q", chunk, got)
		}
	}
}

// chunked reads its text n bytes at a time.
type chunked struct {
	s string
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.s)
	c.s = c.s[n:]
	return n, nil
}

func TestLongLine(t *testing.T) {
	text := ae + "Position\n\t0\t1\t" + strings.Repeat("2", format.MaxLine+1) + "\n"
	_, _, err := importString(text, 0, 0)
	formattest.WantParseError(t, err, "AEKeyframes", 7, "longer than")
}

// TestImportBackwards reads a Position listed last frame first: it must
// stay fast and come out in frame order.
func TestImportBackwards(t *testing.T) {
	text := formattest.Backwards(ae+"Transform\tPosition\n\tFrame\tX pixels\tY pixels\tZ pixels\t\n",
		func(i int) string { return fmt.Sprintf("\t%d\t%d\t%d\t0\t\n", i-1, i, i) })
	_, got, err := importString(text, 0, 0)
	ks := formattest.CheckInFrameOrder(t, "backwards", got, err)
	if ks[0].X != 1 || ks[0].Y != 1079 {
		t.Fatalf("first keyframe %+v", ks[0])
	}
}

func FuzzImportAEKeyframes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(ae + "Motion Trackers\tA\tB\tConfidence\n\t0\t50\nMotion Trackers\tA\tB\tFeature Center\n\t0\t1\t2\n\t0.5\t3\t4\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}
