package main

import (
	"io"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/web"
)

// newProgressReader connects the status action to the progress converters
// publish. Until the memcached reader is wired, the status action answers
// from the database alone.
func newProgressReader(cfg *config.Config, store jobs.Store, log *logrus.Entry) (web.ProgressReader, io.Closer) {
	return nil, nil
}
