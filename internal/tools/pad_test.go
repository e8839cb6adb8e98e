package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestPad(t *testing.T) {
	checkResize(t, Pad, []resizeCase{
		{"§7.4 left −0.25, bottom 0.10", Values{"left_pad": "-0.25", "bottom_pad": "0.10"}, 720, 576,
			kf(1, 60, 30, 0), 540, 634, kf(1, 240, -27.6, 0)},
		{"size is the ceil of the float product (100 × 1.1 → 111)", Values{"left_pad": "0.1"}, 100, 100,
			kf(0, 50, 50, 0.5), 111, 100, kf(0, 40, 50, 0.5)},
		{"right and top only grow the comp", Values{"right_pad": "0.5", "top_pad": "1"}, 100, 100,
			kf(0, 50, 50, 0), 150, 200, kf(0, 50, 50, 0)},
		{"unset is a no-op", nil, 720, 576,
			kf(0, 1, 2, 0.3), 720, 576, kf(0, 1, 2, 0.3)},
	})
}

func TestPadErrors(t *testing.T) {
	_, err := Pad.New(&track.Buffer{}, Values{"top_pad": "x"})
	checkErr(t, err, `pad: top_pad: "x" is not a number`)
	err = exportErr(t, Pad, Values{"left_pad": "-0.5", "right_pad": "-0.5"}, 720, 576, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "pad: padding a 720x576 comp by left -0.5, right -0.5, top 0, bottom 0 leaves no usable comp")
	err = exportErr(t, Pad, Values{"top_pad": "1e300"}, 720, 576, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "pad: padding a 720x576 comp by left 0, right 0, top 1e+300, bottom 0 leaves no usable comp")
}
