package pipeline

import (
	"os"
	"syscall"
)

// reserve allocates n bytes of disk space at off without changing the
// file's size.
func reserve(f *os.File, off, n int64) error {
	const keepSize = 0x01 // FALLOC_FL_KEEP_SIZE
	return syscall.Fallocate(int(f.Fd()), keepSize, off, n)
}
