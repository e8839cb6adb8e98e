package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/tools"
)

// TestEveryOutputEqualsItsSingleFormatRun converts every importable corpus
// file three ways: once to every format (json included), once per format
// alone with every tracker sent keyframe by keyframe, and once to every
// format behind tools that change nothing. The chains of a multi-format
// run take other paths than a single-format run sent point by point
// (whole trackers handed over, trackers let go once written), and tools
// take yet another (one tools stage and Lint, whose output the chains
// read), so the three runs must give the same bytes. Every output of the
// first run is also read back to show that it holds no tracker without
// keyframes (FORMATS.md §1.7).
func TestEveryOutputEqualsItsSingleFormatRun(t *testing.T) {
	shared := formattest.SharedDir(t)
	root := filepath.Join(shared, "corpus", "import")
	var ids []string
	for _, e := range formats.Exporters() {
		ids = append(ids, e.ID)
	}
	if len(ids) != 23 {
		t.Fatalf("%d exporters, want the 21 formats, json and mmsolver", len(ids))
	}
	noChange := []tools.Spec{
		{Name: "Shift", Params: tools.Values{"x_shift": "0", "y_shift": "0"}},
		{Name: "Slipper", Params: tools.Values{"slip": "0"}},
	}
	now := formattest.Clock(t, "Sun Dec 06 10:00:00 2026")
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		exp := formattest.LoadExpected(t, rel)
		if exp.Error != "" {
			return nil
		}
		n++
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			w, h := exp.Size()
			req := Request{Input: p, Width: w, Height: h, Now: now}
			all, single, tooled := t.TempDir(), t.TempDir(), t.TempDir()
			run := func(dir string, exporters []string, specs []tools.Spec) *Result {
				t.Helper()
				r := req
				r.OutDir, r.Exporters, r.Tools = dir, exporters, specs
				r.pointByPoint = dir == single
				res, err := Run(context.Background(), r)
				if err != nil {
					t.Fatalf("%v with %v: %v", exporters, specs, err)
				}
				return res
			}
			res := run(all, ids, nil)
			run(tooled, ids, noChange)
			for _, id := range ids {
				run(single, []string{id}, nil)
			}
			if len(res.Files) != len(ids) {
				t.Fatalf("%d files written, want %d", len(res.Files), len(ids))
			}
			_, want := readJSON(t, res.Files[indexOf(ids, "json")])
			for i, f := range res.Files {
				name := filepath.Base(f)
				a := readFile(t, f)
				if b := readFile(t, filepath.Join(single, name)); !bytes.Equal(a, b) {
					t.Errorf("%s: the run of every format differs from the run of %s alone:\n%s", name, ids[i], firstDiff(a, b))
				}
				if c := readFile(t, filepath.Join(tooled, name)); !bytes.Equal(a, c) {
					t.Errorf("%s: tools that change nothing change the output:\n%s", name, firstDiff(a, c))
				}
				checkNoEmptyTrackers(t, ids[i], f, res, len(want))
			}
		})
		return nil
	})
	if n < 60 {
		t.Fatalf("only %d importable corpus files under %s", n, root)
	}
}

func indexOf(ids []string, id string) int {
	for i, s := range ids {
		if strings.EqualFold(s, id) {
			return i
		}
	}
	return -1
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstDiff shows the first line where a and b part.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y || i >= len(la) || i >= len(lb) {
			return fmt.Sprintf("line %d:\n  %s\nvs\n  %s\n(%d lines vs %d)", i+1, clip(x), clip(y), len(la), len(lb))
		}
	}
	return "(same lines)"
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// readBack lists the keyframe count of every tracker an output holds, by
// the output's own structure: its importer where the project has one, the
// lines that open a tracker and write a key in the generated scripts.
var readBack = map[string]struct {
	importer string // read back with this importer
	open     string // else: a line with this prefix opens a tracker,
	key      string // and a line with this one writes one keyframe
	// some: the output holds some of the trackers (the corner pin
	// setups keep four, §5.8), else every one.
	some bool
}{
	"equalizer3":                   {importer: "equalizer3"},
	"equalizer4":                   {importer: "equalizer4"},
	"flamestabilizer":              {importer: "flamestabilizer"},
	"flamestabilizer2014":          {importer: "flamestabilizer"},
	"flamestabilizer2014cornerpin": {importer: "flamestabilizer", some: true},
	"flamestabilizercornerpin":     {importer: "flamestabilizer", some: true},
	"json":                         {importer: "json"},
	"mmsolver":                     {importer: "mmsolver"},
	"matchmover":                   {importer: "matchmover"},
	"mayalive":                     {importer: "mayalive"},
	"nukescript":                   {importer: "nukescript"},
	"nukecamerausertracks":         {importer: "shaketext"},
	"pftrack4":                     {importer: "pftrack"},
	"pftrack5":                     {importer: "pftrack"},
	"pfmatchit":                    {importer: "pftrack"},
	"shaketext":                    {importer: "shaketext"},
	"syntheyes":                    {importer: "syntheyes"},
	"boujou":                       {importer: "boujou"},
	"ae":                           {open: "var layer", key: "pos.setValueAtTime("},
	"maxscript":                    {open: "-- Data for tracker ", key: "at time "},
	"xsi":                          {open: "# Data for tracker ", key: "Application.SaveKeyOnKeyable("},
	"ruby":                         {open: "trackers << Tracksperanto::Tracker.new(", key: "  t.keyframe!("},
	"mayalocators":                 {open: "spaceLocator ", key: "setKeyframe "},
}

// checkNoEmptyTrackers reads an output back and fails if a tracker in it
// has no keyframe, or if it holds another number of trackers than the
// conversion wrote.
func checkNoEmptyTrackers(t *testing.T, id, path string, res *Result, trackers int) {
	t.Helper()
	rb, ok := readBack[strings.ToLower(id)]
	if !ok {
		t.Errorf("%s: no way to read back %s outputs: add it to readBack", id, filepath.Base(path))
		return
	}
	var counts []int
	if rb.importer != "" {
		imp, err := formats.LookupImporter(rb.importer)
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := formattest.ImportFile(t, imp, path, res.Width, res.Height)
		if err != nil {
			t.Errorf("%s: reading back with %s: %v", filepath.Base(path), imp.ID, err)
			return
		}
		for _, tr := range got {
			counts = append(counts, tr.Len())
		}
	} else {
		counts = scriptCounts(t, path, rb.open, rb.key)
	}
	for i, c := range counts {
		if c == 0 {
			t.Errorf("%s: tracker %d of %d has no keyframes", filepath.Base(path), i+1, len(counts))
		}
	}
	if !rb.some && len(counts) != trackers {
		t.Errorf("%s: holds %d trackers, the conversion wrote %d", filepath.Base(path), len(counts), trackers)
	}
	if rb.some && (len(counts) == 0 || len(counts) > trackers) {
		t.Errorf("%s: holds %d trackers of %d", filepath.Base(path), len(counts), trackers)
	}
}

// scriptCounts counts the key lines under each tracker-opening line.
func scriptCounts(t *testing.T, path, open, key string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var counts []int
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, open):
			counts = append(counts, 0)
		case strings.HasPrefix(line, key):
			if len(counts) == 0 {
				t.Fatalf("%s: a keyframe before any tracker: %q", filepath.Base(path), line)
			}
			counts[len(counts)-1]++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}
