package templates

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// pollHarness runs the job page's poller of app.js under node, with a
// stand-in for the page's elements and for fetch: each poll gets the next
// of $ANSWERS, and the test prints what the page shows after each one.
const pollHarness = `
var answers = JSON.parse(process.env.ANSWERS);
function el(attrs) {
  return {
    attrs: attrs || {}, style: {}, textContent: "",
    classList: { add: function () {}, remove: function () {}, toggle: function () {} },
    getAttribute: function (n) { return n in this.attrs ? this.attrs[n] : null; },
    setAttribute: function (n, v) { this.attrs[n] = String(v); },
    hasAttribute: function (n) { return n in this.attrs; },
    querySelector: function () { return null; },
    querySelectorAll: function () { return []; },
    addEventListener: function () {},
  };
}
var parts = { "[data-fill]": el(), "[data-bar]": el({ "aria-valuenow": "0" }), "[data-percent]": el(),
  "[data-message]": el(), "[data-badge]": el() };
var job = el({ "data-state": "running", "data-status": "/jobs/x/status" });
job.querySelector = function (s) { return parts[s]; };
global.document = { readyState: "complete", documentElement: el(),
  querySelector: function (s) { return s === "[data-job]" ? job : null; } };
global.window = { location: { reload: function () {} }, addEventListener: function () {} };
var next = 0, queue = [], shown = [];
global.fetch = function () {
  var a = answers[next++];
  return Promise.resolve({ ok: true, json: function () { return Promise.resolve(a); } });
};
global.setTimeout = function (fn) { queue.push(fn); };
require(process.env.APP_JS);
(async function () {
  while (queue.length && next < answers.length) {
    queue.shift()();
    await new Promise(function (r) { setImmediate(r); });
    shown.push(parts["[data-percent]"].textContent + " " + parts["[data-message]"].textContent);
  }
  console.log(JSON.stringify(shown));
})();
`

// TestJobPollerNeverLowersTheBar: within one attempt the bar keeps the
// highest percent shown, whatever the status answers (a memcached restart
// or a server process that never read this job's progress answers 0 %);
// a new attempt, or the job back in the queue, starts from 0 again.
func TestJobPollerNeverLowersTheBar(t *testing.T) {
	type status struct {
		State   string `json:"state"`
		Percent int    `json:"percent"`
		Message string `json:"message"`
		Attempt int    `json:"attempt"`
	}
	answers := []status{
		{"running", 40, "Exporting", 1},
		{"running", 100, "Packing the files into one zip (3 of 21)", 1},
		{"running", 0, "Starting the conversion", 1}, // memcached restarted
		{"running", 100, "Packing the files into one zip (4 of 21)", 1},
		{"running", 10, "Reading", 2}, // tried again
		{"queued", 0, "Waiting in the queue to be tried again", 2},
		{"running", 5, "Reading", 3},
	}
	want := []string{
		"40% Exporting",
		"100% Packing the files into one zip (3 of 21)",
		"100% Packing the files into one zip (3 of 21)",
		"100% Packing the files into one zip (4 of 21)",
		"10% Reading",
		"0% Waiting in the queue to be tried again",
		"5% Reading",
	}
	js, _ := json.Marshal(answers)
	out, err := runHarness(t, "the page's poller", pollHarness, "ANSWERS="+string(js)).Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("harness output %q: %v", out, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the page showed\n%q\nwant\n%q", got, want)
	}
}

// runHarness makes a node command that runs harness beside the embedded
// app.js (its path in APP_JS, with env added), or skips the test, which
// tests what, when node is not installed.
func runHarness(t *testing.T, what, harness string, env ...string) *exec.Cmd {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skipf("node is not installed (apt-get install nodejs, or make test); skipping the test of %s", what)
	}
	dir := t.TempDir()
	app, err := staticFS.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	appPath, harnessPath := filepath.Join(dir, "app.js"), filepath.Join(dir, "harness.js")
	if err := os.WriteFile(appPath, app, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(harnessPath, []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, harnessPath)
	cmd.Env = append(append(os.Environ(), "APP_JS="+appPath), env...)
	return cmd
}
