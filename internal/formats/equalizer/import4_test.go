package equalizer

import (
	"testing"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestImport4Corpus(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "3de_v4") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, Import4, rel) })
	}
}

// TestImport4Facts asserts FORMATS.md §8.1 and §8.2 for the v4 sample.
func TestImport4Facts(t *testing.T) {
	s, got, err := formattest.ImportFile(t, Import4, formattest.ImportPath(t, "3de_v4/3de_export_cube.txt"), 1024, 512)
	if err != nil {
		t.Fatal(err)
	}
	if Import4.AutoSize || s.Width != 1024 || s.Height != 512 {
		t.Errorf("autosize %v, size %dx%d: want the given 1024x512 kept", Import4.AutoSize, s.Width, s.Height)
	}
	if len(got) != 8 {
		t.Fatalf("%d trackers, want 8", len(got))
	}
	first := got[0]
	if first.Name != "01" || first.Len() != 61 {
		t.Errorf("first tracker %q with %d keyframes, want 01 with 61", first.Name, first.Len())
	}
	k := first.Keyframes[0]
	if k.Frame != 39 || !near(k.X, 407.384758225105315, 0.001) || !near(k.Y, 232.449011732690479, 0.001) {
		t.Errorf("first keyframe %+v, want frame 39 x 407.3848 y 232.4490", k)
	}
	k = first.Keyframes[first.Len()-1]
	if k.Frame != 99 || !near(k.X, 397.5279, 0.0001) || !near(k.Y, 363.6862, 0.0001) {
		t.Errorf("last keyframe %+v, want frame 99 x 397.5279 y 363.6862", k)
	}
	if last := got[7]; last.Name != "08" || last.Len() != 100 {
		t.Errorf("last tracker %q with %d keyframes, want 08 with 100", last.Name, last.Len())
	}
}

func TestImport4Rules(t *testing.T) {
	text := "\n\n3\r\n" +
		"My Point\r\n" +
		"5\r\n" +
		"2\r\n" +
		"\r\n" + // blank lines between keyframes are skipped
		"  10 1.5 -2.5 trailing\r\n" +
		"10 3e1 -4\r\n" + // frame 10 again: last one wins
		"\n" + // a blank name line is a name
		"0\n" +
		"0\n" +
		"c\n" +
		"0\n" +
		"1\n" +
		"1 2 3\n" +
		"ignored after the last tracker\n"
	_, got, err := importString(t, Import4, text, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []*track.Tracker{
		{Name: "My_Point", Keyframes: []track.Keyframe{{Frame: 9, X: 30, Y: -4}}},
		{Name: "", Keyframes: nil},
		{Name: "c", Keyframes: []track.Keyframe{{Frame: 0, X: 2, Y: 3}}},
	}
	formattest.CompareTrackers(t, got, want)
}

func TestImport4Errors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		line       int
		words      []string
	}{
		{"empty", "\n \n", 2, []string{"ends", "number of trackers"}},
		{"garbage", "hello world\n", 1, []string{"number of trackers", `"hello world"`}},
		{"too few keyframes", "1\nA\n0\n3\n1 2 3\n2 3 4\n", 6, []string{"ends", "after 2 of the 3 keyframes", `"A"`}},
		{"too few trackers", "2\nA\n0\n1\n1 2 3\n", 5, []string{"ends", "tracker 2 of the 2"}},
		{"no colour", "1\nA\n", 2, []string{"ends", "colour"}},
		{"no count", "1\nA\n0\n", 3, []string{"ends", "number of keyframes"}},
		{"bad count", "1\nA\n0\nmany\n", 4, []string{"number of keyframes", `"many"`}},
		{"bad keyframe", "1\nA\n0\n2\n1 2 3\n2 2,5 3\n", 6, []string{"keyframe 2 of 2", "frame x y", `"2 2,5 3"`}},
		{"short keyframe", "1\nA\n0\n1\n1 2\n", 5, []string{"keyframe 1 of 1"}},
		{"signed frame", "1\nA\n0\n1\n-1 2 3\n", 5, []string{"keyframe 1 of 1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importString(t, Import4, c.text, 1, 1)
			formattest.WantParseError(t, err, "Equalizer4", c.line, c.words...)
		})
	}
}

// TestImport4HugeCount makes sure an absurd keyframe count costs nothing
// before the file runs out.
func TestImport4HugeCount(t *testing.T) {
	_, _, err := importString(t, Import4, "99999999999999999999\nA\n0\n99999999999999999999\n1 2 3\n", 1, 1)
	formattest.WantParseError(t, err, "Equalizer4", 5, "ends")
}

func FuzzImport4(f *testing.F) {
	formattest.Seed(f, "3de_v4")
	f.Add([]byte("1\nA\n0\n2\n1 2 3\n2 3 4\n"))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Import4, data) })
}
