package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/formats/jsontracks"
)

var converterBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "converter-test")
	if err != nil {
		panic(err)
	}
	converterBin = filepath.Join(dir, "converter")
	if out, err := exec.Command("go", "build", "-o", converterBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building converter: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type run struct {
	stdout, stderr string
	code           int
}

func converter(t *testing.T, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(converterBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return run{out.String(), errb.String(), code}
}

// refJSON writes the reference tracks of FORMATS.md §6 as tracks.json.
func refJSON(t *testing.T, dir string) string {
	p := filepath.Join(dir, "tracks.json")
	data := formattest.ExportString(t, jsontracks.Exporter, format.Options{}, formattest.RefWidth, formattest.RefHeight, formattest.RefTrackers())
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReferencesThroughTheProgram: each reference made from the reference
// tracks comes out of the converter identical, byte for byte.
func TestReferencesThroughTheProgram(t *testing.T) {
	formattest.SharedDir(t)
	refs := []struct{ exporter, ref, date string }{
		{"equalizer3", "ref_equalizer3.txt", ""},
		{"equalizer4", "ref_equalizer.txt", ""},
		{"ae", "ref_AfterEffects.jsx", ""},
		{"maxscript", "ref_Maxscript.ms", ""},
		{"xsi", "ref_XSI.py", ""},
		{"ruby", "ref_Ruby.rb", ""},
		{"flamestabilizer", "ref_flame.stabilizer", "Thu Feb 18 17:22:12 2010"},
		{"flamestabilizercornerpin", "ref_flameCornerpin.stabilizer", "Thu Feb 18 17:22:12 2010"},
		{"flamestabilizer2014", "ref_flame_2014.stabilizer", "Sat Feb 22 11:03:00 2014"},
		{"matchmover", "ref_matchmover.rz2", ""},
		{"mayalocators", "ref_MayaLocators.ma", ""},
		{"mayalive", "ref_Mayalive.txt", ""},
		{"nukescript", "ref_NukeScript.nk", ""},
		{"nukecamerausertracks", "ref_NukeCameraTrackerUsertracks.txt", ""},
		{"pfmatchit", "ref_PFMatchit.2dt", ""},
		{"pftrack4", "ref_PFTrack.2dt", ""},
		{"pftrack5", "ref_PFTrack5.2dt", ""},
		{"shaketext", "ref_ShakeText.txt", ""},
		{"syntheyes", "ref_Syntheyes.txt", ""},
		{"boujou", "ref_boujou.txt", "Thu Apr 15 17:21:26 2010"},
		{"mmsolver", "ref_mmsolver.uv", ""},
	}
	in := refJSON(t, t.TempDir())
	for _, r := range refs {
		t.Run(r.ref, func(t *testing.T) {
			out := t.TempDir()
			env := []string{"TZ=UTC"}
			if r.date != "" {
				d, err := time.ParseInLocation(format.DateLayout, r.date, time.UTC)
				if err != nil {
					t.Fatal(err)
				}
				env = append(env, fmt.Sprintf("SOURCE_DATE_EPOCH=%d", d.Unix()))
			}
			res := converter(t, env, "--from", "json", "--only", r.exporter, "--out", out, in)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			e, _ := formats.LookupExporter(r.exporter)
			got, err := os.ReadFile(filepath.Join(out, "tracks_"+e.Suffix))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(formattest.ExportPath(t, r.ref))
			if err != nil {
				t.Fatal(err)
			}
			formattest.CompareText(t, r.ref, string(got), string(want))
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Fatalf("--only wrote %d files", len(entries))
			}
		})
	}
}

func TestJSONRoundTripThroughTheProgram(t *testing.T) {
	dir := t.TempDir()
	in := refJSON(t, dir)
	out := t.TempDir()
	res := converter(t, nil, "--only", "json", "--out", out, in)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	a, _ := os.ReadFile(in)
	b, err := os.ReadFile(filepath.Join(out, "tracks_tracks.json"))
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("round trip differs (%v)", err)
	}
}

func TestListsAndVersion(t *testing.T) {
	res := converter(t, nil, "--list-exporters")
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	if res.code != 0 || lines[0] != "The following export modules are available:" || len(lines) != 24 {
		t.Fatalf("exit %d, %d lines:\n%s", res.code, len(lines), res.stderr)
	}
	for _, want := range []string{"\t\"json\" - ", "\t\"mmsolver\" - mmSolver UV Track .uv file (v1)", "\t\"nukescript\" - Nuke .nk script", "\t\"flamestabilizer2014cornerpin\" - "} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("exporter list lacks %q", want)
		}
	}
	res = converter(t, nil, "--list-importers")
	if res.code != 0 || !strings.Contains(res.stderr, "The following import modules are available:\n\t\"equalizer3\" - 3DE v3 point export file\n") {
		t.Fatalf("importer list:\n%s", res.stderr)
	}
	if res := converter(t, nil, "--version"); res.code != 0 || !strings.HasPrefix(res.stdout, "converter v.") {
		t.Fatalf("version: %+v", res)
	}
}

