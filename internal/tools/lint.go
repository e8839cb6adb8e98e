package tools

import "tracksgo/internal/track"

// Lint checks the protocol (FORMATS.md §2.7). The pipeline always applies
// it in front of the exporters; as a tool it can also check a chain.
var Lint = define("Lint", "Check", "Verify all the exported trackers and check for errors", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return track.NewLint(next), nil
	})
