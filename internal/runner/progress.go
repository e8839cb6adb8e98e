package runner

import (
	"fmt"
	"sync"

	"tracksgo/internal/jobs"
	"tracksgo/internal/status"
)

// The job's one bar. The pipeline reports 0-50 % while it reads the file
// and 50-100 % while it writes the formats (FORMATS.md §2.4, what the
// command line shows); the job then packs the zip and saves its results.
// The bar gives each phase its share of the time it takes, so that it
// moves at an even pace, and only the done state is 100 %.
//
// The shares were measured with BenchmarkPhases: the share of the time
// of each phase, the range of two runs of 20 conversions each on the
// 2-core machine (shared with other work: the time per job varied
// twofold):
//
//	phase                          small file   45trackers.nk   garage.2dt
//	                               (20-45 ms)   (0.6-0.8 s)     (0.3-2.5 s)
//	reading (pipeline 0-50 %)        41-52 %        9-13 %        14-20 %
//	writing (pipeline 50-100 %)      27-35 %         79 %            72 %
//	packing the zip                  16-18 %        6-9 %          7-11 %
//	saving (preview, in place)        5-6 %         1-2 %           1-3 %
//
// The large files set the shares: a small job is over before its page
// shows a bar. Writing includes compressing the outputs, which the
// chains do as they write; reading overlaps with writing for the formats
// that do not store the comp size, whose chains start at once.
const (
	readEnd  = 13 // reading: 0 to readEnd
	writeEnd = 91 // writing and compressing the formats: readEnd to writeEnd
	packedAt = 99 // packing: writeEnd to packedAt; saving stays at packedAt
)

// bar maps the phases of a run onto the job's bar, never going back.
type bar struct {
	set func(percent int, message string)

	mu      sync.Mutex
	at      int  // the highest percent published
	packing bool // the pipeline's own reports are over
}

// convert takes the pipeline's progress (Request.Progress).
func (b *bar) convert(percent int, message string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.packing {
		return // "Wrote … keyframes" at 100 %, once the zip is packed
	}
	p := float64(percent)
	if p <= 50 {
		p = p / 50 * readEnd
	} else {
		p = readEnd + (p-50)/50*(writeEnd-readEnd)
	}
	b.publish(int(p), message)
}

// pack takes the pipeline's packing (Request.Packing).
func (b *bar) pack(done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.packing = true
	b.publish(writeEnd+(packedAt-writeEnd)*done/max(total, 1),
		fmt.Sprintf("Packing the files into one zip (%d of %d)", done, total))
}

// step publishes a percent of the runner's own.
func (b *bar) step(percent int, message string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.publish(percent, message)
}

func (b *bar) publish(percent int, message string) {
	b.at = min(max(b.at, percent), packedAt)
	b.set(b.at, message)
}

// published is the run's status writer, telling Runner.seen as well.
type published struct {
	w    *status.Writer
	seen func(state jobs.State, percent int, message string)
}

func (p *published) Progress(percent int, message string) {
	p.w.Progress(percent, message)
	if p.seen != nil {
		p.seen(jobs.Running, percent, message)
	}
}

func (p *published) Finish(state jobs.State, message, errText string) {
	p.w.Finish(state, message, errText)
	if p.seen != nil {
		percent := 0
		if state == jobs.Done {
			percent = 100
		}
		p.seen(state, percent, message)
	}
}
