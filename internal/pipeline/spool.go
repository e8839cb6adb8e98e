package pipeline

import (
	"os"
)

// partInMemory is how many compressed bytes of an output a zip's part
// holds in memory before it goes to a temporary file: the outputs of a
// small file stay well below it, so that its job creates one file, the
// zip, and removes none (creating files where others were just removed
// is what costs most on the service's disk), while a large job's parts
// take at most 21 × 256 KiB of memory before they go to disk.
const partInMemory = 256 << 10

// spool receives the bytes of one output: a temporary file made at once
// (inMemory 0), or memory up to inMemory bytes and a temporary file once
// they are more.
type spool struct {
	dir, pattern string
	inMemory     int

	mem  []byte
	f    *os.File // nil while the bytes are in memory, and once closed
	pre  *preallocFile
	path string // of the temporary file, once made; "" once placed
}

func newSpool(dir, pattern string, inMemory int) (*spool, error) {
	s := &spool{dir: dir, pattern: pattern, inMemory: inMemory}
	if inMemory == 0 {
		if err := s.spill(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// spill makes the temporary file and moves there what memory holds.
func (s *spool) spill() error {
	f, err := createTemp(s.dir, s.pattern)
	if err != nil {
		return err
	}
	s.f, s.path, s.pre = f, f.Name(), newPreallocFile(f)
	if len(s.mem) > 0 {
		_, err = s.pre.Write(s.mem)
	}
	s.mem = nil
	return err
}

func (s *spool) Write(b []byte) (int, error) {
	if s.pre == nil {
		if len(s.mem)+len(b) <= s.inMemory {
			s.mem = append(s.mem, b...)
			return len(b), nil
		}
		if err := s.spill(); err != nil {
			return 0, err
		}
	}
	return s.pre.Write(b)
}

// finish gives back the file's unused disk reserve and closes it.
func (s *spool) finish() error {
	if s.f == nil {
		return nil
	}
	err := s.pre.finish()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	return err
}

// remove closes and removes the temporary file, if there is one.
func (s *spool) remove() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	if s.path != "" {
		os.Remove(s.path)
		s.path = ""
	}
	s.mem = nil
}