func TestErrorsAreOneLineAndNonZero(t *testing.T) {
	dir := t.TempDir()
	foo := filepath.Join(dir, "input.txt")
	os.WriteFile(foo, []byte("foo\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "No input file provided - should be the last argument. Also use the --help option."},
		{[]string{filepath.Join(dir, "missing.nk")}, 1, "Input file " + filepath.Join(dir, "missing.nk") + " does not exist"},
		{[]string{foo}, 1, "Unknown input format"},
		{[]string{"--only", "gif", foo}, 2, `Unknown exporter "gif"`},
		{[]string{"--from", "maya", foo}, 2, `Unknown importer "maya"`},
		{[]string{"--xscale", "abc", foo}, 2, "xscale"},
	} {
		res := converter(t, nil, c.args...)
		first := strings.SplitN(res.stderr, "\n", 2)[0]
		if res.code != c.code || !strings.Contains(first, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", c.args, res.code, res.stderr, c.code, c.msg)
		}
	}
	// The unknown exporter message is followed by the list, as in the original.
	if res := converter(t, nil, "--only", "gif", foo); !strings.Contains(res.stderr, "The following export modules are available:") {
		t.Errorf("no exporter list after an unknown exporter:\n%s", res.stderr)
	}
}

func TestHelpDocumentsEveryToolFlag(t *testing.T) {
	res := converter(t, nil, "--help")
	for _, f := range []string{"xscale", "yscale", "slip", "trim", "golden", "min-length", "prefix", "autoslip", "lerp",
		"flip", "flop", "reformat-x", "reformat-y", "xshift", "yshift", "pad", "crop", "undistort", "distort",
		"from", "width", "height", "only", "out", "list-importers", "list-exporters", "version"} {
		if !strings.Contains(res.stderr, "-"+f) {
			t.Errorf("--help does not mention --%s", f)
		}
	}
	if res.code != 0 {
		t.Errorf("--help exit %d", res.code)
	}
}

// TestFlameCLIFacts is the CLI conformance fact of FORMATS.md §8.1.
func TestFlameCLIFacts(t *testing.T) {
	src := formattest.ImportPath(t, "flame_stabilizer/fromCombustion_fromMidClip_wSnap.stabilizer")
	dir := t.TempDir()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	flm := filepath.Join(dir, "flm.stabilizer")
	os.WriteFile(flm, data, 0o644)
	res := converter(t, nil, flm)
	if res.code != 0 || !strings.Contains(res.stdout, "Found and converted 1 trackers with 232 keyframes") {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	want := strings.Fields(`flm.stabilizer flm_3de_v3.txt flm_3de_v4.txt
  flm_boujou_text.txt flm_flame.stabilizer flm_matchmover.rz2 flm_mayalive.txt flm_nuke.nk
  flm_pftrack_2011_pfmatchit.txt flm_pftrack_v4.2dt flm_pftrack_v5.2dt flm_shake_trackers.txt
  flm_syntheyes_2dt.txt flm_flame_cornerpin.stabilizer flm_tracksperanto_ruby.rb
  flm_mayaLocators.ma flm_createNulls.jsx flm_xsi_nulls.py flm_nuke_cam_trk_autotracks.txt
  flm_3dsmax_nulls.ms flm_flamesmoke_2014_cornerpin.stabilizer flm_flamesmoke2014.stabilizer`)
	sort.Strings(want)
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("folder holds\n%v\nwant\n%v", got, want)
	}
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, "flm.stabilizer"), data, 0o644)
	if res := converter(t, nil, "--only", "syntheyes", filepath.Join(dir2, "flm.stabilizer")); res.code != 0 {
		t.Fatal(res.stderr)
	}
	if entries, _ := os.ReadDir(dir2); len(entries) != 2 || entries[1].Name() != "flm_syntheyes_2dt.txt" {
		t.Fatalf("--only syntheyes wrote %v", entries)
	}
	// Slipping everything below frame 0 and trimming leaves nothing.
	if res := converter(t, nil, "--slip", "-8000", "--trim", filepath.Join(dir2, "flm.stabilizer")); res.code == 0 || !strings.Contains(res.stderr, "There were no trackers exported") {
		t.Fatalf("slip+trim: exit %d %s", res.code, res.stderr)
	}
}

// TestToolChainEqualsOneByOne: a chain of tools through the program equals
// applying them one at a time, each run reading the previous output.
func TestToolChainEqualsOneByOne(t *testing.T) {
	dir := t.TempDir()
	in := refJSON(t, dir)
	steps := [][]string{{"--xshift", "12.5"}, {"--slip", "3"}, {"--flop"}, {"--prefix", "cam"}, {"--min-length", "5"}, {"--reformat-x", "960"}}
	var all []string
	for _, s := range steps {
		all = append(all, s...)
	}
	chained := t.TempDir()
	args := append(append([]string{"--only", "json", "--out", chained}, all...), in)
	if res := converter(t, nil, args...); res.code != 0 {
		t.Fatal(res.stderr)
	}
	cur := in
	for i, s := range steps {
		out := filepath.Join(dir, fmt.Sprintf("step%d", i))
		args := append(append([]string{"--only", "json", "--out", out}, s...), cur)
		if res := converter(t, nil, args...); res.code != 0 {
			t.Fatalf("step %v: %s", s, res.stderr)
		}
		next := filepath.Join(out, fmt.Sprintf("s%d.json", i))
		os.Rename(filepath.Join(out, strings.TrimSuffix(filepath.Base(cur), ".json")+"_tracks.json"), next)
		cur = next
	}
	a, _ := os.ReadFile(filepath.Join(chained, "tracks_tracks.json"))
	b, _ := os.ReadFile(cur)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("chained output differs from step-by-step output:\n%s\n---\n%s", a, b)
	}
}
