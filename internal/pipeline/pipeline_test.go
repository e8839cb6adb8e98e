package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/formats/jsontracks"
	"tracksgo/internal/tools"
	"tracksgo/internal/track"
)

// writeJSON writes trackers as a tracks.json file and returns its path.
func writeJSON(t testing.TB, dir, name string, w, h int, trackers []*track.Tracker) string {
	t.Helper()
	p := filepath.Join(dir, name)
	data := formattest.ExportString(t, jsontracks.Exporter, format.Options{}, w, h, trackers)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readJSON reads trackers back from a tracks.json output.
func readJSON(t testing.TB, path string) (*format.Session, []*track.Tracker) {
	t.Helper()
	s, got, err := formattest.ImportFile(t, jsontracks.Importer, path, 0, 0)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s, got
}

func userCode(err error) string {
	var ue *format.UserError
	if errors.As(err, &ue) {
		return ue.Code
	}
	return ""
}

func TestUserErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	for _, c := range []struct {
		name string
		req  Request
		code string
		msg  string
	}{
		{"blacklisted", Request{Input: write("shot.MOV", "x")}, format.CodeUnsupportedFormat, "We do not support movie file formats."},
		{"office", Request{Input: write("tracks.pptx", "x")}, format.CodeUnsupportedFormat, "You need a drink."},
		{"empty", Request{Input: write("e.stabilizer", "")}, format.CodeEmptySourceFile, "This is an empty source file"},
		{"unknown", Request{Input: write("input.txt", "foo\n")}, format.CodeUnknownFormat, "Unknown input format"},
		{"unknown with size", Request{Input: write("input2.txt", "foo\n"), Width: 10, Height: 10}, format.CodeUnknownFormat, "Unknown input format"},
		{"dimensions by extension", Request{Input: write("input.shk", "x = 1;\n")}, format.CodeDimensionsRequired, "Width and height must be provided for this importer"},
		{"dimensions by name", Request{Input: write("input3.txt", "foo\n"), Importer: "syntheyes"}, format.CodeDimensionsRequired, "Width and height must be provided"},
		{"unknown importer", Request{Input: write("a.txt", "x"), Importer: "maya"}, format.CodeUnknownImporter, `Unknown importer "maya"`},
		{"unknown exporter", Request{Input: write("b.json", "x"), Exporters: []string{"gif"}}, format.CodeUnknownExporter, `Unknown exporter "gif"`},
		{"nothing recovered", Request{Input: write("c.stabilizer", "xx")}, format.CodeNoTrackersRecovered, "Could not recover any non-empty trackers from this file.\nWrong import format maybe?\n"},
		{"snags", Request{Input: write("d.stabilizer", "xx"), Importer: "ShakeScript", Width: 2910, Height: 1080}, format.CodeNoTrackersRecovered, "Also note that this particular format (Shake script) has the following snags: Expressions in node parameters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.req)
			if userCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v (code %q), want %s containing %q", err, userCode(err), c.code, c.msg)
			}
		})
	}
}

