package web

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"tracksgo/internal/tools"
)

// TestToolsRunInTheUsersOrder: the chosen tools run in the order of their
// numbers (the script numbers them as the user arranges them; without it
// the user types them), unnumbered ones after, in the form's order; the
// refused form lists them in that order.
func TestToolsRunInTheUsersOrder(t *testing.T) {
	for _, c := range []struct {
		vals url.Values
		want string
	}{
		{url.Values{"tool": {"slipper", "scaler", "prefix"}, "order.prefix": {"1"}, "order.scaler": {"3"}, "order.slipper": {"2"}}, "prefix slipper scaler"},
		{url.Values{"tool": {"slipper", "scaler", "prefix"}}, "slipper scaler prefix"},
		{url.Values{"tool": {"slipper", "scaler", "prefix"}, "order.prefix": {"7"}}, "prefix slipper scaler"},
		{url.Values{"tool": {"Flip", "flip", "lint"}, "order.flip": {"x"}}, "flip"},
	} {
		if got := strings.Join(toolOrder(c.vals), " "); got != c.want {
			t.Errorf("%v: %q, want %q", c.vals, got, c.want)
		}
	}

	e := newEnv(t)
	fields := [][2]string{{"width", "1920"}, {"height", "1080"},
		{"tool", "slipper"}, {"t.slipper.slip", "3"}, {"order.slipper", "2"},
		{"tool", "scaler"}, {"t.scaler.x_factor", "2"}, {"order.scaler", "1"}}
	id := e.createWith(fields)
	j, _ := e.store.Get(context.Background(), id)
	if len(j.Options.Tools) != 2 || j.Options.Tools[0].Name != "scaler" || j.Options.Tools[1].Name != "slipper" {
		t.Errorf("tools %+v, want scaler then slipper", j.Options.Tools)
	}
	_, page := e.post(form{fields: append(fields[2:], [2]string{"t.scaler.y_factor", "big"}), fileName: "a.nk", content: []byte(nukeSample)}, "")
	chosen := page[strings.Index(page, `id="chosen-tools"`):strings.Index(page, `id="tool-catalog"`)]
	if sc, sl := strings.Index(chosen, `id="tool-scaler"`), strings.Index(chosen, `id="tool-slipper"`); sc < 0 || sl < sc {
		t.Errorf("refused form: chosen tools not in the user's order (%d, %d)", sc, sl)
	}
	if !strings.Contains(page, `Scale: Y factor: &#34;big&#34; is not a number`) {
		t.Error("the tool's error is not in words")
	}
}

func (e *env) createWith(fields [][2]string) string {
	e.t.Helper()
	resp, body := e.post(form{fields: fields, fileName: "a.nk", content: []byte(nukeSample)}, "")
	if resp.StatusCode != 303 {
		e.t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	return strings.TrimPrefix(resp.Header.Get("Location"), "/jobs/")
}

// TestFormSpeaksPlainly: the form names formats, tools and parameters in
// words, says who sees the file and for how long it is kept.
func TestFormSpeaksPlainly(t *testing.T) {
	e := newEnv(t, "RETENTION", "72h")
	_, page := e.get("/")
	for _, want := range []string{"Nuke script", "3DE v4 point export", "<b>Scale</b>", "X factor", "Left pad (fraction of width)",
		"Minimum length (keyframes)", "kept on this server for 3 days", "sent to the administrator by e-mail",
		`id="convert"`, `id="detected"`, `id="chosen-tools"`, `name="order.scaler"`, `data-move="up"`} {
		if !strings.Contains(page, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	hint := page[strings.Index(page, "The comp size in pixels."):]
	hint = hint[:strings.Index(hint, "</p>")]
	for _, id := range []string{"Equalizer3", "FlameStabilizer", "ShakeText", "NukeScript"} {
		if strings.Contains(hint, id) {
			t.Errorf("the size hint names %s by its id", id)
		}
	}
	for _, tl := range tools.All() {
		for _, p := range tl.Params {
			if strings.Contains(page, ">"+p.Name+"\n") {
				t.Errorf("parameter %s shown by its id", p.Name)
			}
		}
	}
}

// TestFailedNukeScriptIsAdvisedForNuke: a Nuke script without tracker
// nodes, converted by the real runner, fails with advice about Nuke (the
// nodes read, Nuke 5 to 16), not about other applications' formats; the
// page offers to convert again with its settings and says the
// administrator got the file.
func TestFailedNukeScriptIsAdvisedForNuke(t *testing.T) {
	e := newEnv(t)
	id := e.createWith([][2]string{{"width", "1920"}, {"height", "1080"}, {"tool", "flip"}})
	e.uploadAs(id, "Root {\n inputs 0\n}\nBlur {\n size 3\n}\n")
	if err := e.runJob(e.claim(id)); err != nil {
		t.Fatal(err)
	}
	_, page := e.get("/jobs/" + id)
	for _, want := range []string{"Conversion failed", "It was read as Nuke script.", "Nuke 5 to 16", "CornerPin2D", "CameraTracker",
		"Try without the tools (Mirror horizontally)", "administrator was sent this error and your file",
		`href="/jobs/` + id + `/again"`, "Convert again with other settings"} {
		if !strings.Contains(page, want) {
			t.Errorf("failed page lacks %q", want)
		}
	}
	main := page[:strings.Index(page, "</main>")] // the footer names every application
	for _, bad := range []string{"NukeScript", "SynthEyes", "PFTrack", "up to and including 8", "Try again</a>"} {
		if strings.Contains(main, bad) {
			t.Errorf("failed page says %q", bad)
		}
	}
}

// uploadAs replaces a queued job's upload.
func (e *env) uploadAs(id, content string) {
	e.t.Helper()
	j, err := e.store.Get(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := writeFile(j.Upload, content); err != nil {
		e.t.Fatal(err)
	}
}

func TestPlainError(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Width and height must be provided for this importer (a version 1 .uv file stores no resolution)",
			"Width and height must be provided for this file (a version 1 .uv file stores no resolution)"},
		{"NukeScript: line 3: unexpected }", "Nuke script: line 3: unexpected }"},
		{"AEKeyframes: no 2D track in this keyframe data: x", "After Effects / Mocha keyframe data: no 2D track in this keyframe data: x"},
		{"Unknown input format (tried: 3DE v3 point export)", "Unknown input format (tried: 3DE v3 point export)"},
		{"Something: else", "Something: else"},
		{"Could not recover any non-empty trackers from this file.\nWrong import format maybe?\n", "No tracker with keyframes was found in this file."},
		{"Could not recover any non-empty trackers from this file.\nWrong import format maybe?\nAlso note that this particular format (Nuke script) has the following snags: Tracks are read from X.",
			"No tracker with keyframes was found in this file. It was read as Nuke script. Tracks are read from X."},
	} {
		if got := plainError(c.in); got != c.want {
			t.Errorf("plainError(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }
