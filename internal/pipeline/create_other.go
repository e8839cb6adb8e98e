//go:build !unix

package pipeline

import "os"

func openNew(name string, perm uint32) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, os.FileMode(perm))
}

func rename(oldname, newname string) error { return os.Rename(oldname, newname) }
