package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tracksgo/internal/jobs"
	"tracksgo/internal/tools"
)

func TestToolsAppliedKeepOrderAndParameters(t *testing.T) {
	got := toolsApplied([]tools.Spec{
		{Name: "slipper", Params: tools.Values{"slip": " 1000 "}},
		{Name: "LengthCutoff", Params: tools.Values{"min_length": "2"}},
		{Name: "flip"},
		{Name: "prefix", Params: tools.Values{"prefix": "cam A "}},
		// Map order is random: the page follows the tool's parameters.
		{Name: "lensdisto", Params: tools.Values{"remove": "true", "kcube": "0.1", "k": ""}},
	})
	var labels []string
	for _, a := range got {
		labels = append(labels, a.Title+": "+strings.Join(a.Params, ", "))
	}
	want := []string{
		"Slip in time: Slip (frames) 1000",
		"Drop short trackers: Minimum length (keyframes) 2",
		"Mirror horizontally: ",
		`Prefix names: Prefix text "cam A "`,
		"Lens distortion: Cubic coefficient (kcube) 0.1, Remove the distortion true",
	}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("tools %q, want %q", labels, want)
	}
	if got[0].Desc != tools.Slipper.Desc {
		t.Errorf("description %q", got[0].Desc)
	}
}

// twoTrackers: "long" on internal frames 0-3, "short" on frame 5 alone.
const twoTrackers = `{"width": 1920, "height": 1080, "trackers": [
{"name": "long", "keyframes": [{"frame": 0, "x": 1, "y": 1, "residual": 0}, {"frame": 1, "x": 2, "y": 2, "residual": 0}, {"frame": 2, "x": 3, "y": 3, "residual": 0}, {"frame": 3, "x": 4, "y": 4, "residual": 0}]},
{"name": "short", "keyframes": [{"frame": 5, "x": 5, "y": 5, "residual": 0}]}
]}`

// TestJobPageDescribesTheOutputsAfterTools uploads a job with tools, runs
// it as the converter does and reads the page and the JSON: the summary
// is what the outputs hold, the tools are listed in the order they ran.
func TestJobPageDescribesTheOutputsAfterTools(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(form{fileName: "two.json", content: []byte(twoTrackers), fields: [][2]string{
		{"exporter", "json"}, {"exporter", "nukescript"},
		{"tools", `[{"name": "slipper", "params": {"slip": "1000"}}, {"name": "lengthcutoff", "params": {"min_length": "2"}}]`},
	}}, "application/json")
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created struct{ ID string }
	json.Unmarshal([]byte(body), &created)
	j := e.claim(created.ID)
	if err := e.runJob(j); err != nil {
		t.Fatal(err)
	}

	_, page := e.get("/jobs/" + j.ID)
	// One tracker of 4 keyframes on frames 1000-1003 (1001-1004 counting
	// from 1); the file held 2 trackers of 5 keyframes on frames 0-5.
	for _, want := range []string{"Converted", "<dd>1</dd>", "<dd>4</dd>", "counting from 1", "1001–1004",
		"Tools applied, in order", "<b>Slip in time</b>: Slip (frames) 1000", "<b>Drop short trackers</b>: Minimum length (keyframes) 2",
		"Before the tools the file held 2 trackers with 5 keyframes on frames 1–6 (counting from 1), comp size 1920 × 1080."} {
		if !strings.Contains(page, want) {
			t.Errorf("done page lacks %s", want)
		}
	}
	if s, l := strings.Index(page, "<b>Slip in time</b>"), strings.Index(page, "<b>Drop short trackers</b>"); s < 0 || l < s {
		t.Errorf("tools not in the order they ran: Slipper at %d, LengthCutoff at %d", s, l)
	}
	for _, stale := range []string{"<dd>2</dd>", "<dd>5</dd>", "1–6</dd>"} {
		if strings.Contains(page, stale) {
			t.Errorf("done page shows %s, a count from before the tools", stale)
		}
	}

	_, body = e.get("/jobs/"+j.ID, "Accept", "application/json")
	var v struct {
		Options jobs.Options
		Result  jobs.Result
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	wantOut := jobs.Result{Importer: "JSON", Width: 1920, Height: 1080, Trackers: 1, Keyframes: 4, FirstFrame: 1000, LastFrame: 1003,
		Files:    v.Result.Files,
		Imported: &jobs.Summary{Width: 1920, Height: 1080, Trackers: 2, Keyframes: 5, FirstFrame: 0, LastFrame: 5}}
	if !reflect.DeepEqual(v.Result, wantOut) {
		t.Errorf("JSON result %s, want internal 0-based frames after the tools", body)
	}
	if p, _ := e.status(j.ID); p.Message != "Wrote 1 points and 4 keyframes" {
		t.Errorf("status %+v", p)
	}
}
