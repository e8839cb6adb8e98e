package format

import (
	"errors"
	"io"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

func TestInt(t *testing.T) {
	for in, want := range map[string]int{"121.00": 121, "-5": -5, "12abc": 12, "": 0, "abc": 0, "  +7": 7, "1_000": 1000, "1__0": 1} {
		if got := Int(in); got != want {
			t.Errorf("Int(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestFloat(t *testing.T) {
	for in, want := range map[string]float64{"715.221": 715.221, ".5": 0.5, "1.": 1, "1.2.3": 1.2, "-": 0, "1e-05": 0.00001,
		"Infinity": 0, " -3.5e2x": -350, "1e": 1, "12abc": 12} {
		if got := Float(in); got != want {
			t.Errorf("Float(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRQuote(t *testing.T) {
	got := RQuote("Tr\xC3\xA9ck#{x}\"q\\z\x01")
	want := `"Tr\xC3\xA9ck\#{x}\"q\\z\x01"`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if RQuote("a#b\t\x1b") != `"a#b\t\e"` {
		t.Fatal(RQuote("a#b\t\x1b"))
	}
}

func TestLines(t *testing.T) {
	l := NewLines(strings.NewReader("one\r\ntwo\nthree"))
	var got []string
	for l.Next() {
		got = append(got, l.Text())
		if l.Line() == 2 && l.Raw() != "two\n" {
			t.Fatalf("raw %q", l.Raw())
		}
	}
	if strings.Join(got, "|") != "one|two|three" || l.Err() != nil {
		t.Fatalf("%v %v", got, l.Err())
	}
	long := NewLines(strings.NewReader(strings.Repeat("x", MaxLine+10)))
	if long.Next() || long.Err() == nil {
		t.Fatal("an over-long line must be an error")
	}
}

// TestLinesAcrossReads: lines of every length, some longer than the
// first buffer, come out whole however the reader cuts the data.
func TestLinesAcrossReads(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	var b strings.Builder
	for i := 0; i < 400; i++ {
		n := r.Intn(300)
		if i%50 == 7 {
			n = 70000 + r.Intn(200000) // more than the 64 KiB buffer
		}
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), n))
		if i%9 == 0 {
			b.WriteByte('\r')
		}
		b.WriteByte('\n')
	}
	b.WriteString("last line without a line feed")
	text := b.String()
	want := strings.SplitAfter(text, "\n")
	for name, rd := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(text) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) },
		"halves":   func() io.Reader { return iotest.HalfReader(strings.NewReader(text)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(text)) },
	} {
		l := NewLines(rd())
		var got []string
		for l.Next() {
			got = append(got, l.Raw())
			if l.Line() != len(got) {
				t.Fatalf("%s: line %d counted as %d", name, len(got), l.Line())
			}
		}
		if l.Err() != nil || !slices.Equal(got, want) {
			t.Fatalf("%s: %d lines (error %v), want %d", name, len(got), l.Err(), len(want))
		}
	}
	l := NewLines(io.MultiReader(strings.NewReader("one\ntwo"), iotest.ErrReader(io.ErrUnexpectedEOF)))
	if !l.Next() || l.Text() != "one" || l.Next() || !errors.Is(l.Err(), io.ErrUnexpectedEOF) {
		t.Fatalf("a read error must end the lines with it: %v", l.Err())
	}
}

// FuzzFloat checks the fast path against strconv for plain decimals.
func FuzzFloat(f *testing.F) {
	f.Add("874.8")
	f.Add("-0.000001")
	f.Add("123456789012345")
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := plainDecimal(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil && !strings.HasSuffix(s, ".") && !strings.HasPrefix(strings.TrimPrefix(s, "-"), ".") {
			t.Fatalf("%q: plainDecimal accepted what strconv rejects: %v", s, err)
		}
		if err == nil && v != want {
			t.Fatalf("%q: %v, want %v", s, v, want)
		}
	})
}

func TestNumberShapes(t *testing.T) {
	for s, want := range map[string][3]bool{ // IsUint, IsInt, IsNumber
		"12": {true, true, true}, "-12": {false, true, true}, "1.5": {false, false, true},
		"1e-5": {false, false, true}, "1e": {false, false, false}, "": {false, false, false}, ".5": {false, false, true},
	} {
		if got := [3]bool{IsUint(s), IsInt(s), IsNumber(s)}; got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
	if ls := HeadLines([]byte("a\r\nb\nc")); len(ls) != 2 || ls[0] != "a" || ls[1] != "b" {
		t.Errorf("HeadLines: %q", ls)
	}
}

func TestPlainNumbers(t *testing.T) {
	for _, c := range []struct {
		line string
		want []float64
		ok   bool
	}{
		{"1 587.505026 240.925705 0.000000\r\n", []float64{1, 587.505026, 240.925705, 0}, true},
		{"\t-12.5\t.5  7.", []float64{-12.5, 0.5, 7}, true},
		{"", nil, true},
		{"  \n", nil, true},
		{"1 2 3 4 5", []float64{1, 2, 3, 4}, false}, // more fields than room
		{"1 2e3 4", []float64{1}, false},
		{"1 +2 4", []float64{1}, false},
		{"1 - 4", []float64{1}, false},
		{"1 2,5", []float64{1}, false},
		{"1234567890123456", nil, false},
		{"x 1", nil, false},
	} {
		got, ok := PlainNumbers(c.line, make([]float64, 0, 4))
		if ok != c.ok || !slices.Equal(got, c.want) {
			t.Errorf("PlainNumbers(%q) = %v, %v; want %v, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}

// FuzzPlainNumbers: whatever PlainNumbers accepts, splitting the line
// into fields and reading each with Float gives the same.
func FuzzPlainNumbers(f *testing.F) {
	f.Add("1 587.505026 240.925705 0.000000\r\n")
	f.Add("-0 .5 7.")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := PlainNumbers(s, make([]float64, 0, 4))
		if !ok {
			return
		}
		var want []float64
		for _, fld := range strings.FieldsFunc(s, func(r rune) bool { return r < 128 && isSpace(byte(r)) }) {
			want = append(want, Float(fld))
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %v, want %v", s, got, want)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%q: %v, want %v", s, got, want)
			}
		}
	})
}

func TestSizeRequired(t *testing.T) {
	err := SizeRequired("a version 1 .uv file stores no resolution")
	var ue *UserError
	if !errors.As(err, &ue) || ue.Code != CodeDimensionsRequired {
		t.Fatalf("got %#v, want a %s UserError", err, CodeDimensionsRequired)
	}
	want := "Width and height must be provided for this importer (a version 1 .uv file stores no resolution)"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	for _, c := range []struct {
		w, h int
		want bool
	}{{0, 0, false}, {1920, 0, false}, {0, 1080, false}, {-1, 5, false}, {1, 1, true}, {1920, 1080, true}} {
		if got := (&Session{Width: c.w, Height: c.h}).HasSize(); got != c.want {
			t.Errorf("HasSize of %dx%d = %v, want %v", c.w, c.h, got, c.want)
		}
	}
}
