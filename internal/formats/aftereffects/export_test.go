package aftereffects

import (
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_AfterEffects.jsx")
}

func TestExportEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		w, h     int
		trackers []*track.Tracker
		want     string // the output after the preamble and its empty line
	}{
		{
			name: "empty export",
			w:    720, h: 576,
			want: "}\n",
		},
		{
			name: "odd name is a JavaScript literal (UTF-8 as \\u, a stray byte as Latin-1), Y flipped without offset, frames as is",
			w:    100, h: 50,
			trackers: []*track.Tracker{{
				Name:      "Tr\xC3\xA9ck#{x}\"q\\z\x01\xE9\xF0\x9F\x98\x80\u2028",
				Keyframes: []track.Keyframe{{Frame: -3, X: 1.5, Y: 50}, {Frame: 7, X: 0.123456, Y: -10}},
			}},
			want: "\nvar layer0 = activeComp.layers.addNull();\n" +
				`layer0.name = "Tr\u00e9ck#{x}\"q\\z\x01\u00e9\ud83d\ude00\u2028";` + "\n\n" +
				"var pos = layer0.property(\"Transform\").property(\"Position\");\n" +
				"pos.setValueAtTime(convertFrameToSeconds(layer0, -3), [1.50000,0.00000]);\n" +
				"pos.setValueAtTime(convertFrameToSeconds(layer0, 7), [0.12346,60.00000]);\n" +
				"}\n",
		},
		{
			name: "layers numbered in order",
			w:    10, h: 10,
			trackers: []*track.Tracker{
				{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 1, Y: 2}}},
				{Name: "b", Keyframes: []track.Keyframe{{Frame: 1, X: 3, Y: 4}}},
			},
			want: "\nvar layer0 = activeComp.layers.addNull();\nlayer0.name = \"a\";\n\n" +
				"var pos = layer0.property(\"Transform\").property(\"Position\");\n" +
				"pos.setValueAtTime(convertFrameToSeconds(layer0, 0), [1.00000,8.00000]);\n" +
				"\nvar layer1 = activeComp.layers.addNull();\nlayer1.name = \"b\";\n\n" +
				"var pos = layer1.property(\"Transform\").property(\"Position\");\n" +
				"pos.setValueAtTime(convertFrameToSeconds(layer1, 1), [3.00000,6.00000]);\n" +
				"}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, tt.w, tt.h, tt.trackers)
			body, ok := strings.CutPrefix(got, preamble+"\n")
			if !ok {
				t.Fatalf("output does not start with the preamble:\n%s", got)
			}
			formattest.CompareText(t, tt.name, body, tt.want)
		})
	}
}
