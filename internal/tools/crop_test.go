package tools

import (
	"testing"

	"tracksgo/internal/track"
)

func TestCrop(t *testing.T) {
	checkResize(t, Crop, []resizeCase{
		{"§7.5 left −60, bottom 58", Values{"left": "-60", "bottom": "58"}, 720, 576,
			kf(1, 60, 30, 0), 660, 634, kf(1, 120, -28, 0)},
		{"right and top", Values{"right": "20", "top": "-76"}, 720, 576,
			kf(1, 60, 30, 0), 740, 500, kf(1, 60, 30, 0)},
		{"unset is a no-op", nil, 720, 576,
			kf(0, 1, 2, 0.3), 720, 576, kf(0, 1, 2, 0.3)},
		{"no crop on a 0×0 comp is allowed", nil, 0, 0,
			kf(0, 1, 2, 0), 0, 0, kf(0, 1, 2, 0)},
	})
}

func TestCropErrors(t *testing.T) {
	_, err := Crop.New(&track.Buffer{}, Values{"left": "ten"})
	checkErr(t, err, `crop: left: "ten" is not an integer`)
	err = exportErr(t, Crop, Values{"left": "10"}, 0, 0, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "crop: cannot crop a comp of 0x0 pixels")
	err = exportErr(t, Crop, Values{"left": "-400", "right": "-400"}, 720, 576, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "crop: cropping a 720x576 comp by left -400, right -400, top 0, bottom 0 pixels leaves no usable comp")
}
