package tools

import "tracksgo/internal/track"

// Flop mirrors the points vertically: a Scaler with y_factor −1 and the
// other factor unset (FORMATS.md §7.2), so residuals are scaled by √2.
var Flop = define("Flop", "Mirror vertically", "Mirror all the tracker paths vertically", nil,
	func(next track.Exporter, _ *args) (track.Exporter, error) {
		return newScaler(next, 0, false, -1, true), nil
	})
