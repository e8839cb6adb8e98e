package nuke

import (
	"math"
	"math/rand/v2"
	"testing"

	"tracksgo/internal/formats/format"
)

// TestPlainFloat: the fast conversion agrees with float() bit for bit.
func TestPlainFloat(t *testing.T) {
	cases := []string{"0", "-0", "1", "1.", ".5", "-.5", "-", ".", "--1", "1-2", "1.2.3", "-1578",
		"936.5750", "1234.300049", "0.1", "0.30000000000000004", "9007199254740993", "123456789012345678901234",
		"0.0000000000000000000000001", "1e5", "99999999999999999999.5", "-0.000", "1.7976931348623157e308",
		"5" + string(make([]byte, 0)), "000000000000000000000000000012.5"}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "-.0123456789"
	for range 200000 {
		b := make([]byte, 1+r.IntN(24))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if !isPlainNumber([]byte(c)) {
			continue
		}
		got, want := plainFloat([]byte(c)), format.Float(c)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%q: got %v, want %v", c, got, want)
		}
		// expand reads whole plain words with format.ScanPlain first.
		if v, end, ok := format.ScanPlain([]byte(c), 0); ok && end == len(c) && math.Float64bits(v) != math.Float64bits(want) {
			t.Errorf("%q: ScanPlain %v, want %v", c, v, want)
		}
	}
}
