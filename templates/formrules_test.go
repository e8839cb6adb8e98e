package templates

import (
	"strings"
	"testing"
)

// formRulesHarness loads app.js under node with a page that has no form
// and checks the upload form's rules (window.TracksForm): when the comp
// size is needed, when the form may be sent, and the tools' order.
const formRulesHarness = `
var assert = require("assert");
function el() { return { classList: { add: function () {} }, addEventListener: function () {} }; }
global.document = { readyState: "complete", documentElement: el(), querySelector: function () { return null; } };
global.window = { addEventListener: function () {} };
require(process.env.APP_JS);
var r = window.TracksForm;

// A chosen format decides; with detection the server's answer does, and
// before it the extension's format.
assert.strictEqual(r.sizeNeeded("false", null, null), true);
assert.strictEqual(r.sizeNeeded("true", { needs_size: true }, "false"), false);
assert.strictEqual(r.sizeNeeded("auto", { needs_size: true }, null), true);
assert.strictEqual(r.sizeNeeded("auto", { needs_size: false }, "false"), false);
assert.strictEqual(r.sizeNeeded("auto", null, "false"), true);
assert.strictEqual(r.sizeNeeded("auto", null, null), false);

assert.strictEqual(r.blockReason({ hasFile: false, stored: false }), "file");
assert.strictEqual(r.blockReason({ hasFile: false, stored: true, sizeNeeded: false }), "");
assert.strictEqual(r.blockReason({ hasFile: true, refused: true }), "refused");
assert.strictEqual(r.blockReason({ hasFile: true, sizeNeeded: true, width: 1920, height: NaN }), "size");
assert.strictEqual(r.blockReason({ hasFile: true, sizeNeeded: true, width: 0, height: 1080 }), "size");
assert.strictEqual(r.blockReason({ hasFile: true, sizeNeeded: true, width: 1920, height: 1080 }), "");

assert.deepStrictEqual(r.numbers(["prefix", "slipper"]), { prefix: "1", slipper: "2" });
assert.deepStrictEqual(r.move(["a", "b", "c"], 2, -1), ["a", "c", "b"]);
assert.deepStrictEqual(r.move(["a", "b", "c"], 0, -1), ["a", "b", "c"]);
assert.deepStrictEqual(r.move(["a", "b", "c"], 0, 1), ["b", "a", "c"]);
assert.deepStrictEqual(r.move(["a", "b", "c"], 2, 1), ["a", "b", "c"]);
console.log("ok");
`

func TestFormRules(t *testing.T) {
	out, err := runHarness(t, "the form's rules", formRulesHarness).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("node: %v\n%s", err, out)
	}
}
