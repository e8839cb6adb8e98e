//go:build unix

package pipeline

import (
	"errors"
	"os"
	"syscall"
)

// openNew creates name for reading and writing, failing if it exists,
// with perm less the umask. os.OpenFile would also set the file
// non-blocking, try to add it to the network poller, fail, and set it
// blocking again: four system calls per output that a regular file does
// not need.
func openNew(name string, perm uint32) (*os.File, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, perm)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}

// rename places a finished output. os.Rename first looks whether the new
// name is a folder, one more system call per output; rename(2) refuses
// that case itself (EISDIR).
func rename(oldname, newname string) error {
	for {
		err := syscall.Rename(oldname, newname)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: err}
		}
		return nil
	}
}
