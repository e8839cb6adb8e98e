package shaketext

import "testing"

func TestSniff(t *testing.T) {
	for head, want := range map[string]int{
		"TrackName track1\n   Frame             X             Y   Correlation\n  121.00  1  2  1\n":                                    2,
		"TrackName track1\r\n   Frame X Y Correlation\r\n":                                                                             2,
		"TrackName track1\n   Frame X Y Correlation\n 1.00 1 2 1.000\n\nTrackName track2\n   Frame X Y Correlation\n 1.00 1 2 1.000\n": 2,
		"\nTrackName autotrack0\n   Fra":                                    0, // no column header after the name
		"TrackName is a word\nand this a sentence\n":                        0,
		"TrackName a\n   Frame X Y Correlation\n 1.00 1 2 1.000\nmilk\n":    0,
		"TrackName a\n   Frame X Y Correlation\n 1.00 1 2 1.000 4\n":        0,
		"TrackName a\n   Frame X Y Correlation\nTrackName b\n 1.00 1 2 1\n": 0,
		"TrackName track1\n1 2 3 4\n":                                       0,
		"TrackName \n   Frame X Y Correlation\n":                            0,
		"foo TrackName a\n   Frame X Y Correlation\n":                       0,
		"   Frame X Y Correlation\n":                                        0,
	} {
		if got := sniffImporter([]byte(head)); got != want {
			t.Errorf("sniff(%q) = %d, want %d", head, got, want)
		}
	}
}
