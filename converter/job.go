package main

import (
	"context"
	"io"

	"tracksgo/internal/runner"
)

// runJob runs one job of the web service (converter --job ID --owner OWNER
// --run N): the worker's dispatcher starts one converter process per
// run of a job.
func runJob(ctx context.Context, args []string, stderr io.Writer) int {
	return runner.Main(ctx, args, stderr)
}
