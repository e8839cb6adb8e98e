package web

import (
	"path/filepath"

	"tracksgo/internal/jobs"
	"tracksgo/internal/runner"
)

// ZipName is the name a job's zip of every output downloads as (the
// converter's rule: the upload's name without its last extension, then
// "_tracks.zip").
func ZipName(j *jobs.Job) string { return runner.ZipName(j.FileName) }

// ZipPath is where the converter leaves a job's zip in its result folder.
func ZipPath(resultDir string, j *jobs.Job) string {
	return filepath.Join(resultDir, ZipName(j))
}
