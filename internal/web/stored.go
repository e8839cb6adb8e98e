package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tracksgo/internal/jobs"
)

// Where an upload comes from: the request itself, the upload of a
// rejected form kept on the server, or the upload of an earlier job.
const (
	fromRequest = iota
	fromKept
	fromJob
)

// keptFor is how long the upload of a rejected form is kept for the user
// to send the form again without it.
const keptFor = time.Hour

// keptDir holds the uploads of rejected forms: <token> (the file) and
// <token>.name (the user's file name), under a random token the form
// carries.
func (s *Server) keptDir() string { return filepath.Join(s.cfg.UploadDir(), "kept") }

// keep moves a rejected form's upload into the kept folder and returns
// its token; older kept uploads past keptFor are removed meanwhile.
func (s *Server) keep(up *upload) (string, error) {
	dir := s.keptDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kept uploads: %w", err)
	}
	s.sweepKept(time.Now())
	token := jobs.NewID()
	if err := os.WriteFile(filepath.Join(dir, token+".name"), []byte(up.name), 0o644); err != nil {
		return "", fmt.Errorf("keeping the upload's name: %w", err)
	}
	if err := os.Rename(up.path, filepath.Join(dir, token)); err != nil {
		os.Remove(filepath.Join(dir, token+".name"))
		return "", fmt.Errorf("keeping the upload: %w", err)
	}
	up.path, up.source, up.kept = filepath.Join(dir, token), fromKept, token
	return token, nil
}

// sweepKept removes the kept uploads older than keptFor.
func (s *Server) sweepKept(now time.Time) {
	entries, err := os.ReadDir(s.keptDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > keptFor {
			os.Remove(filepath.Join(s.keptDir(), e.Name()))
		}
	}
}

// dropKept removes a kept upload (used, or replaced by a new file).
func (s *Server) dropKept(token string) {
	if !idPattern.MatchString(token) {
		return
	}
	os.Remove(filepath.Join(s.keptDir(), token))
	os.Remove(filepath.Join(s.keptDir(), token+".name"))
}

// storedUpload is the upload a form without a file names: a kept one
// (field kept) or an earlier job's (field from); nil, nil when it names
// none.
func (s *Server) storedUpload(ctx context.Context, vals url.Values) (*upload, error) {
	if token := strings.TrimSpace(vals.Get(fieldKept)); token != "" {
		gone := badInput(http.StatusUnprocessableEntity,
			"The file you uploaded before is no longer on the server (it is kept for %s). Choose it again.", humanDuration(keptFor))
		if !idPattern.MatchString(token) {
			return nil, gone
		}
		path := filepath.Join(s.keptDir(), token)
		name, err := os.ReadFile(path + ".name")
		fi, serr := os.Stat(path)
		if err != nil || serr != nil {
			return nil, gone
		}
		return &upload{path: path, name: cleanFileName(string(name)), size: fi.Size(), source: fromKept, kept: token}, nil
	}
	if id := strings.TrimSpace(vals.Get(fieldFrom)); id != "" {
		gone := badInput(http.StatusUnprocessableEntity,
			"The file of the earlier job is no longer on the server: jobs are kept for %s, or until they are deleted. Choose the file again.",
			humanDuration(s.cfg.Retention))
		if !idPattern.MatchString(id) {
			return nil, gone
		}
		j, err := s.store().Get(ctx, id)
		if errors.Is(err, jobs.ErrNotFound) {
			return nil, gone
		}
		if err != nil {
			return nil, fmt.Errorf("reading job %s: %w", id, err)
		}
		fi, err := os.Stat(j.Upload)
		if err != nil {
			return nil, gone
		}
		return &upload{path: j.Upload, name: j.FileName, size: fi.Size(), source: fromJob, from: id}, nil
	}
	return nil, nil
}

// place puts an upload where the job of that path finds it. An earlier
// job's upload is linked, not moved: each job owns a name of its own for
// the same data, so deleting either job (or the retention) leaves the
// other's intact.
func (s *Server) place(up *upload, final string) error {
	switch up.source {
	case fromKept:
		if err := os.Rename(up.path, final); err != nil {
			return err
		}
		s.dropKept(up.kept)
		return nil
	case fromJob:
		if err := os.Link(up.path, final); err == nil || errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return copyFile(up.path, final) // a file system without hard links
	}
	return os.Rename(up.path, final)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// offer puts a held upload on the form; a format detected in it that
// needs the comp size marks the size as needed (with automatic
// detection), without a script too.
func (p *formPage) offer(sf *storedFile) {
	p.Stored = sf
	if sf != nil && sf.Detected != nil && sf.Detected.NeedsSize && p.Importer == "" {
		p.SizeNeeded = true
	}
}

// storedFileOf describes a held upload for the form.
func storedFileOf(up *upload) *storedFile {
	if up == nil || up.source == fromRequest {
		return nil
	}
	sf := &storedFile{Name: up.name, Kept: up.kept, From: up.from}
	if d, err := detectFile(up.path, up.name); err == nil {
		sf.Detected = d
	}
	return sf
}
