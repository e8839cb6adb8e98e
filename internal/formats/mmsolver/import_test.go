package mmsolver

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importFile(t *testing.T, name string, w, h int) (*format.Session, []*track.Tracker) {
	t.Helper()
	s, got, err := formattest.ImportFile(t, Importer, filepath.Join("testdata", name), w, h)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s, got
}

func kf(frame int, x, y float64) track.Keyframe { return track.Keyframe{Frame: frame, X: x, Y: y} }

// mul is one float64 multiplication, as the importer does: Go would work
// out a product of two constants exactly and round it once.
func mul(a, b float64) float64 { return a * b }

// TestWorkedExamples: FORMATS.md §4.15.7, on files written after the
// samples it names. Values must be the exact float64 products.
func TestWorkedExamples(t *testing.T) {
	corners := []*track.Tracker{
		{Name: "TopLeft", Keyframes: []track.Keyframe{kf(0, 0, 1080)}},
		{Name: "TopRight", Keyframes: []track.Keyframe{kf(0, 1920, 1080)}},
		{Name: "BottomLeft", Keyframes: []track.Keyframe{kf(0, 0, 0)}},
		{Name: "BottomRight", Keyframes: []track.Keyframe{kf(0, 1920, 0)}},
	}
	for _, c := range []struct {
		file       string
		w, h       int // given by the user
		wantW      int // the size after the import
		wantH      int
		trackers   int
		first      string
		firstLen   int // keyframes of the first tracker
		firstKey   track.Keyframe
		whole      []*track.Tracker // every tracker, when given
		secondName string
		secondLen  int
	}{
		{file: "loadmarker_corners.uv", w: 1920, h: 1080, wantW: 1920, wantH: 1080, whole: corners},
		{file: "loadmarker_corners_crlf.uv", w: 1920, h: 1080, wantW: 1920, wantH: 1080, whole: corners},
		{file: "loadmarker_corners_bom_cr.uv", w: 1920, h: 1080, wantW: 1920, wantH: 1080, whole: corners},
		{file: "stA.uv", w: 1920, h: 1080, wantW: 1920, wantH: 1080, trackers: 14, first: "01", firstLen: 72,
			firstKey: kf(-1, 1629.4077437590993, 499.29461550075655)},
		{file: "test_v1.uv", w: 1920, h: 1080, wantW: 1920, wantH: 1080, trackers: 2, first: "12", firstLen: 17,
			firstKey: kf(215, 258.86452544224704, mul(-0.022942275722851, 1080)), secondName: "25", secondLen: 36},
		{file: "stA_with_lens_undistortion.uv", wantW: 2225, wantH: 1480, trackers: 1, first: "01", firstLen: 1,
			firstKey: kf(-1, mul(0.8486498665411976, 2225), mul(0.4623098291673672, 1480))},
		// A size in the file wins over the user's.
		{file: "stA_with_lens_undistortion.uv", w: 640, h: 480, wantW: 2225, wantH: 1480, trackers: 1, first: "01", firstLen: 1,
			firstKey: kf(-1, mul(0.8486498665411976, 2225), mul(0.4623098291673672, 1480))},
		{file: "test_v4.uv", wantW: 1280, wantH: 1080, trackers: 1, first: "11", firstLen: 2,
			firstKey: kf(-1, mul(0.11144785849149093, 1280), mul(0.5123, 1080))},
	} {
		t.Run(c.file, func(t *testing.T) {
			s, got := importFile(t, c.file, c.w, c.h)
			if s.Width != c.wantW || s.Height != c.wantH {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, c.wantW, c.wantH)
			}
			if c.whole != nil {
				compareExact(t, got, c.whole)
				return
			}
			if len(got) != c.trackers {
				t.Fatalf("%d trackers, want %d", len(got), c.trackers)
			}
			if got[0].Name != c.first || got[0].Len() != c.firstLen || got[0].Keyframes[0] != c.firstKey {
				t.Errorf("first tracker %q, %d keyframes, first %+v; want %q, %d, %+v",
					got[0].Name, got[0].Len(), got[0].Keyframes[0], c.first, c.firstLen, c.firstKey)
			}
			if c.secondName != "" && (got[1].Name != c.secondName || got[1].Len() != c.secondLen) {
				t.Errorf("second tracker %q with %d keyframes, want %q with %d", got[1].Name, got[1].Len(), c.secondName, c.secondLen)
			}
		})
	}
	// The numbers of the text, checked apart from the products above.
	for _, c := range []struct {
		got, want float64
	}{
		{mul(0.8486498665411976, 1920), 1629.4077437590993},
		{mul(0.4623098291673672, 1080), 499.29461550075655},
		{mul(0.134825273667837, 1920), 258.86452544224704},
	} {
		if c.got != c.want {
			t.Errorf("product %v, the text says %v", c.got, c.want)
		}
	}
}

