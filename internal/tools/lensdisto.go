package tools

import (
	"fmt"
	"math"

	"tracksgo/internal/track"
)

// LensDisto adds or removes lens distortion with the SynthEyes model
// (FORMATS.md §7.11).
var LensDisto = define("LensDisto", "Lens distortion", "Apply or remove lens distortion with the Syntheyes algorithm", []Param{
	{Name: "k", Label: "Quartic coefficient (k)", Type: "float", Default: "0", Help: "Quartic distortion coefficient"},
	{Name: "kcube", Label: "Cubic coefficient (kcube)", Type: "float", Default: "0", Help: "Cubic distortion coefficient"},
	{Name: "remove", Label: "Remove the distortion", Type: "bool", Default: "false", Help: "Remove the distortion instead of adding it"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	l := &lensDisto{Passthrough: track.Passthrough{Next: next}}
	l.k, _ = a.float("k")
	l.kcube, _ = a.float("kcube")
	l.remove = a.bool("remove")
	return l, nil
})

// tableSteps is the number of steps of the radius → factor table.
const tableSteps = 256

type lensDisto struct {
	track.Passthrough
	k, kcube float64
	remove   bool
	w, h     float64
	aspect   float64
	r, f     [tableSteps + 1]float64 // radius and its distortion factor
}

func (l *lensDisto) StartExport(w, h int) error {
	if w < 2 || h < 2 {
		return fmt.Errorf("lensdisto: cannot apply lens distortion to a comp of %dx%d pixels", w, h)
	}
	l.w, l.h = float64(w), float64(h)
	l.aspect = l.w / l.h
	// The radius is accumulated, not multiplied, to give the reference's
	// table bit for bit.
	step := (l.aspect + 1) / tableSteps
	r := 0.0
	l.r[0], l.f[0] = 0, 1
	for i := 1; i <= tableSteps; i++ {
		r += step
		l.r[i] = r
		l.f[i] = 1 + r*r*(l.k+l.kcube*r)
	}
	return l.Next.StartExport(w, h)
}

func (l *lensDisto) ExportPoint(k track.Keyframe) error {
	// SynthEyes-style normalisation, without its V flip.
	u := ((k.X-0.5)/(l.w-1) - 0.5) * 2
	v := ((k.Y-0.5)/(l.h-1) - 0.5) * 2
	ua := u * l.aspect
	radius := math.Sqrt(ua*ua + v*v)
	f, ok := l.factor(radius)
	if ok {
		if l.remove {
			u, v = u/f, v/f
		} else {
			u, v = u*f, v*f
		}
		x := (u/2+0.5)*(l.w-1) + 0.5
		y := (v/2+0.5)*(l.h-1) + 0.5
		// Radii beyond the table (points far outside the frame) and
		// degenerate coefficients have no defined result: such points
		// pass unchanged.
		if !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0) {
			k.X, k.Y = x, y
		}
	}
	return l.Next.ExportPoint(k)
}

// factor interpolates the table at radius: on the radius to distort, on
// the distorted radius r·f to undistort. It uses the first entry past
// radius, so a table that folds back is read at its first crossing.
func (l *lensDisto) factor(radius float64) (float64, bool) {
	key := func(i int) float64 {
		if l.remove {
			return l.r[i] * l.f[i]
		}
		return l.r[i]
	}
	for i := 1; i <= tableSteps; i++ {
		k1 := key(i)
		if k1 > radius {
			k0 := key(i - 1)
			return l.f[i-1] + (l.f[i]-l.f[i-1])*(radius-k0)/(k1-k0), true
		}
	}
	return 0, false
}
