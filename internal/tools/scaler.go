package tools

import (
	"fmt"
	"math"

	"tracksgo/internal/track"
)

// Scaler scales the comp and every point (FORMATS.md §7.1).
var Scaler = define("Scaler", "Scale", "Scale the comp by a specified factor", []Param{
	{Name: "x_factor", Label: "X factor", Type: "float", Default: "1", Help: "Horizontal scale factor (negative mirrors)"},
	{Name: "y_factor", Label: "Y factor", Type: "float", Default: "1", Help: "Vertical scale factor (negative mirrors)"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	xf, xset := a.float("x_factor")
	yf, yset := a.float("y_factor")
	if xset && xf == 0 {
		return nil, a.errorf("x_factor", "must not be 0")
	}
	if yset && yf == 0 {
		return nil, a.errorf("y_factor", "must not be 0")
	}
	return newScaler(next, xf, xset, yf, yset), nil
})

type scaler struct {
	track.Passthrough
	xf, yf float64 // effective factors
	// pass: both factors were given and are exactly 1. Only then are points
	// left alone; otherwise the residual is scaled even by a factor of 1,
	// a quirk of the reference kept on purpose.
	pass bool
	w, h int     // the scaled size
	r    float64 // residual factor
}

// newScaler takes the factors and whether each was given; an unset factor
// counts as 1.
func newScaler(next track.Exporter, xf float64, xset bool, yf float64, yset bool) *scaler {
	if !xset {
		xf = 1
	}
	if !yset {
		yf = 1
	}
	return &scaler{
		Passthrough: track.Passthrough{Next: next},
		xf:          xf, yf: yf,
		pass: xset && yset && xf == 1 && yf == 1,
	}
}

func (s *scaler) StartExport(w, h int) error {
	s.r = math.Sqrt(s.xf*s.xf + s.yf*s.yf)
	nw, okw := sizeInt(math.Abs(math.Trunc(float64(w) * s.xf)))
	nh, okh := sizeInt(math.Abs(math.Trunc(float64(h) * s.yf)))
	if !okw || !okh {
		return fmt.Errorf("scaler: scaling a %dx%d comp by %g, %g gives a size out of range", w, h, s.xf, s.yf)
	}
	s.w, s.h = nw, nh
	return s.Next.StartExport(nw, nh)
}

func (s *scaler) ExportPoint(k track.Keyframe) error {
	if s.pass {
		return s.Next.ExportPoint(k)
	}
	// A negative factor mirrors inside the new comp.
	if s.xf < 0 {
		k.X = float64(s.w) + k.X*s.xf
	} else {
		k.X *= s.xf
	}
	if s.yf < 0 {
		k.Y = float64(s.h) + k.Y*s.yf
	} else {
		k.Y *= s.yf
	}
	k.Residual *= s.r
	return s.Next.ExportPoint(k)
}
