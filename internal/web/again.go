package web

import (
	"net/http"
	"os"
	"strings"
)

// again is the upload form filled with a job's settings and offering its
// file, already on the server: "Convert again with other settings". The
// new job gets its own link to the same file (place), so that neither
// job's delete nor the retention takes the other's.
func (s *Server) again(w http.ResponseWriter, r *http.Request) {
	j := s.loadJob(w, r)
	if j == nil {
		return
	}
	p := s.newFormPage(formValues(j.Options))
	p.Title, p.Heading = "Convert again", "Convert again with other settings"
	if fi, err := os.Stat(j.Upload); err == nil {
		p.offer(storedFileOf(&upload{path: j.Upload, name: j.FileName, size: fi.Size(), source: fromJob, from: j.ID}))
	} else {
		p.Note = "The file of that job is no longer on the server: choose it again."
	}
	// The form holds each tool once; a job from the API may have more.
	seen, twice := map[string]bool{}, false
	for _, t := range j.Options.Tools {
		twice = twice || seen[strings.ToLower(t.Name)]
		seen[strings.ToLower(t.Name)] = true
	}
	if twice {
		p.Note = strings.TrimSpace(p.Note + " That job applied a tool more than once; the form holds each tool once, with its first settings.")
	}
	w.Header().Set("Cache-Control", "no-cache")
	s.render(w, r, http.StatusOK, "form", p)
}
