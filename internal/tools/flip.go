package tools

import "tracksgo/internal/track"

// Flip mirrors the points horizontally: a Scaler with x_factor −1 and the
// other factor unset (FORMATS.md §7.2), so residuals are scaled by √2.
var Flip = define("Flip", "Mirror horizontally", "Mirrors all the tracker paths horizontally", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return newScaler(next, -1, true, 0, false), nil
	})
