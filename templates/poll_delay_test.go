package templates

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestJobPollerLooksSoonThenLessOften: the job page asks for the status
// 100 ms after it loads, then ever less often, down to every 500 ms, so
// that a small job's end shows at once and a long job costs little.
func TestJobPollerLooksSoonThenLessOften(t *testing.T) {
	harness := strings.Replace(pollHarness, "global.setTimeout = function (fn) { queue.push(fn); };",
		"var delays = []; global.setTimeout = function (fn, ms) { delays.push(ms); queue.push(fn); };", 1)
	harness = strings.Replace(harness, "console.log(JSON.stringify(shown));", "console.log(JSON.stringify(delays));", 1)
	if harness == pollHarness || !strings.Contains(harness, "delays.push") || !strings.Contains(harness, "stringify(delays)") {
		t.Fatal("the poller's harness changed: update this test")
	}
	answers, _ := json.Marshal([]map[string]any{
		{"state": "queued", "attempt": 0},
		{"state": "running", "percent": 10, "attempt": 1},
		{"state": "running", "percent": 5, "attempt": 1}, // lower: kept, and still polled
		{"state": "running", "percent": 40, "attempt": 1},
		{"state": "running", "percent": 50, "attempt": 1},
		{"state": "running", "percent": 60, "attempt": 1},
		{"state": "running", "percent": 70, "attempt": 1},
	})
	out, err := runHarness(t, "the page's poller", harness, "ANSWERS="+string(answers)).Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []int
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("harness output %q: %v", out, err)
	}
	want := []int{100, 150, 225, 338, 500, 500, 500, 500}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("polled after %v ms, want %v", got, want)
	}
}
