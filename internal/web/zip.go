package web

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
	"tracksgo/internal/pack"
	"tracksgo/internal/runner"
	"tracksgo/templates"
)

// ZipName is the name a job's zip of every output downloads as (the
// converter's rule: the upload's name without its last extension, then
// "_tracks.zip").
func ZipName(j *jobs.Job) string { return runner.ZipName(j.FileName) }

// ZipPath is where the converter leaves a job's zip in its result folder.
// The zip is the only copy of the outputs: each file is served from it.
func ZipPath(resultDir string, j *jobs.Job) string {
	return filepath.Join(resultDir, ZipName(j))
}

// openZip opens a done job's zip; the caller closes the file.
func (s *Server) openZip(j *jobs.Job) (*os.File, *zip.Reader, os.FileInfo, error) {
	f, err := os.Open(ZipPath(s.cfg.ResultDir(j.ID), j))
	if err != nil {
		return nil, nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		var zr *zip.Reader
		if zr, err = zip.NewReader(f, fi.Size()); err == nil {
			return f, zr, fi, nil
		}
	}
	f.Close()
	return nil, nil, nil, fmt.Errorf("reading %s: %w", f.Name(), err)
}

// outputSizes are the sizes of a done job's outputs, by name, from its
// zip's directory; none when the zip cannot be read.
func (s *Server) outputSizes(j *jobs.Job) map[string]int64 {
	f, zr, _, err := s.openZip(j)
	if err != nil {
		return nil
	}
	defer f.Close()
	sizes := make(map[string]int64, len(zr.File))
	for _, e := range zr.File {
		sizes[e.Name] = int64(e.UncompressedSize64)
	}
	return sizes
}

// serveZipped sends the output name of a done job out of its zip, as
// serveResult sends a file: an attachment, immutable, with an ETag (of
// the entry's CRC-32 and size, and the zip's date) and Last-Modified (the
// zip's), its length, HEAD and ranges (http.ServeContent, over a seekable
// reader of the entry).
func (s *Server) serveZipped(w http.ResponseWriter, r *http.Request, j *jobs.Job, name, ctype string) {
	gone := func(err error) {
		s.log.WithError(err).WithFields(logrus.Fields{"job": j.ID, "file": name}).Error("opening result")
		s.fail(w, r, http.StatusNotFound, "This result is no longer on the server. Convert the file again.")
	}
	f, zr, fi, err := s.openZip(j)
	if err != nil {
		gone(err)
		return
	}
	defer f.Close()
	var entry *zip.File
	for _, e := range zr.File {
		if e.Name == name {
			entry = e
			break
		}
	}
	if entry == nil {
		gone(fmt.Errorf("%s is not in the zip", name))
		return
	}
	content := pack.NewEntry(entry)
	defer content.Close()
	serveDownload(w, r, name, ctype, fmt.Appendf(nil, "%s\x00%s\x00%d\x00%08x\x00%d", j.ID, name, entry.UncompressedSize64, entry.CRC32, fi.ModTime().UnixNano()), fi.ModTime(), content)
}

// serveDownload answers a file for download, with a validator made of
// what identifies that version of it (seed) and the caching of a file
// that never changes under its URL.
func serveDownload(w http.ResponseWriter, r *http.Request, name, ctype string, seed []byte, modTime time.Time, content io.ReadSeeker) {
	sum := sha256.Sum256(seed)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", templates.ImmutableCache)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, name, modTime, content)
}
