package runner

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/jobs"
)

// seenStatus is one status a run published.
type seenStatus struct {
	state   jobs.State
	percent int
	message string
}

// TestProgressIsOneBar: a run's bar starts at 0, never goes back, goes
// through packing (writeEnd to packedAt), and is 100 % in the done state
// only, which comes last.
func TestProgressIsOneBar(t *testing.T) {
	files := []struct {
		name    string
		content func(t *testing.T) []byte
		opts    jobs.Options
	}{
		{"tiny.json", tiny, jobs.Options{}},
		{"garage.2dt", func(t *testing.T) []byte {
			b, err := os.ReadFile(formattest.ImportPath(t, "pftrack5/garage.2dt"))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, jobs.Options{Width: 1920, Height: 1080}},
	}
	for _, file := range files {
		t.Run(file.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{})
			job := f.queue(t, file.name, file.content(t), file.opts)
			var mu sync.Mutex
			var seen []seenStatus
			r := &Runner{Config: f.cfg, Store: f.store, Log: f.log, seen: func(s jobs.State, p int, m string) {
				mu.Lock()
				seen = append(seen, seenStatus{s, p, m})
				mu.Unlock()
			}}
			if err := r.Run(context.Background(), job.LeaseOf()); err != nil {
				t.Fatal(err)
			}
			if len(seen) < 3 || seen[0].percent != 0 {
				t.Fatalf("statuses %v, want a start at 0 %%", seen)
			}
			last := seen[len(seen)-1]
			if last.state != jobs.Done || last.percent != 100 {
				t.Errorf("last status %+v, want done at 100 %%", last)
			}
			packing := 0
			for i, s := range seen[:len(seen)-1] {
				if s.state != jobs.Running || s.percent >= 100 {
					t.Errorf("status %d %+v: want running below 100 %% before done", i, s)
				}
				if i > 0 && s.percent < seen[i-1].percent {
					t.Errorf("status %d went back: %d %% after %d %% (%q after %q)", i, s.percent, seen[i-1].percent, s.message, seen[i-1].message)
				}
				if strings.HasPrefix(s.message, "Packing the files into one zip") {
					packing++
					if s.percent < writeEnd || s.percent > packedAt {
						t.Errorf("%q at %d %%, want %d to %d", s.message, s.percent, writeEnd, packedAt)
					}
				}
			}
			// The start, and one per output (the default exporters).
			if packing < 2 {
				t.Errorf("%d packing statuses in %v", packing, seen)
			}
		})
	}
}

// TestBarMapsThePhases: the pipeline's reading (0-50 %) and writing
// (50-100 %) and the packing take their shares of the bar, in order; the
// pipeline's last word after packing does not move it, and nothing
// reaches 100.
func TestBarMapsThePhases(t *testing.T) {
	var got []int
	b := &bar{set: func(p int, _ string) { got = append(got, p) }}
	b.step(0, "Starting the conversion")
	b.convert(0, "Starting the parser")
	b.convert(25, "Parsing the file")
	b.convert(50, "Starting export")
	b.convert(75, "Writing keyframe")
	b.convert(60, "a late lower report") // the status writer's rule too
	b.convert(100, "Writing keyframe")
	b.pack(0, 4)
	b.pack(2, 4)
	b.convert(100, "Wrote 3 points and 36 keyframes")
	b.pack(4, 4)
	b.step(packedAt, "Saving the results")
	b.step(100, "no step of the runner's says done")
	mid := readEnd + (writeEnd-readEnd)/2
	want := []int{0, 0, readEnd / 2, readEnd, mid, mid, writeEnd, writeEnd, (writeEnd + packedAt) / 2, packedAt, packedAt, packedAt}
	if !slices.Equal(got, want) {
		t.Errorf("bar %v, want %v", got, want)
	}
}

// BenchmarkPhases measures the share of a job's time that each phase of
// its bar takes, on three corpus files: a small one, the largest outputs
// (nuke/45trackers.nk, 192 MB in 21 formats) and a large PFTrack file.
// The shares set readEnd, writeEnd and packedAt (progress.go).
func BenchmarkPhases(b *testing.B) {
	for _, rel := range []string{"nuke/one_tracker_with_break.nk", "nuke/45trackers.nk", "pftrack5/garage.2dt"} {
		name := rel[strings.LastIndexByte(rel, '/')+1:]
		b.Run(name, func(b *testing.B) {
			content, err := os.ReadFile(formattest.ImportPath(b, rel))
			if err != nil {
				b.Fatal(err)
			}
			w, h := formattest.LoadExpected(b, rel).Size()
			if w == 0 {
				w, h = 1920, 1080
			}
			f := newFixture(b, map[string]string{})
			job := f.queue(b, name, content, jobs.Options{Width: w, Height: h})
			r := &Runner{Config: f.cfg, Store: f.store, Log: f.log}
			var shares [4]float64
			run := 0
			for b.Loop() {
				run++
				start := time.Now()
				var marks [3]time.Time // reading, writing and packing done
				bar := &bar{set: func(p int, m string) {
					now := time.Now()
					switch {
					case p >= readEnd && marks[0].IsZero():
						marks[0] = now
					case strings.HasPrefix(m, "Packing") && marks[1].IsZero():
						marks[1] = now
					case m == "Saving the results":
						marks[2] = now
					}
				}}
				if _, err := r.convert(context.Background(), job, run, f.log, bar); err != nil {
					b.Fatal(err)
				}
				end := time.Now()
				total := end.Sub(start).Seconds()
				prev := start
				for i, m := range append(marks[:], end) {
					shares[i] += m.Sub(prev).Seconds() / total
					prev = m
				}
			}
			for i, name := range []string{"read-%", "write-%", "pack-%", "save-%"} {
				b.ReportMetric(100*shares[i]/float64(run), name)
			}
		})
	}
}