// compareExact wants the same names, frames and bit-equal values.
func compareExact(t *testing.T, got, want []*track.Tracker) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d trackers, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || len(g.Keyframes) != len(w.Keyframes) {
			t.Errorf("tracker %d: %q with %d keyframes, want %q with %d", i, g.Name, len(g.Keyframes), w.Name, len(w.Keyframes))
			continue
		}
		for j := range w.Keyframes {
			if g.Keyframes[j] != w.Keyframes[j] {
				t.Errorf("tracker %q keyframe %d: %+v, want %+v", w.Name, j, g.Keyframes[j], w.Keyframes[j])
			}
		}
	}
}

// TestImportFiles covers what the worked examples do not: weights of 0 and
// less, blank lines, empty names and points, pos_dist against pos, v5.
func TestImportFiles(t *testing.T) {
	for _, c := range []struct {
		file  string
		w, h  int
		wantW int
		wantH int
		want  []*track.Tracker
	}{
		{"v1_odd.uv", 1920, 1080, 1920, 1080, []*track.Tracker{
			// weights 0 and -1 drop frames 2 and 3; 0.5 keeps frame 4
			{Name: "My_Point_Name", Keyframes: []track.Keyframe{kf(0, 960, 540), kf(3, mul(0.0625, 1920), mul(0.9375, 1080))}},
			// a blank name line before a count is an empty name; a blank row ends the point
			{Name: "", Keyframes: []track.Keyframe{kf(0, mul(0.1, 1920), mul(0.2, 1080))}},
			// rows out of order come out in frame order
			{Name: "Short", Keyframes: []track.Keyframe{kf(4, mul(0.7, 1920), mul(0.6, 1080)), kf(6, mul(0.3, 1920), mul(0.4, 1080))}},
			// and the fifth point declared is not there: only blank lines follow
			{Name: "Empty"},
		}},
		{"stA_with_emptyMarker.uv", 100, 50, 100, 50, []*track.Tracker{
			{Name: "01", Keyframes: []track.Keyframe{kf(2, 50, 25)}},
			{Name: "empty"}, {Name: "null"}, {Name: "missing"},
		}},
		{"v3.uv", 200, 100, 200, 100, []*track.Tracker{
			// pos_dist, not pos; a frame without pos_dist takes pos; weight 0 drops
			{Name: "a_b", Keyframes: []track.Keyframe{kf(0, 50, 50), kf(2, mul(0.35, 200), mul(0.6, 100))}},
			// weight 0.5 keeps, -1 drops, null and missing are 1; frame 12.0 is whole
			{Name: "w", Keyframes: []track.Keyframe{kf(9, 100, 50), kf(11, mul(0.7, 200), mul(0.7, 100)), kf(12, mul(0.8, 200), mul(0.8, 100))}},
		}},
		{"test_v5.uv", 0, 0, 1920, 1080, []*track.Tracker{
			{Name: "p1", Keyframes: []track.Keyframe{kf(1000, 240, 540), kf(1001, 480, 810)}},
			{Name: "p2", Keyframes: []track.Keyframe{kf(1000, 960, 540)}},
		}},
		{"blender_v4_no_resolution.uv", 640, 480, 640, 480, []*track.Tracker{
			{Name: "Track", Keyframes: []track.Keyframe{kf(4, 320, 120)}},
		}},
		{"empty_points.uv", 640, 480, 640, 480, nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			s, got := importFile(t, c.file, c.w, c.h)
			if s.Width != c.wantW || s.Height != c.wantH {
				t.Errorf("size %dx%d, want %dx%d", s.Width, s.Height, c.wantW, c.wantH)
			}
			compareExact(t, got, c.want)
		})
	}
}

