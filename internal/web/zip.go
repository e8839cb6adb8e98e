package web

import (
	"path/filepath"
	"strings"

	"tracksgo/internal/jobs"
)

// ZipName is the name a job's zip of every output downloads as: the
// upload's name without its last extension, then "_tracks.zip".
func ZipName(j *jobs.Job) string {
	stem := j.FileName
	if i := strings.LastIndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	return stem + "_tracks.zip"
}

// ZipPath is where the converter leaves a job's zip in its result folder.
func ZipPath(resultDir string, j *jobs.Job) string {
	return filepath.Join(resultDir, ZipName(j))
}
