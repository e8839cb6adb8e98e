package tools

import "tracksgo/internal/track"

// Golden sets every residual to 0 (FORMATS.md §7.6).
var Golden = define("Golden", "Zero the residuals", "Reset residual of all the trackers to zero", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return &golden{track.Passthrough{Next: next}}, nil
	})

type golden struct{ track.Passthrough }

func (g *golden) ExportPoint(k track.Keyframe) error {
	k.Residual = 0
	return g.Next.ExportPoint(k)
}
