package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"

	"tracksgo/internal/formats"
)

// detection is what the server's own detection says of a file, from its
// name and first formats.SniffSize bytes: the upload form shows it before
// anything is uploaded (POST /detect), and for a file the server keeps.
type detection struct {
	Importer   string `json:"importer"`         // lower-case id, "" when no format claims the file
	Format     string `json:"format,omitempty"` // the format's short name
	NeedsSize  bool   `json:"needs_size"`       // the format does not store the comp size
	SizeInFile bool   `json:"size_in_file"`     // the size is in some of its files only
	Refused    bool   `json:"refused"`          // the server refuses the file (not track data, or empty)
	Message    string `json:"message"`          // in words, for the form
}

// detect runs the detection the converter runs on an upload.
func detect(name string, head []byte) detection {
	if err := formats.Blacklisted(name); err != nil {
		return detection{Refused: true, Message: err.Error()}
	}
	if len(head) == 0 {
		return detection{Refused: true, Message: "The file is empty. Check that it was saved completely."}
	}
	imp, err := formats.Detect(name, head)
	if err != nil {
		if looksBinary(head) {
			return detection{Message: "This looks like a binary file, not a track export: check that it is the right file."}
		}
		return detection{Message: "No format recognises this file from its first lines: choose its format under Input format, or check that it is a 2D track export."}
	}
	d := detection{Importer: imp.Name(), Format: imp.Short, NeedsSize: !imp.AutoSize, SizeInFile: imp.SizeInFile}
	switch {
	case d.NeedsSize:
		d.Message = "Format detected: " + imp.Short + ". It does not store the comp size: enter the width and height below."
	case d.SizeInFile:
		d.Message = "Format detected: " + imp.Short + ". Some of its files store the comp size: enter it in case this one does not."
	default:
		d.Message = "Format detected: " + imp.Short + ". The comp size is read from the file."
	}
	return d
}

// looksBinary: a NUL byte, as formats.Detect tells a binary file.
func looksBinary(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }

// detectFile is detect on a file the server holds.
func detectFile(path, name string) (*detection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, formats.SniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	d := detect(name, head[:n])
	return &d, nil
}

// detectAction answers POST /detect?name=NAME, whose body is the first
// bytes of a file (formats.SniffSize at most are read): the detection
// as JSON. The page's script asks it as soon as a file is chosen, so the
// form tells what the file looks like and asks for what it needs before
// the upload.
func (s *Server) detectAction(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Header.Set("Accept", "application/json") // errors as JSON too
	name := r.URL.Query().Get("name")
	if hasControl(name) {
		s.fail(w, r, http.StatusBadRequest, badControl.msg)
		return
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, formats.SniffSize))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "The start of the file could not be read. Please try again.")
		return
	}
	writeJSON(w, http.StatusOK, detect(cleanFileName(name), head))
}
