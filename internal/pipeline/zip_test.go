package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/pack/packtest"
)

// TestZipHoldsTheOutputs: a run into a zip packs, in exporter order, an
// entry named as each file of the same run into files, with its bytes
// (archive/zip checks each CRC-32 and size as it reads; unzip and Python
// test the zip too), and leaves nothing beside the zip: no part, no
// uncompressed copy.
func TestZipHoldsTheOutputs(t *testing.T) {
	for _, c := range []struct {
		rel  string
		w, h int
	}{
		{"nuke/one_tracker_with_break.nk", 1920, 1080},
		{"pftrack5/garage.2dt", 1920, 1080},
		{"flame_stabilizer/hugeFlameSetup.stabilizer", 0, 0},
	} {
		t.Run(filepath.Base(c.rel), func(t *testing.T) {
			src := formattest.ImportPath(t, c.rel)
			now := formattest.Clock(t, "Sun Dec 06 10:00:00 2026")
			files := t.TempDir()
			want, err := Run(context.Background(), Request{Input: src, Width: c.w, Height: c.h, OutDir: files, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			zipPath := filepath.Join(out, "all.zip")
			var packing []int
			got, err := Run(context.Background(), Request{Input: src, Width: c.w, Height: c.h, OutDir: out, Now: now,
				Zip: zipPath, Packing: func(done, total int) {
					if total != len(want.Files) {
						t.Errorf("packing %d of %d, want of %d", done, total, len(want.Files))
					}
					packing = append(packing, done)
				}})
			if err != nil {
				t.Fatal(err)
			}
			if len(packing) != len(want.Files)+1 || packing[0] != 0 || packing[len(packing)-1] != len(want.Files) {
				t.Errorf("packing told %v, want 0 to %d", packing, len(want.Files))
			}
			if got.Summary != want.Summary || got.Importer != want.Importer {
				t.Errorf("summary %+v %s, want %+v %s", got.Summary, got.Importer, want.Summary, want.Importer)
			}
			zr, err := zip.OpenReader(zipPath)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if len(zr.File) != len(want.Files) || len(got.Files) != len(want.Files) {
				t.Fatalf("zip holds %d entries, the result names %d, the files are %d", len(zr.File), len(got.Files), len(want.Files))
			}
			for i, f := range zr.File {
				name := filepath.Base(want.Files[i])
				if f.Name != name || got.Files[i] != name || f.Method != zip.Deflate || !f.Modified.Equal(now()) {
					t.Errorf("entry %d: %s (result %s, method %d, %v), want %s deflated at %v", i, f.Name, got.Files[i], f.Method, f.Modified, name, now())
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				file, _ := os.ReadFile(want.Files[i])
				if !bytes.Equal(b, file) {
					t.Errorf("%s: %d bytes in the zip, %d in the file", f.Name, len(b), len(file))
				}
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("beside the zip: %v", names)
			}
			packtest.CheckWithTools(t, zipPath)
		})
	}
}

// TestZipOutputLimit: the byte budget counts the outputs before
// compression: a budget that their zip fits in many times over, but that
// they do not, fails the run, which leaves no zip and no part.
func TestZipOutputLimit(t *testing.T) {
	dir := t.TempDir()
	in := writeJSON(t, dir, "ref.json", 1920, 1080, formattest.RefTrackers())
	now := formattest.Clock(t, "Sun Dec 06 10:00:00 2026")
	files := t.TempDir()
	res, err := Run(context.Background(), Request{Input: in, OutDir: files, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range res.Files {
		st, _ := os.Stat(f)
		total += st.Size()
	}
	for _, limit := range []int64{total, total - 1} {
		out := t.TempDir()
		zipPath := filepath.Join(out, "all.zip")
		_, err := Run(context.Background(), Request{Input: in, OutDir: out, Now: now, OutputLimit: limit, Zip: zipPath})
		if limit == total {
			if st, serr := os.Stat(zipPath); err != nil || serr != nil || st.Size() >= total/2 {
				t.Errorf("limit %d, all the outputs: %v, %v", limit, err, serr)
			}
			continue
		}
		if err == nil || userCode(err) != format.CodeOutputLimit {
			t.Errorf("limit %d of %d bytes: error %v, want the output limit's", limit, total, err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("limit %d: the failed run left %d files", limit, len(entries))
		}
	}
}
