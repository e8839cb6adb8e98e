package shakescript

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestUnwrap(t *testing.T) {
	atoms, err := newLexer(strings.NewReader(`F(1, -2.5, "s", {x}, [1, [2]], a, 3@4, b = 2, G(1))`), nil).run()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "-2.5", "s", "{}", "[1 [2]]", "{}", "{4 3}", "{}", "{}"}
	args := atoms[0].args
	if len(args) != len(want) {
		t.Fatalf("got %d arguments", len(args))
	}
	for i, a := range args {
		if got := fmt.Sprint(unwrap(a)); got != want[i] {
			t.Errorf("unwrap(%s) = %s, want %s", a, got, want[i])
		}
	}
	if _, ok := unwrap(args[3]).(expr); !ok {
		t.Error("EXPR does not stay an expression")
	}
	for _, i := range []int{5, 7, 8} {
		if _, ok := unwrap(args[i]).(unknown); !ok {
			t.Errorf("%s is not unknown", args[i])
		}
	}
}

func TestToIntAndSub(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want int
	}{
		{"-70-218", -70}, {"1-185", 1}, {-5.9, -5}, {3.0, 3}, {math.NaN(), 0},
		{1e300, math.MaxInt}, {-1e300, math.MinInt}, {unknown{}, 0}, {nil, 0},
	} {
		if got := toInt(tc.v); got != tc.want {
			t.Errorf("toInt(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
	for _, tc := range [][3]int{
		{5, 3, 2}, {1, -70, 71}, {math.MaxInt, -1, math.MaxInt}, {math.MinInt, 1, math.MinInt}, {-3, -3, 0},
	} {
		if got := sub(tc[0], tc[1]); got != tc[2] {
			t.Errorf("sub(%d, %d) = %d, want %d", tc[0], tc[1], got, tc[2])
		}
	}
}

func TestTrackerNames(t *testing.T) {
	src := "T = " + trackerCall(
		[4]string{"7", "Linear(0,1@1)", "Linear(0,2@1)", "1"},
		[4]string{"1.5", "Linear(0,1@1)", "Linear(0,2@1)", "1"},
		[4]string{"name", "Linear(0,1@1)", "Linear(0,2@1)", "1"},
		[4]string{`"with  spaces"`, "Linear(0,1@1)", "Linear(0,2@1)", "1"},
	) + ";"
	ts := mustImport(t, src)
	if got := strings.Join(names(ts), " "); got != "T_7 T_1.5 T_ T_with_spaces" {
		t.Errorf("names %s", got)
	}
}
