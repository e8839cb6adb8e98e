package pipeline

import (
	"context"
	"errors"
)

// Run converts req.Input. Outputs are written to temporary files and renamed
// into place only when the whole conversion succeeded (FORMATS.md §11.4).
// Errors carry the user-facing message of FORMATS.md §2.5.
func Run(ctx context.Context, req Request) (*Result, error) {
	return nil, errors.New("pipeline: not implemented yet")
}
