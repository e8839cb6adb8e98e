package tools

import (
	"math"
	"testing"

	"tracksgo/internal/track"
)

func TestReformat(t *testing.T) {
	checkResize(t, Reformat, []resizeCase{
		{"§7.3 720×576 to 1920×1080", Values{"width": "1920", "height": "1080"}, 720, 576,
			kf(0, 360, 288, 0), 1920, 1080, kf(0, 960, 540, 0)},
		{"§7.3 CLI case 1280×540 to 1204×340", Values{"width": "1204", "height": "340"}, 1280, 540,
			kf(0, 640, 270, 0), 1204, 340, kf(0, 602, 170, 0)},
		{"width only keeps the height, residual × sqrt(xf²+1)", Values{"width": "200"}, 100, 50,
			kf(0, 10, 10, 0.1), 200, 50, kf(0, 20, 10, 0.1*math.Sqrt(5))},
		{"height only", Values{"height": "25"}, 100, 50,
			kf(0, 10, 10, 0), 100, 25, kf(0, 10, 5, 0)},
		{"same size is a pass-through", Values{"width": "100", "height": "50"}, 100, 50,
			kf(0, 10, 10, 0.1), 100, 50, kf(0, 10, 10, 0.1)},
		{"nothing set is a pass-through", nil, 100, 50,
			kf(0, 10, 10, 0.1), 100, 50, kf(0, 10, 10, 0.1)},
	})
}

func TestReformatErrors(t *testing.T) {
	for _, tt := range []struct {
		v    Values
		want string
	}{
		{Values{"width": "0"}, "reformat: width must be greater than 0"},
		{Values{"height": "-5"}, "reformat: height must be greater than 0"},
		{Values{"width": "wide"}, `reformat: width: "wide" is not an integer`},
		{Values{"width": "99999999999"}, `reformat: width: "99999999999" is out of range`},
	} {
		_, err := Reformat.New(&track.Buffer{}, tt.v)
		checkErr(t, err, tt.want)
	}
	err := exportErr(t, Reformat, Values{"width": "100"}, 0, 0, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "reformat: cannot reformat a comp of 0x0 pixels")
}
