package runner

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// zipLevel is the deflate level of the zip of a job's outputs. The
// outputs are text that compresses about 6:1 at any level; the default
// level takes five times as long as BestSpeed for a zip 15 % smaller, and
// packing, not converting, was then most of a large job's time.
const zipLevel = flate.BestSpeed

// writeZip zips dir's files names into path, in that order, through a
// temporary file renamed into place once complete. The files are
// compressed side by side, one per core, each into a part file; the zip is
// then assembled from the parts. progress is called from this goroutine
// as each file is compressed.
func writeZip(path, dir string, names []string, progress func(done, total int)) (err error) {
	partDir, err := os.MkdirTemp(filepath.Dir(path), ".zip-parts-")
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	defer os.RemoveAll(partDir)
	parts, err := compressAll(dir, partDir, names, progress)
	if err != nil {
		return err
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".zip-*.tmp")
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	zw := zip.NewWriter(bw)
	for _, p := range parts {
		if err := p.copyTo(zw); err != nil {
			return fmt.Errorf("zip %s: %w", p.hdr.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}

// part is one file compressed on its own: its zip header, with the CRC
// and sizes filled in, and the raw deflate stream in a file.
type part struct {
	hdr  *zip.FileHeader
	path string
}

// compressAll compresses every file of names into partDir, as many at
// once as there are cores, and returns the parts in the order of names.
func compressAll(dir, partDir string, names []string, progress func(done, total int)) ([]part, error) {
	parts := make([]part, len(names))
	errs := make([]error, len(names))
	next := make(chan int)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parts[i], errs[i] = compressOne(filepath.Join(dir, names[i]), filepath.Join(partDir, fmt.Sprint(i)), names[i])
				finished <- struct{}{}
			}
		}()
	}
	go func() {
		for i := range names {
			next <- i
		}
		close(next)
	}()
	for done := 1; done <= len(names); done++ {
		<-finished
		if progress != nil {
			progress(done, len(names))
		}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", names[i], err)
		}
	}
	return parts, nil
}

func compressOne(src, dst, name string) (p part, err error) {
	in, err := os.Open(src)
	if err != nil {
		return p, err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return p, err
	}
	hdr, err := zip.FileInfoHeader(fi)
	if err != nil {
		return p, err
	}
	hdr.Name, hdr.Method = name, zip.Deflate
	out, err := os.Create(dst)
	if err != nil {
		return p, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(out, 1<<16)
	fw, err := flate.NewWriter(bw, zipLevel)
	if err != nil {
		return p, err
	}
	crc := crc32.NewIEEE()
	n, err := io.Copy(io.MultiWriter(fw, crc), in)
	if err != nil {
		return p, err
	}
	if err := fw.Close(); err != nil {
		return p, err
	}
	if err := bw.Flush(); err != nil {
		return p, err
	}
	size, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return p, err
	}
	hdr.CRC32, hdr.UncompressedSize64, hdr.CompressedSize64 = crc.Sum32(), uint64(n), uint64(size)
	return part{hdr: hdr, path: dst}, nil
}

// copyTo writes the part into zw as it is, without compressing it again.
func (p part) copyTo(zw *zip.Writer) error {
	w, err := zw.CreateRaw(p.hdr)
	if err != nil {
		return err
	}
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return err
	}
	if uint64(n) != p.hdr.CompressedSize64 {
		return errors.New("part file changed size")
	}
	return nil
}
