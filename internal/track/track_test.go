package track

import (
	"errors"
	"strings"
	"testing"
)

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Mary had a \n \t little lamb": "Mary_had_a_little_lamb",
		"Tracker2\r\n":                 "Tracker2_",
		"plain":                        "plain",
		"":                             "",
		" lead":                        "_lead",
	} {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func frames(t *Tracker) []int {
	var f []int
	for _, k := range t.Keyframes {
		f = append(f, k.Frame)
	}
	return f
}

func TestKeyframesStayInFrameOrder(t *testing.T) {
	tr := New("a")
	for _, f := range []int{15, 8, 1} {
		tr.Set(Keyframe{Frame: f, X: float64(f)})
	}
	if got := frames(tr); len(got) != 3 || got[0] != 1 || got[1] != 8 || got[2] != 15 {
		t.Fatalf("frames %v", got)
	}
	tr.Set(Keyframe{Frame: 15, X: 99})
	if k, _ := tr.At(15); tr.Len() != 3 || k.X != 99 {
		t.Fatalf("set did not replace: %+v", tr.Keyframes)
	}
	err := tr.Add(Keyframe{Frame: 1})
	var dup *DuplicateFrameError
	if !errors.As(err, &dup) || err.Error() != `The tracker "a" already contains a keyframe at 1` {
		t.Fatalf("strict add: %v", err)
	}
	if err := tr.Add(Keyframe{Frame: -3}); err != nil || frames(tr)[0] != -3 {
		t.Fatalf("strict add of a new frame: %v %v", err, frames(tr))
	}
}

func TestLint(t *testing.T) {
	k := func(f int) Keyframe { return Keyframe{Frame: f} }
	for _, c := range []struct {
		name string
		run  func(e Exporter) error
		want string
	}{
		{"open tracker", func(e Exporter) error {
			e.StartExport(1, 1)
			e.StartTracker("a")
			e.ExportPoint(k(1))
			return e.StartTracker("b")
		}, "The tracker b has been sent before the last tracker finished"},
		{"frame goes back", func(e Exporter) error {
			e.StartExport(1, 1)
			e.StartTracker("a")
			e.ExportPoint(k(5))
			return e.ExportPoint(k(4))
		}, "A keyframe for a has been sent that comes before the previous keyframe (4 should NOT come after 5)."},
		{"empty tracker", func(e Exporter) error {
			e.StartExport(1, 1)
			e.StartTracker("a")
			return e.EndTracker()
		}, "The tracker a contained no keyframes. Probably there were some filtering ops done and no keyframes have been exported"},
		{"nothing exported", func(e Exporter) error {
			e.StartExport(1, 1)
			return e.EndExport()
		}, "There were no trackers exported"},
		{"negative and equal frames are fine", func(e Exporter) error {
			e.StartExport(1, 1)
			e.StartTracker("a")
			e.ExportPoint(k(-2))
			e.ExportPoint(k(-2))
			e.ExportPoint(k(0))
			e.EndTracker()
			return e.EndExport()
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(NewLint(&Buffer{}))
			if (c.want == "" && err != nil) || (c.want != "" && (err == nil || err.Error() != c.want)) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestExportThroughBuffer(t *testing.T) {
	b := &Buffer{}
	in := []*Tracker{{Name: "a", Keyframes: []Keyframe{{Frame: 1, X: 2, Y: 3, Residual: 0.5}}}}
	if err := JustExport(b, 10, 20, in); err != nil {
		t.Fatal(err)
	}
	if b.Width != 10 || b.Height != 20 || !b.Ended || len(b.Trackers) != 1 || b.Trackers[0].Keyframes[0] != in[0].Keyframes[0] {
		t.Fatalf("%+v", b)
	}
	if err := JustExport(&Buffer{}, 1, 1, []*Tracker{{Name: "empty"}}); err == nil || !strings.Contains(err.Error(), "contained no keyframes") {
		t.Fatalf("empty tracker through Lint: %v", err)
	}
}

func TestSortKeyframesLastWins(t *testing.T) {
	ks := SortKeyframes([]Keyframe{{Frame: 5, X: 1}, {Frame: 2}, {Frame: 5, X: 2}, {Frame: -1}})
	if len(ks) != 3 || ks[0].Frame != -1 || ks[1].Frame != 2 || ks[2].Frame != 5 || ks[2].X != 2 {
		t.Fatalf("%+v", ks)
	}
}

// TestCheckOrderIsLints: CheckOrder finds what Lint finds in a tracker
// exported as it is, with the same message.
func TestCheckOrderIsLints(t *testing.T) {
	for _, frames := range [][]int{{1, 2, 3}, {-2, -2, 0}, {5, 4}, {1, 3, 2, 1}, {7}} {
		tr := &Tracker{Name: "a"}
		for _, f := range frames {
			tr.Keyframes = append(tr.Keyframes, Keyframe{Frame: f})
		}
		lint := NewLint(&Buffer{})
		lint.StartExport(1, 1)
		lint.StartTracker(tr.Name)
		var want error
		for _, k := range tr.Keyframes {
			if want = lint.ExportPoint(k); want != nil {
				break
			}
		}
		got := CheckOrder(tr)
		if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
			t.Errorf("%v: CheckOrder %v, Lint %v", frames, got, want)
		}
	}
}

func TestSettled(t *testing.T) {
	for _, c := range []struct {
		tr   *Tracker
		want bool
	}{
		{&Tracker{Name: "a", Keyframes: []Keyframe{{Frame: 1}, {Frame: 2}}}, true},
		{&Tracker{Name: "a", Keyframes: []Keyframe{{Frame: 1}, {Frame: 1}}}, false},
		{&Tracker{Name: "a", Keyframes: []Keyframe{{Frame: 2}, {Frame: 1}}}, false},
		{&Tracker{Name: "a b", Keyframes: []Keyframe{{Frame: 1}}}, false},
	} {
		if got := Settled(c.tr); got != c.want {
			t.Errorf("Settled(%+v) = %v", c.tr, got)
		}
	}
}

func TestKeysGathersInOrderAtExactLength(t *testing.T) {
	var ks Keys
	if got := ks.Take(); got != nil {
		t.Fatalf("nothing gathered: %v", got)
	}
	for _, n := range []int{1, 63, 64, 65, 3*keysChunk + 7, 5} {
		for i := 0; i < n; i++ {
			ks.Append(Keyframe{Frame: i, X: float64(n)})
		}
		if ks.Len() != n {
			t.Fatalf("Len %d, want %d", ks.Len(), n)
		}
		got := ks.Take()
		if len(got) != n || cap(got) != n || ks.Len() != 0 {
			t.Fatalf("took %d keyframes (cap %d), want %d; %d left", len(got), cap(got), n, ks.Len())
		}
		for i, k := range got {
			if k.Frame != i || k.X != float64(n) {
				t.Fatalf("tracker of %d: keyframe %d is %+v", n, i, k)
			}
		}
	}
}
