package web

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/jobs"
)

// deleteCookie holds, in the browser that created a job, the token that
// deletes it. Its path is the job's, so no other page gets it; SameSite
// keeps it from cross-site posts.
const deleteCookie = "delete_token"

// fieldToken is the delete token in a form or a query; API clients may
// send the X-Delete-Token header instead.
const fieldToken = "token"

// ProgressDeleter is a ProgressReader that can forget a job's live
// progress: a deleted job must not keep a status in the cache.
type ProgressDeleter interface {
	Delete(id string) error
}

func (s *Server) setDeleteCookie(w http.ResponseWriter, r *http.Request, id, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: deleteCookie, Value: token, Path: "/jobs/" + id,
		MaxAge: int(s.cfg.Retention / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil,
	})
}

// deleteToken is the token a request brings: the header, the form or
// query field, else the creator's cookie.
func deleteToken(r *http.Request) string {
	if t := strings.TrimSpace(r.Header.Get("X-Delete-Token")); t != "" {
		return t
	}
	if t := strings.TrimSpace(r.FormValue(fieldToken)); t != "" {
		return t
	}
	if c, err := r.Cookie(deleteCookie); err == nil {
		return c.Value
	}
	return ""
}

// canDelete tells whether the request comes from the browser that created
// the job (it has the job's cookie): its page offers the delete button.
func canDelete(r *http.Request) bool {
	c, err := r.Cookie(deleteCookie)
	return err == nil && c.Value != ""
}

// deleteJob removes a job now, in any state: the row first (a running
// job's converter then finds its lease lost, stops and removes what it
// placed; its dispatcher kills it at the next renewal), then its upload,
// results and live progress. DELETE /jobs/{id} answers 204; the form's
// POST /jobs/{id}/delete a page saying so. A second delete is a 404.
func (s *Server) deleteJob(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodDelete {
		r.Header.Set("Accept", "application/json") // an API action: errors as JSON
	}
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		s.fail(w, r, http.StatusNotFound, noSuchJob)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxField)
	token := deleteToken(r)
	if token == "" {
		s.fail(w, r, http.StatusForbidden, "Only the browser that uploaded the file, or an API client with the job's delete token, can delete this job.")
		return
	}
	j, err := s.store().Delete(r.Context(), id, token)
	switch {
	case errors.Is(err, jobs.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, noSuchJob)
		return
	case errors.Is(err, jobs.ErrBadToken):
		s.fail(w, r, http.StatusForbidden, "This delete token does not belong to this job.")
		return
	case err != nil:
		s.log.WithError(err).WithField("job", id).Error("deleting job")
		s.fail(w, r, http.StatusServiceUnavailable, "The job database is not available right now. Please try again in a moment.")
		return
	}
	log := s.log.WithFields(logrus.Fields{"job": id, "state": j.State})
	if err := os.Remove(j.Upload); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.WithError(err).Error("removing the upload of a deleted job")
	}
	if err := os.RemoveAll(s.cfg.ResultDir(id)); err != nil {
		log.WithError(err).Error("removing the results of a deleted job")
	}
	if pd, ok := s.progress.(ProgressDeleter); ok {
		if err := pd.Delete(id); err != nil {
			log.WithError(err).Warn("removing the progress of a deleted job")
		}
	}
	log.Info("job deleted by its creator")
	// The cookie has done its work.
	http.SetCookie(w, &http.Cookie{Name: deleteCookie, Value: "", Path: "/jobs/" + id, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if wantsJSON(r) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.render(w, r, http.StatusOK, "deleted", deletedPage{Title: "Deleted", FileName: j.FileName})
}

type deletedPage struct {
	Title    string
	FileName string
}
