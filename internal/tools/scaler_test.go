package tools

import (
	"math"
	"testing"

	"tracksgo/internal/track"
)

func TestScaler(t *testing.T) {
	checkResize(t, Scaler, []resizeCase{
		{"§7.1 factors 2, 3", Values{"x_factor": "2", "y_factor": "3"}, 50, 60,
			kf(1, 60, 30, 0), 100, 180, kf(1, 120, 90, 0)},
		{"§7.1 negative factors mirror", Values{"x_factor": "-1", "y_factor": "-1"}, 120, 80,
			kf(1, 20, 60, 0.5), 120, 80, kf(1, 100, 20, 0.5*math.Sqrt2)},
		{"§7.1 factors 1.5, 1.4", Values{"x_factor": "1.5", "y_factor": "1.4"}, 50, 60,
			kf(1, 60, 30, 0.2), 75, 84, kf(1, 90, 42, 0.2*math.Sqrt(1.5*1.5+1.4*1.4))},
		{"both explicitly 1 passes through", Values{"x_factor": "1", "y_factor": "1.0"}, 50, 60,
			kf(3, 1.25, 2.5, 0.3), 50, 60, kf(3, 1.25, 2.5, 0.3)},
		{"quirk: one factor set scales the residual by sqrt(xf²+1)", Values{"x_factor": "2"}, 50, 60,
			kf(0, 10, 10, 0.1), 100, 60, kf(0, 20, 10, 0.1*math.Sqrt(5))},
		{"quirk: x factor 1 alone is not a pass-through", Values{"x_factor": "1"}, 50, 60,
			kf(0, 10, 10, 0.1), 50, 60, kf(0, 10, 10, 0.1*math.Sqrt2)},
		{"quirk: nothing set scales the residual by √2", nil, 50, 60,
			kf(0, 10, 10, 0.1), 50, 60, kf(0, 10, 10, 0.1*math.Sqrt2)},
		{"empty text counts as unset", Values{"x_factor": "", "y_factor": " "}, 50, 60,
			kf(0, 10, 10, 0.1), 50, 60, kf(0, 10, 10, 0.1*math.Sqrt2)},
		{"size truncated toward zero", Values{"x_factor": "0.5", "y_factor": "0.5"}, 101, 99,
			kf(0, 10, 10, 0), 50, 49, kf(0, 5, 5, 0)},
		{"negative fraction: |trunc| size, mirrored in the new size", Values{"x_factor": "-0.5"}, 101, 99,
			kf(-4, 10, 10, 0), 50, 99, kf(-4, 45, 10, 0)},
	})
}

func TestScalerPassThroughIsExact(t *testing.T) {
	in := kf(7, 0.1+0.2, 1.0/3, 0.30000000000000004)
	b := apply(t, Scaler, Values{"x_factor": "1", "y_factor": "1"}, 10, 10, tr("T", in))
	if got := b.Trackers[0].Keyframes[0]; got != in {
		t.Fatalf("got %+v, want %+v", got, in)
	}
}

func TestScalerErrors(t *testing.T) {
	tests := []struct {
		v    Values
		want string
	}{
		{Values{"x_factor": "0"}, "scaler: x_factor must not be 0"},
		{Values{"y_factor": "-0.0"}, "scaler: y_factor must not be 0"},
		{Values{"x_factor": "abc"}, `scaler: x_factor: "abc" is not a number`},
		{Values{"y_factor": "NaN"}, `scaler: y_factor: "NaN" is not a number`},
		{Values{"x_factor": "inf"}, `scaler: x_factor: "inf" is not a number`},
		{Values{"z_factor": "2"}, `scaler: unknown parameter "z_factor" (parameters: x_factor, y_factor)`},
	}
	for _, tt := range tests {
		_, err := Scaler.New(&track.Buffer{}, tt.v)
		checkErr(t, err, tt.want)
	}
	err := exportErr(t, Scaler, Values{"x_factor": "1e300"}, 1920, 1080, tr("T", kf(0, 1, 1, 0)))
	checkErr(t, err, "scaler: scaling a 1920x1080 comp by 1e+300, 1 gives a size out of range")
}
