package main

import (
	"context"
	"fmt"
	"io"
)

// runJob runs one job of the web service (converter --job ID ...): the
// worker's dispatcher starts one converter process per job.
func runJob(ctx context.Context, args []string, stderr io.Writer) int {
	fmt.Fprintln(stderr, "converter: job mode is not available in this build")
	return 1
}
