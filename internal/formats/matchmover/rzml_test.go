package matchmover

import (
	"errors"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestCorpusRZML(t *testing.T) {
	for _, rel := range formattest.CorpusFiles(t, "match_mover_rzml") {
		t.Run(rel, func(t *testing.T) { formattest.CheckCorpusFile(t, RZMLImporter, rel) })
	}
}

// The §8.1 and §8.2 facts for the RZML sample.
func TestRZMLFacts(t *testing.T) {
	s, ts := importRel(t, RZMLImporter, "match_mover_rzml/md_145_1070_right_t1.rzml")
	if s.Width != 2048 || s.Height != 1152 {
		t.Errorf("size %dx%d", s.Width, s.Height)
	}
	if len(ts) != 2 || ts[0].Name != "1" || ts[1].Name != "2" {
		t.Fatalf("trackers %v", ts)
	}
	f := ts[0]
	if f.Len() != 71 || ts[1].Len() != 71 {
		t.Fatalf("%d and %d kfs, want 71", f.Len(), ts[1].Len())
	}
	if f.Keyframes[0].Frame != 0 || f.Keyframes[1].Frame != 1 {
		t.Errorf("frames %d, %d", f.Keyframes[0].Frame, f.Keyframes[1].Frame)
	}
	near(t, "[0] x", f.Keyframes[0].X, 626.7, 0.1)
	near(t, "[0] y", f.Keyframes[0].Y, 663.4, 0.1)
	checkKey(t, "[0]", f.Keyframes[0], 0, 626.68, 663.44, 0.8, 1e-6)
	checkKey(t, "[-1]", f.Keyframes[70], 70, 612.24, 656.10, 0, 1e-6)
}

func TestRZMLRules(t *testing.T) {
	in := `<?xml version="1.0" encoding="ISO-8859-1"?>
<rzml>
  <L i="7" n="Caf` + "\xE9" + `"/>
  <shot w="100" h="50">
    <M i="9" x="1" y="1"/>
    <ipln>
      <ifrm>
        <m i="7" x="1" y="10" tt="0.5"/>
        <M i="3" x="2" y="20"/>
      </ifrm>
      <IFRM t="4"><M i="7" x="3" y="30"/></IFRM>
      <IFRM><M i="7" x="4" y="40"/></IFRM>
      <IFRM t="2"><M i="7" x="5" y="5"/><M i="empty name"/></IFRM>
    </ipln>
    <M i="8" x="1" y="1"/>
  </shot>
</rzml>`
	ts, s, err := importString(t, RZMLImporter, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 100 || s.Height != 50 {
		t.Errorf("size %dx%d", s.Width, s.Height)
	}
	if len(ts) != 3 || ts[0].Name != "7" || ts[1].Name != "3" || ts[2].Name != "empty_name" {
		t.Fatalf("trackers %+v", ts)
	}
	want := []track.Keyframe{{Frame: 0, X: 1, Y: 40, Residual: 0.5}, {Frame: 2, X: 5, Y: 45}, {Frame: 4, X: 4, Y: 10}}
	if got := ts[0].Keyframes; len(got) != len(want) {
		t.Fatalf("keys %+v", got)
	}
	for i, k := range ts[0].Keyframes {
		if k != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, k, want[i])
		}
	}
}

func TestRZMLNoShot(t *testing.T) {
	ts, s, err := importString(t, RZMLImporter, `<RZML><IPLN><IFRM t="1"><M i="1" x="1" y="2"/></IFRM></IPLN></RZML>`)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 0 || s.Height != 0 || len(ts) != 1 || ts[0].Keyframes[0] != (track.Keyframe{Frame: 1, X: 1, Y: -2}) {
		t.Errorf("size %dx%d, trackers %+v", s.Width, s.Height, ts)
	}
}

func TestRZMLErrors(t *testing.T) {
	cases := []struct {
		name, in, want string
		line           int
	}{
		{"empty", "", "no RZML element", 0},
		{"other root", "<svg/>", "no RZML element", 0},
		{"truncated", "<RZML>\n<SHOT w=\"1\" h=\"1\">\n<IPLN", "malformed XML", 3},
		{"mismatched", "<RZML>\n<SHOT>\n</IPLN>", "malformed XML", 3},
		{"garbage", "\x00\x01", "malformed XML", 1},
		{"charset", `<?xml version="1.0" encoding="EBCDIC"?><RZML/>`, "EBCDIC", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, _, err := importString(t, RZMLImporter, c.in)
			var pe *format.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a ParseError", err)
			}
			if len(ts) != 0 || !strings.Contains(err.Error(), c.want) || pe.Line != c.line || pe.Format != "MatchMoverRZML" {
				t.Errorf("error %q (line %d), want %q at line %d", err, pe.Line, c.want, c.line)
			}
		})
	}
}

func TestLatin1Reader(t *testing.T) {
	r := &latin1Reader{r: strings.NewReader("a\xE9\xFFb")}
	var got []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	if string(got) != "aéÿb" {
		t.Errorf("got %q", got)
	}
}

func FuzzImportMatchMoverRZML(f *testing.F) {
	formattest.Seed(f, "match_mover_rzml")
	f.Add([]byte(`<RZML><SHOT w="4" h="4"><IPLN><IFRM t="3"><M i="1" x="1" y="2"/></IFRM><IFRM t="1"><M i="1"/></IFRM></IPLN></SHOT></RZML>`))
	f.Fuzz(func(t *testing.T, data []byte) { formattest.FuzzImport(t, RZMLImporter, data) })
}
