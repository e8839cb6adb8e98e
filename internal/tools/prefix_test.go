package tools

import "testing"

func TestPrefix(t *testing.T) {
	tests := []struct {
		prefix, name, want string
	}{
		{"Pre_", "Tracker", "Pre_Tracker"},
		{"Pre", "Tracker", "Pre_Tracker"},
		{"abc__", "T", "abc__T"},
		{"", "Tracker", "Tracker"},
		{"_", "Tracker", "Tracker"},
		{"Pre", "", "Pre"},
		{"a b", "T", "a b_T"}, // not sanitised
		{"  ", "T", "  _T"},   // string values are taken as given
	}
	for _, tt := range tests {
		t.Run(tt.prefix+"+"+tt.name, func(t *testing.T) {
			b := apply(t, Prefix, Values{"prefix": tt.prefix}, 10, 10, tr(tt.name, kf(0, 1, 1, 0)))
			if got := b.Trackers[0].Name; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	b := apply(t, Prefix, nil, 10, 10, tr("T", kf(0, 1, 1, 0)))
	if got := b.Trackers[0].Name; got != "T" {
		t.Errorf("unset prefix: got %q, want T", got)
	}
}