// TestSizeRequired: without a size in the file, the user's is needed.
func TestSizeRequired(t *testing.T) {
	for _, c := range []struct{ file, why string }{
		{"loadmarker_corners.uv", "(a version 1 .uv file stores no resolution)"},
		{"stA.uv", `(version 2 file without a usable camera "resolution")`},
		{"v3.uv", `(version 3 file without a usable camera "resolution")`},
		{"blender_v4_no_resolution.uv", `(version 4 file without a usable camera "resolution")`},
		{"empty_points.uv", `(version 2 file without a usable camera "resolution")`},
	} {
		for _, size := range [][2]int{{0, 0}, {1920, 0}, {0, 1080}} {
			_, _, err := formattest.ImportFile(t, Importer, filepath.Join("testdata", c.file), size[0], size[1])
			var ue *format.UserError
			if !errors.As(err, &ue) || ue.Code != format.CodeDimensionsRequired {
				t.Errorf("%s at %v: got %v, want %s", c.file, size, err, format.CodeDimensionsRequired)
				continue
			}
			if want := format.MsgDimensionsRequired + " " + c.why; err.Error() != want {
				t.Errorf("%s: message %q, want %q", c.file, err, want)
			}
		}
	}
}

// TestResolution: camera.resolution gives the size only in v4 and v5, and
// only when both are numbers greater than 1 (rounded half away from zero).
func TestResolution(t *testing.T) {
	const pts = `"points": [{"name": "a", "per_frame": [{"frame": 1, "pos": [0.5, 0.5]}]}]`
	for _, c := range []struct {
		name, camera string
		version      int
		w, h         int // 0: none usable
	}{
		{"v4", `{"resolution": [1280, 720]}`, 4, 1280, 720},
		{"v5", `{"resolution": [1280, 720]}`, 5, 1280, 720},
		{"halves away from zero", `{"resolution": [2224.5, 1479.5]}`, 4, 2225, 1480},
		{"fractional", `{"resolution": [2224.4, 1480.0000000000002]}`, 4, 2224, 1480},
		{"extra items", `{"resolution": [10, 20, 30]}`, 4, 10, 20},
		{"v3 ignores it", `{"resolution": [1280, 720]}`, 3, 0, 0},
		{"v2 ignores it", `{"resolution": [1280, 720]}`, 2, 0, 0},
		{"zeros", `{"resolution": [0, 0]}`, 4, 0, 0},
		{"one", `{"resolution": [1, 720]}`, 4, 0, 0},
		{"negative", `{"resolution": [-1280, 720]}`, 4, 0, 0},
		{"strings", `{"resolution": ["1280", "720"]}`, 4, 0, 0},
		{"one item", `{"resolution": [1280]}`, 4, 0, 0},
		{"not a list", `{"resolution": 1280}`, 4, 0, 0},
		{"too large for a float64", `{"resolution": [1e400, 720]}`, 4, 0, 0},
		{"too large for an image", `{"resolution": [1e30, 720]}`, 4, 0, 0},
		{"no resolution", `{"film_back_cm": [3.6, 2.4]}`, 4, 0, 0},
		{"camera not an object", `[1280, 720]`, 4, 0, 0},
		{"case matters", `{"Resolution": [1280, 720]}`, 4, 0, 0},
	} {
		text := `{"version": ` + string(rune('0'+c.version)) + `, "camera": ` + c.camera + `, ` + pts + `}`
		s := &format.Session{Width: 64, Height: 32}
		if _, err := formattest.ImportText(Importer, text, s); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		w, h := c.w, c.h
		if w == 0 {
			w, h = 64, 32 // the user's
		}
		if s.Width != w || s.Height != h {
			t.Errorf("%s: size %dx%d, want %dx%d", c.name, s.Width, s.Height, w, h)
		}
	}
}

// TestSizedEarly: the importer says the size is final before its
// trackers, so that the exports can start while the file is read.
func TestSizedEarly(t *testing.T) {
	for _, file := range []string{"test_v1.uv", "test_v4.uv"} {
		var sized [2]int
		emitted := 0
		s := &format.Session{Width: 100, Height: 50,
			SizeFound: func(w, h int) {
				if emitted > 0 {
					t.Errorf("%s: size announced after %d trackers", file, emitted)
				}
				sized = [2]int{w, h}
			}}
		data := readTestdata(t, file)
		s.Emit = func(*track.Tracker) error { emitted++; return nil }
		if err := Importer.Import(strings.NewReader(data), s); err != nil {
			t.Fatal(err)
		}
		if sized != [2]int{s.Width, s.Height} {
			t.Errorf("%s: announced %v, final %dx%d", file, sized, s.Width, s.Height)
		}
	}
}

