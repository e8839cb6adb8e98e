package xsi

import (
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

func TestGolden(t *testing.T) {
	formattest.Golden(t, Exporter, format.Options{}, "ref_XSI.py")
}

func TestExportEdgeCases(t *testing.T) {
	const start = "Application.CreatePrim(\"Grid\", \"MeshSurface\", \"\", \"\")\n" +
		"Application.SetValue(\"grid.Name\", \"ImagePlane\", \"\")\n" +
		"Application.SetValue(\"ImagePlane.grid.ulength\", 10.00000, \"\")\n" +
		"Application.SetValue(\"ImagePlane.grid.vlength\", 5.00000, \"\")\n" +
		"Application.Rotate(\"\", 90, 0, 0, \"siRelative\", \"siLocal\", \"siObj\", \"siXYZ\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", 0, \"\")\n"
	const model = "Application.CreateModel(\"\", \"\", \"\", \"\")\nApplication.SetValue(\"Model.Name\", \"Tracksperanto\", \"\")\n"
	const translate = ", 0, \"siAbsolute\", \"siView\", \"siObj\", \"siXYZ\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", \"\", 0, \"\")\n"
	tests := []struct {
		name     string
		trackers []*track.Tracker
		want     string
	}{
		{
			name: "empty export",
			want: start + "Application.DeselectAll()\nApplication.AddToSelection(\"ImagePlane\", \"\", \"\")\n" + model,
		},
		{
			name: "frames 1-based, names verbatim, selection in order",
			trackers: []*track.Tracker{
				{Name: "b", Keyframes: []track.Keyframe{{Frame: -1, X: 100, Y: 50}, {Frame: 4, X: 0, Y: 100}}},
				{Name: "a", Keyframes: []track.Keyframe{{Frame: 0, X: 200, Y: 0}}},
			},
			want: start +
				"# Data for tracker b\nApplication.GetPrim(\"Null\", \"\", \"\", \"\")\n" +
				"Application.SetValue(\"null.Name\", \"b\", \"\")\nApplication.SelectObj(\"b\", \"\", True)\n" +
				"Application.Translate(\"\", 0.00000, 0.00000" + translate +
				"Application.SaveKeyOnKeyable(\"b\", 0, \"\", \"\", \"\", False, \"\")\n" +
				"Application.Translate(\"\", -5.00000, 2.50000" + translate +
				"Application.SaveKeyOnKeyable(\"b\", 5, \"\", \"\", \"\", False, \"\")\n" +
				"# Data for tracker a\nApplication.GetPrim(\"Null\", \"\", \"\", \"\")\n" +
				"Application.SetValue(\"null.Name\", \"a\", \"\")\nApplication.SelectObj(\"a\", \"\", True)\n" +
				"Application.Translate(\"\", 5.00000, -2.50000" + translate +
				"Application.SaveKeyOnKeyable(\"a\", 1, \"\", \"\", \"\", False, \"\")\n" +
				"Application.DeselectAll()\nApplication.AddToSelection(\"ImagePlane\", \"\", \"\")\n" +
				"Application.AddToSelection(\"b\", \"\", \"\")\nApplication.AddToSelection(\"a\", \"\", \"\")\n" + model,
		},
		{
			name: "an odd name is a Python literal everywhere, and escaped in the comment (FORMATS.md §11.8)",
			trackers: []*track.Tracker{
				{Name: "a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9", Keyframes: []track.Keyframe{{Frame: 0, X: 100, Y: 50}}},
			},
			want: start +
				`# Data for tracker a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9` + "\n" +
				"Application.GetPrim(\"Null\", \"\", \"\", \"\")\n" +
				`Application.SetValue("null.Name", "a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9", "")` + "\n" +
				`Application.SelectObj("a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9", "", True)` + "\n" +
				"Application.Translate(\"\", 0.00000, 0.00000" + translate +
				`Application.SaveKeyOnKeyable("a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9", 1, "", "", "", False, "")` + "\n" +
				"Application.DeselectAll()\nApplication.AddToSelection(\"ImagePlane\", \"\", \"\")\n" +
				`Application.AddToSelection("a\",__import__(\"os\").system(\"id\"),\"\n\\\xc3\xa9", "", "")` + "\n" + model,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formattest.ExportString(t, Exporter, format.Options{}, 200, 100, tt.trackers)
			formattest.CompareText(t, tt.name, got, tt.want)
		})
	}
}