func TestEveryDefaultExporterWritesOneFile(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "flm.json", formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
	res, err := Run(context.Background(), Request{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	if res.Trackers != 3 || res.Keyframes != 39 || res.FirstFrame != 0 || res.LastFrame != 20 || res.Importer != "JSON" {
		t.Fatalf("unexpected result %+v", res)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	var want []string
	for _, e := range formats.DefaultExporters() {
		want = append(want, "flm_"+e.Suffix)
	}
	if len(res.Files) != 21 || len(names) != 22 {
		t.Fatalf("wrote %d files, folder holds %v", len(res.Files), names)
	}
	for i, f := range res.Files {
		if filepath.Base(f) != want[i] {
			t.Fatalf("file %d is %s, want %s", i, f, want[i])
		}
	}
}

func TestFailureLeavesNoOutputAndKeepsExistingFiles(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "in.json", 100, 100, formattest.RefTrackers())
	existing := filepath.Join(dir, "in_nuke.nk")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	// Slipping every keyframe below 0 and trimming leaves nothing: Lint fails.
	_, err := Run(context.Background(), Request{Input: in, Tools: []tools.Spec{
		{Name: "slipper", Params: tools.Values{"slip": "-8000"}}, {Name: "StartTrim"}}})
	if err == nil || err.Error() != "There were no trackers exported" {
		t.Fatalf("got %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("folder holds %d entries after a failure, want the input and the old file", len(entries))
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatalf("existing output was touched: %q", b)
	}
}

func TestProgressSequence(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "p.json", 1920, 1080, formattest.RefTrackers())
	type rep struct {
		p int
		m string
	}
	var got []rep
	_, err := Run(context.Background(), Request{Input: in, Exporters: []string{"nukescript"},
		Progress: func(p int, m string) { got = append(got, rep{p, m}) }})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != (rep{0, "Starting the parser"}) {
		t.Fatalf("first report %+v", got[0])
	}
	i := 0
	for i < len(got) && got[i].m != "Starting export" {
		i++
	}
	if i == len(got) || got[i-1] != (rep{50, "Validating 3 imported trackers"}) || got[i].p != 50 {
		t.Fatalf("no validation/export start at 50%%: %+v", got)
	}
	if got[i+1].m != `Writing keyframe 1 of "Parabolic_1_from_top_left", 3 trackers to go` {
		t.Fatalf("first keyframe report %+v", got[i+1])
	}
	last := got[len(got)-1]
	if last != (rep{100, "Wrote 3 points and 39 keyframes"}) {
		t.Fatalf("last report %+v", last)
	}
	prev := 0
	for _, r := range got {
		if r.p < prev || r.p > 100 {
			t.Fatalf("percent went from %d to %d", prev, r.p)
		}
		prev = r.p
	}
}

func TestToolsApplyInOrder(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "t.json", 100, 100, []*track.Tracker{{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 10, Y: 10}, {Frame: 1, X: 20, Y: 20}}}})
	res, err := Run(context.Background(), Request{Input: in, Exporters: []string{"json"}, Tools: []tools.Spec{
		{Name: "shift", Params: tools.Values{"x_shift": "5"}},
		{Name: "scaler", Params: tools.Values{"x_factor": "2", "y_factor": "1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, got := readJSON(t, res.Files[0])
	if s.Width != 200 || got[0].Keyframes[0].X != 30 || got[0].Keyframes[1].X != 50 {
		t.Fatalf("shift then scale: size %d, got %+v", s.Width, got[0].Keyframes)
	}
}

func TestNameKeepsUserFileName(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "upload-1234", 10, 10, formattest.RefTrackers())
	res, err := Run(context.Background(), Request{Input: in, Name: `C:\shots\plate.v2.json`, Exporters: []string{"shaketext", "json"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, filepath.Base(f))
	}
	if !reflect.DeepEqual(names, []string{"plate.v2_tracks.json", "plate.v2_shake_trackers.txt"}) && !reflect.DeepEqual(names, []string{"plate.v2_shake_trackers.txt", "plate.v2_tracks.json"}) {
		t.Fatalf("names %v", names)
	}
}

func TestCancelled(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "c.json", 10, 10, formattest.RefTrackers())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Request{Input: in}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("cancelled run left %d files", len(entries))
	}
}

// Outputs are created readable by all, less the umask, as any file the
// user makes (they are created by hand, not by os.CreateTemp's 0600).
func TestOutputsFollowTheUmask(t *testing.T) {
	for _, c := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}} {
		old := syscall.Umask(c.umask)
		dir := t.TempDir()
		in := writeJSON(t, dir, "in.json", 100, 100, formattest.RefTrackers())
		res, err := Run(context.Background(), Request{Input: in, Exporters: []string{"nukescript", "syntheyes"}})
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != c.want {
				t.Errorf("umask %03o: %s is %v, want %v", c.umask, filepath.Base(f), fi.Mode().Perm(), c.want)
			}
		}
	}
}