func TestImportErrors(t *testing.T) {
	const v2 = `{"version": 2, "points": [`
	const v3 = `{"version": 3, "points": [`
	for _, c := range []struct {
		name, text string
		line       int
		msg        string
	}{
		// version 1
		{"first line not a count", "four\nA\n1\n1 0 0 1\n", 1, `expected the number of points, got "four"`},
		{"first line signed", "+4\nA\n1\n1 0 0 1\n", 1, `expected the number of points, got "+4"`},
		{"blank first line", "\n1\nA\n1\n1 0 0 1\n", 1, `expected the number of points, got ""`},
		{"zero points", "0\n", 1, "the file declares 0 points"},
		{"count not a number", "1\nA\nthree\n", 3, `expected the number of frames of point "A", got "three"`},
		{"count missing", "2\nA\n1\n1 0 0 1\nB\n", 6, `expected the number of frames of point "B", got the end of the file`},
		{"blank name and blank count", "2\nA\n1\n1 0 0 1\n\n\n1\n", 6, `expected the number of frames of point "", got ""`},
		{"ends inside the rows", "1\nA\n3\n1 0 0 1\n2 0 0 1\n", 6, `the file ends inside point "A" (2 of 3 frames read)`},
		{"three fields", "1\nA\n1\n1 0 0\n", 4, "expected 4 numbers (frame u v weight), got 3 fields"},
		{"five fields", "1\nA\n1\n1 0 0 1 1\n", 4, "expected 4 numbers (frame u v weight), got 5 fields"},
		{"fractional frame", "1\nA\n1\n1.5 0 0 1\n", 4, `the frame must be a whole number, got "1.5"`},
		{"frame too large", "1\nA\n1\n99999999999999999999 0 0 1\n", 4, `the frame must be a whole number, got "99999999999999999999"`},
		{"u not a number", "1\nA\n1\n1 x 0 1\n", 4, `expected a number, got "x"`},
		{"v nan", "1\nA\n1\n1 0 nan 1\n", 4, `expected a number, got "nan"`},
		{"weight inf", "1\nA\n1\n1 0 0 inf\n", 4, `expected a number, got "inf"`},
		{"v too large", "1\nA\n1\n1 0 1e999 1\n", 4, `expected a number, got "1e999"`},
		{"hex", "1\nA\n1\n1 0x1p3 0 1\n", 4, `expected a number, got "0x1p3"`},
		{"crlf line numbers", "1\r\nA\r\n1\r\n1 0 0\r\n", 4, "got 3 fields"},
		{"cr line numbers", "1\rA\r1\r1 0 0\r", 4, "got 3 fields"},
		// JSON
		{"syntax", "{\"version\": 2,\n \"points\": [}\n", 2, "not valid JSON: invalid character '}'"},
		{"NaN is not JSON", `{"version": 2, "points": [{"name": "a", "per_frame": [{"frame": 1, "pos": [NaN, 0]}]}]}`, 1, "not valid JSON"},
		{"trailing text", `{"version": 2, "points": []} x`, 1, "not valid JSON"},
		{"no version", `{"points": []}`, 0, `unsupported "version" (missing) (JSON .uv files are versions 2 to 5)`},
		{"version 1", `{"version": 1, "points": []}`, 0, `unsupported "version" 1 (JSON .uv files are versions 2 to 5)`},
		{"version 6", `{"version": 6, "points": []}`, 0, `unsupported "version" 6`},
		{"version 2.5", `{"version": 2.5, "points": []}`, 0, `unsupported "version" 2.5`},
		{"version string", `{"version": "2", "points": []}`, 0, `unsupported "version" "2"`},
		{"no points", `{"version": 2}`, 0, `"points" must be a list`},
		{"points null", `{"version": 2, "points": null}`, 0, `"points" must be a list`},
		{"points object", `{"version": 2, "points": {}}`, 0, `"points" must be a list`},
		{"point not an object", v2 + `[]]}`, 0, `point 1: expected an object with a "name" string`},
		{"point without a name", v2 + `{"name": "a"}, {"per_frame": []}]}`, 0, `point 2: expected an object with a "name" string`},
		{"name a number", v2 + `{"name": 12}]}`, 0, `point 1: expected an object with a "name" string`},
		{"per_frame an object", v2 + `{"name": "a", "per_frame": {}}]}`, 0, `point "a": "per_frame" must be a list`},
		{"entry not an object", v2 + `{"name": "a", "per_frame": [1]}]}`, 0, `point "a": every "per_frame" entry must be an object`},
		{"frame missing", v2 + `{"name": "a", "per_frame": [{"pos": [0, 0]}]}]}`, 0, `point "a": "frame" must be a whole number, got (missing)`},
		{"frame fractional", v2 + `{"name": "a", "per_frame": [{"frame": 1.5, "pos": [0, 0]}]}]}`, 0, `point "a": "frame" must be a whole number, got 1.5`},
		{"frame string", v2 + `{"name": "a", "per_frame": [{"frame": "1", "pos": [0, 0]}]}]}`, 0, `point "a": "frame" must be a whole number, got "1"`},
		{"frame too large", v2 + `{"name": "a", "per_frame": [{"frame": 1e400, "pos": [0, 0]}]}]}`, 0, `"frame" must be a whole number, got 1e400`},
		{"v2 without pos", v2 + `{"name": "a", "per_frame": [{"frame": 7, "pos_dist": [0, 0]}]}]}`, 0, `point "a", frame 7: expected "pos" as two numbers`},
		{"v3 without either", v3 + `{"name": "a", "per_frame": [{"frame": 7, "pos_dist": [0], "pos": null}]}]}`, 0, `point "a", frame 7: expected "pos_dist" or "pos" as two numbers`},
		{"pos of strings", v2 + `{"name": "a", "per_frame": [{"frame": 7, "pos": ["0", "0"]}]}]}`, 0, `point "a", frame 7: expected "pos" as two numbers`},
		{"pos too large", v2 + `{"name": "a", "per_frame": [{"frame": 7, "pos": [1e400, 0]}]}]}`, 0, `point "a", frame 7: expected "pos" as two numbers`},
		{"weight a string", v2 + `{"name": "a", "per_frame": [{"frame": 7, "pos": [0, 0], "weight": "1"}]}]}`, 0, `point "a", frame 7: "weight" must be a number`},
		{"weight too large", v2 + `{"name": "a", "per_frame": [{"frame": 7, "pos": [0, 0], "weight": 1e999}]}]}`, 0, `point "a", frame 7: "weight" must be a number`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := formattest.ImportText(Importer, c.text, &format.Session{Width: 1920, Height: 1080})
			formattest.WantParseError(t, err, id, c.line, c.msg)
		})
	}
	// A file whose first character is not '{' is read as version 1, so
	// JSON of another top level meets the JSON reader only when called.
	for _, text := range []string{`[1, 2]`, `null`, `"points"`, `12`} {
		err := importJSON(strings.NewReader(" \n"+text), &format.Session{Width: 1920, Height: 1080})
		formattest.WantParseError(t, err, id, 0, `a JSON .uv file is an object with "version" and "points"`)
		if text != `12` { // a valid count: a version 1 file without its points
			_, err = formattest.ImportText(Importer, text, &format.Session{Width: 1920, Height: 1080})
			formattest.WantParseError(t, err, id, 1, "expected the number of points")
		}
	}
	for _, text := range []string{`{} `, "\ufeff {\"points\": 1}"} {
		_, err := formattest.ImportText(Importer, text, &format.Session{Width: 1920, Height: 1080})
		formattest.WantParseError(t, err, id, 0, "unsupported \"version\"")
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportBackwards: rows listed last frame first are sorted once, not
// one insert at a time.
func TestImportBackwards(t *testing.T) {
	n := formattest.BackwardsLength
	text := formattest.Backwards("1\nA\n"+strconv.Itoa(n)+"\n", func(i int) string {
		return strconv.Itoa(i) + " 0.5 0.25 1.0\n"
	})
	got, err := formattest.ImportText(Importer, text, &format.Session{Width: 100, Height: 40})
	ks := formattest.CheckInFrameOrder(t, "v1", got, err)
	if ks[0].X != 50 || ks[0].Y != 10 {
		t.Errorf("first keyframe %+v", ks[0])
	}
}
