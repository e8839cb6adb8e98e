package jsontracks

import (
	"bytes"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func importString(t *testing.T, s string) (*format.Session, []*track.Tracker, error) {
	sess := &format.Session{}
	got, err := formattest.ImportText(Importer, s, sess)
	return sess, got, err
}

func TestRoundTripIsExact(t *testing.T) {
	ref := formattest.RefTrackers()
	// Values that only round-trip with shortest-exact formatting.
	ref[2].Keyframes = append(ref[2].Keyframes, track.Keyframe{Frame: 7, X: 0.1 + 0.2, Y: 1e-300, Residual: 1.0 / 3})
	out := formattest.ExportString(t, Exporter, format.Options{}, 1920, 1080, ref)
	s, got, err := importString(t, out)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 1920 || s.Height != 1080 {
		t.Fatalf("size %dx%d", s.Width, s.Height)
	}
	if len(got) != len(ref) {
		t.Fatalf("got %d trackers", len(got))
	}
	for i := range ref {
		if got[i].Name != ref[i].Name || len(got[i].Keyframes) != len(ref[i].Keyframes) {
			t.Fatalf("tracker %d: %q/%d", i, got[i].Name, len(got[i].Keyframes))
		}
		for j, k := range ref[i].Keyframes {
			if got[i].Keyframes[j] != k {
				t.Fatalf("tracker %d key %d: %+v != %+v", i, j, got[i].Keyframes[j], k)
			}
		}
	}
}

func TestExampleOfTheIssue(t *testing.T) {
	in := `{"width": 1920, "height": 1080, "trackers": [{"name": "Tracker1", "keyframes": [{"frame": 0, "x": 10.5, "y": 20.25, "residual": 0}]}]}`
	_, got, err := importString(t, in)
	if err != nil {
		t.Fatal(err)
	}
	out := formattest.ExportString(t, Exporter, format.Options{}, 1920, 1080, got)
	want := "{\"width\": 1920, \"height\": 1080, \"trackers\": [\n{\"name\": \"Tracker1\", \"keyframes\": [{\"frame\": 0, \"x\": 10.5, \"y\": 20.25, \"residual\": 0}]}\n]}\n"
	if out != want {
		t.Fatalf("got %q", out)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\n\"width\": 10,\n\"height\": x}", "JSON: line 3"},
		{`{"trackers": []}`, `expected "width" and "height"`},
		{`{"width": 1, "height": 1, "trackers": [{"name": "a", "keyframes": [{"x": 1, "y": 2}]}]}`, `keyframe 1: expected "frame"`},
		{`{"width": "wide", "height": 1}`, "width must be a int"},
		{`{"width": 1, "height": 1, "trackers": [{"name": "a", "keyframes": [{"frame": 1.5, "x": 1, "y": 2}]}]}`, "frame must be a int"},
	} {
		_, _, err := importString(t, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.in, err, c.want)
		}
	}
}

func TestSniff(t *testing.T) {
	for head, want := range map[string]int{
		"  {\"width\": 1, \"trackers\": []}":                                          2,
		"\ufeff{\"width\": 1920, \"height\": 1080, \"trackers\": [\n{\"name\": \"a\"": 2,
		"{\"trackers\": [{\"keyframes\": [":                                           2,
		"{\"comment\": {\"a\": [1, 2]}, \"trackers\": [{\"na":                         2, // cut in a key
		"TrackName x": 0,
		"{\"width\": \"1920\", \"trackers\": []}": 0,
		"{\"trackers\": 3}":                       0,
		"{\"trackers\": [\"a\", \"b\"]}":          0,
		"{\"trackers\": [{\"id\": 1}]}":           0,
		"{\"data\": {\"trackers\": []}}":          0,
		"[{\"trackers\": []}]":                    0,
		"{\"name\": \"shot\"}":                    0,
	} {
		if got := sniff([]byte(head)); got != want {
			t.Errorf("sniff(%q) = %d, want %d", head, got, want)
		}
	}
}

func TestNaNIsAnError(t *testing.T) {
	var buf bytes.Buffer
	e := Exporter.New(&buf, format.Options{})
	e.StartExport(1, 1)
	e.StartTracker("a")
	if err := e.ExportPoint(track.Keyframe{X: 0 * 1 / zero()}); err == nil {
		t.Fatal("NaN written")
	}
}

func zero() float64 { return 0 }

func FuzzImportJSON(f *testing.F) {
	f.Add([]byte(`{"width": 1920, "height": 1080, "trackers": [{"name": "T", "keyframes": [{"frame": 0, "x": 1, "y": 2, "residual": 0}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, Importer, data) })
}
