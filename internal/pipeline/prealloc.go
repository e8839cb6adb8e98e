package pipeline

import "os"

// preallocFile writes to an output file, reserving its disk space ahead of
// the writes in growing steps once the file is past smallOutput. Reserved
// space costs the filesystem less per page written than space found page
// by page as the writes arrive (ext4's delayed allocation). Where the
// filesystem cannot reserve, it is a plain file.
type preallocFile struct {
	f        *os.File
	written  int64
	reserved int64
	step     int64
	off      bool // reserving failed or is not supported
}

// smallOutput is the size below which an output reserves nothing. Most
// outputs of a small file stay below it, and there a reserve costs more
// than it saves: a 1 MiB reserve and its return are two more system
// calls per file, and on tmpfs they allocate and free the pages
// themselves.
const smallOutput = 256 << 10

func newPreallocFile(f *os.File) *preallocFile { return &preallocFile{f: f, step: 1 << 20} }

func (p *preallocFile) Write(b []byte) (int, error) {
	if end := p.written + int64(len(b)); !p.off && end > p.reserved && end > smallOutput {
		if p.reserved == 0 {
			p.reserved = p.written // what is written has its space
		}
		for p.reserved < end {
			if err := reserve(p.f, p.reserved, p.step); err != nil {
				p.off = true
				break
			}
			p.reserved += p.step
			p.step = min(2*p.step, 16<<20)
		}
	}
	n, err := p.f.Write(b)
	p.written += int64(n)
	return n, err
}

// finish gives back the space reserved beyond what was written.
func (p *preallocFile) finish() error {
	if p.reserved > p.written {
		return p.f.Truncate(p.written)
	}
	return nil
}
