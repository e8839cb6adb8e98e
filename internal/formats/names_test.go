package formats_test

// Names in generated scripts are data, never code (FORMATS.md §11.8). Every
// exporter gets trackers whose names hold what each target language treats
// specially, and its output goes through a real parser (Python, node, Ruby,
// the project's own Nuke importer) or, for MAXScript and Maya ASCII where
// none can be installed, through a tokenizer of the language's string rules
// written here. Each name must come back as one literal name, and nothing
// else may run: the payloads would create a file named PWNED in the working
// directory if they ever escaped their literal.

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/track"
)

// hostileNames holds, for every target language, its quote, backslash,
// line break, interpolation and comment characters, payloads that would
// run if a name escaped its literal, non-ASCII bytes (UTF-8, U+2028, a
// character beyond U+FFFF, bytes that are not UTF-8) and a 300-byte name.
// The first ones are plain names, which must be written as they always were.
var hostileNames = []string{
	"Parabolic_1_from_top_left",
	"cam-A.v2",
	"1015_Primary",
	"",
	// Python (XSI)
	`a",__import__("os").system("touch PWNED"),"`,
	"x\nopen('PWNED', 'w')\n#",
	`it's`,
	// JavaScript (After Effects)
	`a"+require("fs").writeFileSync("PWNED","")+"`,
	"b\nrequire('fs').writeFileSync('PWNED', '')\n//",
	"line\u2028sep\u2029par",
	// Ruby
	`#{File.write("PWNED", "")}`,
	`"+File.write("PWNED","").to_s+"`,
	"#$0 #@x #@@y",
	// Nuke (Tcl)
	"[exec touch PWNED]",
	"$env(HOME)",
	"a}\n}\nTracker3 {\n name injected\n}",
	// MAXScript
	`a" pos:[0,0,0]); DOSCommand "touch PWNED" --`,
	"100% \\% \\* \\?",
	"c\r\n-- comment\r\npt.pos.x = 1",
	// MEL / Maya ASCII
	`a"; system("touch PWNED"); //`,
	"`system \"touch PWNED\"`",
	"/* not a comment */ a;b",
	"-all",
	// quotes, backslashes, control and non-ASCII bytes
	`C:\dir\`,
	`q\\`,
	`\"`,
	"tab\there",
	"ctl\x00\x01\x1b\x7f",
	"Tr\xc3\xa9ck \xf0\x9f\x98\x80",
	"bad\xff\xfe utf8",
	"\x81\\\" sjis lead byte",
	"1015 Primary",
	strings.Repeat("\"\\[$#{;'\xc3\xa9\n", 27) + "end",
}

func TestHostileNamesTable(t *testing.T) {
	if n := len(hostileNames[len(hostileNames)-1]); n != 300 {
		t.Fatalf("the long name is %d bytes, want 300", n)
	}
}

// hostileTrackers gives every name a tracker of three keyframes, with a gap.
func hostileTrackers(names []string) []*track.Tracker {
	var ts []*track.Tracker
	for i, n := range names {
		ts = append(ts, &track.Tracker{Name: n, Keyframes: []track.Keyframe{
			{Frame: 0, X: float64(10 + i), Y: 20}, {Frame: 1, X: 11, Y: 21.5}, {Frame: 4, X: 12.25, Y: 22}}})
	}
	return ts
}

const hostileW, hostileH = 1920, 1080

// exportHostile writes the export of the hostile trackers into a fresh
// folder, which is also where the script will be run.
func exportHostile(t *testing.T, id, file string, names []string) (dir, path, text string) {
	t.Helper()
	e, err := formats.LookupExporter(id)
	if err != nil {
		t.Fatal(err)
	}
	text = formattest.ExportString(t, e, format.Options{}, hostileW, hostileH, hostileTrackers(names))
	dir = t.TempDir()
	path = filepath.Join(dir, file)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path, text
}

// need finds a program the test runs, or skips saying why.
func need(t *testing.T, prog string) string {
	t.Helper()
	p, err := exec.LookPath(prog)
	if err != nil {
		t.Skipf("%s is not installed (make deps installs it): %v", prog, err)
	}
	return p
}

// run runs a checker in dir and decodes the JSON it prints.
func run(t *testing.T, dir string, out any, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s%s", name, args, err, stderr.String(), b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s printed no JSON: %v\n%s", name, err, b)
	}
}

// noPayloadRan fails if anything but the generated script is in dir.
func noPayloadRan(t *testing.T, dir string, keep ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !slices.Contains(keep, e.Name()) {
			t.Errorf("running the script left %s behind: a name ran as code", e.Name())
		}
	}
}

// compareNames compares what a script made of the names with what it
// should have made, name by name; names[i] is where want[i] came from.
func compareNames(t *testing.T, what string, got, want, names []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d names, want %d:\n got %q\nwant %q", what, len(got), len(want), got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s %d: got %q, want %q (name %q)", what, i, got[i], want[i], names[i])
		}
	}
}

func hexes(names []string, f func(string) string) []string {
	var out []string
	for _, n := range names {
		out = append(out, hex.EncodeToString([]byte(f(n))))
	}
	return out
}

func same(s string) string { return s }

// pyChecker parses the XSI script with Python's ast, requires every
// statement to be a call of an Application method with constant
// arguments, reads every comment back as a Python string body, then runs
// the script for real (with the real builtins, so that a name that
// escaped its literal would run) against a stub Application that records
// the calls. Strings come back as the hex of their Latin-1 encoding: the
// \xHH escapes stand for one byte each.
const pyChecker = `
import ast, io, json, sys, tokenize
path = sys.argv[1]
src = open(path, 'rb').read()
src.decode('ascii')  # XSI's Python 2 reads no other bytes without a coding line
tree = ast.parse(src, path)
def const(a):
    if isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.USub):
        a = a.operand
    return isinstance(a, ast.Constant)
bad = [ast.dump(s)[:300] for s in tree.body if not (
    isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
    and isinstance(s.value.func, ast.Attribute)
    and isinstance(s.value.func.value, ast.Name) and s.value.func.value.id == 'Application'
    and not s.value.keywords and all(const(a) for a in s.value.args))]
prefix = '# Data for tracker '
comments = []
for tok in tokenize.tokenize(io.BytesIO(src).readline):
    if tok.type == tokenize.COMMENT:
        if not tok.string.startswith(prefix) or tok.start[1] != 0:
            bad.append('comment: ' + tok.string)
            continue
        try:
            comments.append(ast.literal_eval('"' + tok.string[len(prefix):] + '"').encode('latin-1').hex())
        except (ValueError, SyntaxError):
            bad.append('comment: ' + tok.string)
calls = []
class Stub:
    def __getattr__(self, method):
        def call(*args):
            calls.append([method] + [a.encode('latin-1').hex() if isinstance(a, str) else a for a in args])
        return call
exec(compile(tree, path, 'exec'), {'Application': Stub(), '__builtins__': __builtins__})
print(json.dumps({'bad': bad, 'comments': comments, 'calls': calls}))
`

func TestNamesXSIPython(t *testing.T) {
	py := need(t, "python3")
	dir, _, _ := exportHostile(t, "XSI", "nulls.py", hostileNames)
	if err := os.WriteFile(filepath.Join(dir, "check.py"), []byte(pyChecker), 0o644); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Bad      []string
		Comments []string
		Calls    [][]any
	}
	run(t, dir, &got, py, "check.py", "nulls.py")
	noPayloadRan(t, dir, "nulls.py", "check.py")
	for _, b := range got.Bad {
		t.Errorf("not a call of Application with constants: %s", b)
	}
	want := hexes(hostileNames, same)
	compareNames(t, "comment", got.Comments, want, hostileNames)
	// Every call that takes the tracker's name, in the order written.
	byMethod := map[string][]string{}
	for _, c := range got.Calls {
		switch m := c[0].(string); {
		case m == "SetValue" && c[1] == hex.EncodeToString([]byte("null.Name")):
			byMethod[m] = append(byMethod[m], c[2].(string))
		case m == "SelectObj", m == "SaveKeyOnKeyable", m == "AddToSelection" && c[1] != hex.EncodeToString([]byte("ImagePlane")):
			byMethod[m] = append(byMethod[m], c[1].(string))
		}
	}
	compareNames(t, "SetValue(null.Name)", byMethod["SetValue"], want, hostileNames)
	compareNames(t, "SelectObj", byMethod["SelectObj"], want, hostileNames)
	compareNames(t, "AddToSelection", byMethod["AddToSelection"], want, hostileNames)
	var keyed, keyedNames []string
	for i, w := range want {
		keyed = append(keyed, w, w, w) // three keyframes each
		keyedNames = append(keyedNames, hostileNames[i], hostileNames[i], hostileNames[i])
	}
	compareNames(t, "SaveKeyOnKeyable", byMethod["SaveKeyOnKeyable"], keyed, keyedNames)
}

// jsChecker compiles the After Effects script and runs it in node with
// stubs of what it uses (app, the comp, its layers), recording every name
// set on a layer as its code points. require is made global, so that a
// name that escaped its literal could really write a file.
const jsChecker = `
const fs = require('fs'), vm = require('vm');
const path = process.argv[2];
const src = fs.readFileSync(path, 'latin1');
if (/[^\x00-\x7f]/.test(src)) throw new Error('the script is not ASCII');
const script = new vm.Script(src, { filename: path });
const names = [], keys = [];
const comp = { frameDuration: 1 / 25 };
function property() {
  return { property: property, setValueAtTime(t, v) { keys[keys.length - 1]++; } };
}
comp.layers = {
  addNull() {
    const layer = { containingComp: comp, property: property };
    Object.defineProperty(layer, 'name', {
      set(v) { names.push(Array.from(String(v), c => c.codePointAt(0))); keys.push(0); },
    });
    return layer;
  },
};
globalThis.app = { project: { activeItem: comp } };
globalThis.alert = m => { throw new Error('alert: ' + m); };
globalThis.require = require;
script.runInThisContext();
console.log(JSON.stringify({ names, keys }));
`

// jsCodePoints is what ExtendScript should read: the UTF-8 characters of
// the name, and a byte that is not UTF-8 as the Latin-1 character.
func jsCodePoints(s string) []int {
	var cps []int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = rune(s[i])
		}
		cps = append(cps, int(r))
		i += n
	}
	return cps
}

func TestNamesAfterEffectsJavaScript(t *testing.T) {
	node := need(t, "node")
	dir, _, _ := exportHostile(t, "AE", "nulls.jsx", hostileNames)
	if err := os.WriteFile(filepath.Join(dir, "check.js"), []byte(jsChecker), 0o644); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Names [][]int
		Keys  []int
	}
	run(t, dir, &got, node, "check.js", "nulls.jsx")
	noPayloadRan(t, dir, "nulls.jsx", "check.js")
	var gotS, wantS []string
	for _, cps := range got.Names {
		gotS = append(gotS, fmt.Sprint(cps))
	}
	for _, n := range hostileNames {
		wantS = append(wantS, fmt.Sprint(jsCodePoints(n)))
	}
	compareNames(t, "layer name", gotS, wantS, hostileNames)
	for i, k := range got.Keys {
		if k != 3 {
			t.Errorf("layer %d got %d keys, want 3", i, k)
		}
	}
}

// rubyStub stands in for the tracksperanto gem that the bare Ruby script
// requires: it records each tracker's name (as hex) and keyframe count.
const rubyStub = `
module Tracksperanto
  SEEN = []
  class Tracker
    def initialize(opts)
      raise ArgumentError, "unexpected #{opts.keys}" unless opts.keys == [:name]
      SEEN << [opts[:name].b.unpack1('H*'), 0]
      yield self if block_given?
    end
    def keyframe!(opts)
      SEEN.last[1] += 1
    end
  end
end
`

const rubyRunner = `
require 'json'
load ARGV[0]
puts JSON.generate(Tracksperanto::SEEN)
`

func TestNamesRuby(t *testing.T) {
	ruby := need(t, "ruby")
	dir, _, _ := exportHostile(t, "Ruby", "tracks.rb", hostileNames)
	lib := t.TempDir() // outside dir: only the script may be there afterwards
	if err := os.WriteFile(filepath.Join(lib, "tracksperanto.rb"), []byte(rubyStub), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lib, "run.rb"), []byte(rubyRunner), 0o644); err != nil {
		t.Fatal(err)
	}
	var got [][2]any
	run(t, dir, &got, ruby, "-I", lib, filepath.Join(lib, "run.rb"), "tracks.rb")
	noPayloadRan(t, dir, "tracks.rb")
	var names []string
	for i, g := range got {
		names = append(names, g[0].(string))
		if g[1].(float64) != 3 {
			t.Errorf("tracker %d has %v keyframes, want 3", i, g[1])
		}
	}
	// The Ruby exporter rebuilds its trackers, so the names are sanitised.
	compareNames(t, "tracker name", names, hexes(hostileNames, track.SanitizeName), hostileNames)
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_.-]*$`)

// wantNodeName is the identifier rule of §11.8, written again here: a
// plain name as it is, else each character that is not a letter, a digit
// or '_' (an invalid byte counts as one) becomes '_', and a leading digit
// gets a '_' in front.
func wantNodeName(s string) string {
	if plainName.MatchString(s) {
		return s
	}
	var b strings.Builder
	if s[0] >= '0' && s[0] <= '9' {
		b.WriteByte('_')
	}
	for _, r := range s {
		if r < utf8.RuneSelf && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func TestNamesNukeScript(t *testing.T) {
	_, path, text := exportHostile(t, "NukeScript", "tracks.nk", hostileNames)
	imp, err := formats.LookupImporter("NukeScript")
	if err != nil {
		t.Fatal(err)
	}
	_, got, err := formattest.ImportFile(t, imp, path, hostileW, hostileH)
	if err != nil {
		t.Fatalf("the Nuke importer cannot read the export: %v", err)
	}
	var names, want []string
	for _, tr := range got {
		names = append(names, tr.Name)
		if tr.Len() != 3 {
			t.Errorf("%s: %d keyframes, want 3", tr.Name, tr.Len())
		}
	}
	for _, n := range hostileNames {
		// The exporter rebuilds (sanitises); the importer appends the knob.
		want = append(want, wantNodeName(track.SanitizeName(n))+"_track1")
	}
	compareNames(t, "tracker", names, want, hostileNames)
	// And every name knob is a bare word of the identifier characters:
	// nothing Tcl substitutes ([ ], $, \) and nothing that ends the node.
	nameKnob := regexp.MustCompile(`(?m)^     name (.*)$`)
	knobs := nameKnob.FindAllStringSubmatch(text, -1)
	if len(knobs) != len(hostileNames) {
		t.Fatalf("%d name knobs, want %d", len(knobs), len(hostileNames))
	}
	for i, k := range knobs {
		if !plainName.MatchString(k[1]) {
			t.Errorf("name knob %d is %q", i, k[1])
		}
	}
}

// A tokenizer of C-like string literals for the two languages that no
// parser can be installed for. A script is cut into code (outside strings
// and comments), string literals (decoded) and comments.

type tokKind int

const (
	tokCode tokKind = iota
	tokString
	tokComment
)

type scriptTok struct {
	kind tokKind
	text string // code and comments as written, a string's decoded value
	line int
}

type lang struct {
	name     string
	escapes  map[byte]byte // the byte after a backslash → what it stands for
	line     string        // starts a comment to the end of the line
	verbatim string        // starts a string without escapes ("" if none)
}

// MAXScript: "…" strings with \" \\ \n \t \r \% \* \? (and @"…" verbatim
// strings), -- and /* */ comments.
var maxscriptLang = lang{name: "MAXScript", line: "--", verbatim: `@"`,
	escapes: map[byte]byte{'"': '"', '\\': '\\', 'n': '\n', 't': '\t', 'r': '\r', '%': '%', '*': '*', '?': '?'}}

// MEL (Maya ASCII): C-like "…" strings with \" \\ \n \t, // and /* */
// comments.
var melLang = lang{name: "MEL", line: "//",
	escapes: map[byte]byte{'"': '"', '\\': '\\', 'n': '\n', 't': '\t'}}

// tokenize cuts a script into tokens. A string must close on the line it
// opened on (no name may spill onto the next line) and use only the
// language's escapes.
func (l lang) tokenize(src string) ([]scriptTok, error) {
	var toks []scriptTok
	line := 1
	code := strings.Builder{}
	codeLine := 1
	flush := func() {
		if code.Len() > 0 {
			toks = append(toks, scriptTok{tokCode, code.String(), codeLine})
			code.Reset()
		}
	}
	for i := 0; i < len(src); {
		switch {
		case strings.HasPrefix(src[i:], l.line):
			flush()
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			toks = append(toks, scriptTok{tokComment, src[i : i+end], line})
			i += end
		case strings.HasPrefix(src[i:], "/*"):
			flush()
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: /* comment never closed", line)
			}
			c := src[i : i+2+end+2]
			toks = append(toks, scriptTok{tokComment, c, line})
			line += strings.Count(c, "\n")
			i += len(c)
		case l.verbatim != "" && strings.HasPrefix(src[i:], l.verbatim):
			flush()
			end := strings.IndexByte(src[i+2:], '"')
			if end < 0 {
				return nil, fmt.Errorf("line %d: verbatim string never closed", line)
			}
			s := src[i+2 : i+2+end]
			if strings.ContainsAny(s, "\r\n") {
				return nil, fmt.Errorf("line %d: verbatim string spans lines", line)
			}
			toks = append(toks, scriptTok{tokString, s, line})
			i += 2 + end + 1
		case src[i] == '"':
			flush()
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(src) {
					return nil, fmt.Errorf("line %d: string never closed", line)
				}
				c := src[j]
				if c == '"' {
					break
				}
				if c == '\n' || c == '\r' {
					return nil, fmt.Errorf("line %d: string runs onto the next line: %q", line, src[i:j])
				}
				if c == '\\' {
					if j+1 >= len(src) {
						return nil, fmt.Errorf("line %d: string ends in a backslash", line)
					}
					v, ok := l.escapes[src[j+1]]
					if !ok {
						return nil, fmt.Errorf("line %d: %s has no escape \\%c", line, l.name, src[j+1])
					}
					b.WriteByte(v)
					j++
					continue
				}
				b.WriteByte(c)
			}
			toks = append(toks, scriptTok{tokString, b.String(), line})
			i = j + 1
		default:
			if code.Len() == 0 {
				codeLine = line
			}
			if src[i] == '\n' {
				line++
			}
			code.WriteByte(src[i])
			i++
		}
	}
	flush()
	return toks, nil
}

// decode reads a comment's text with the language's string escapes: the
// exporters write a name in a comment as the body of its literal.
func (l lang) decode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if v, ok := l.escapes[s[i+1]]; ok {
				b.WriteByte(v)
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func placeholder(i int) string { return fmt.Sprintf("NAMEzq%dzq", i) }

// checkShape exports the hostile names and, apart, placeholder names, and
// tokenizes both. The two must have the same tokens, once each placeholder
// is replaced by the name the application should read: the same code
// outside the literals (so no name changed the script's shape), every
// literal closing where it should and holding the intended name, and every
// comment on its line.
func checkShape(t *testing.T, l lang, id string, want func(string) string) {
	t.Helper()
	_, _, text := exportHostile(t, id, "script", hostileNames)
	var ph []string
	for i := range hostileNames {
		ph = append(ph, placeholder(i))
	}
	_, _, model := exportHostile(t, id, "model", ph)
	got, err := l.tokenize(text)
	if err != nil {
		t.Fatalf("%s output does not tokenize: %v", id, err)
	}
	exp, err := l.tokenize(model)
	if err != nil {
		t.Fatalf("%s output of plain names does not tokenize: %v", id, err)
	}
	// No placeholder is a prefix of another (NAMEzq1zq, NAMEzq12zq).
	var pairs []string
	for i, n := range hostileNames {
		pairs = append(pairs, placeholder(i), want(n))
	}
	r := strings.NewReplacer(pairs...)
	if len(got) != len(exp) {
		t.Fatalf("%d tokens, want %d: a name changed the script's shape", len(got), len(exp))
	}
	for i := range exp {
		g, e := got[i], exp[i]
		if g.kind != e.kind {
			t.Fatalf("token %d (line %d) is of kind %d, want %d: %q", i, g.line, g.kind, e.kind, g.text)
		}
		wantText, gotText := r.Replace(e.text), g.text
		if g.kind == tokComment {
			gotText = l.decode(g.text)
		}
		if gotText != wantText {
			t.Errorf("token %d (line %d, kind %d):\n got %q\nwant %q", i, g.line, g.kind, gotText, wantText)
		}
	}
}

// maxName is what MAXScript reads: the name, with the control characters
// that it cannot escape as '_'.
func maxName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
			b[i] = '_'
		}
	}
	return string(b)
}

func TestNamesMaxscript(t *testing.T) {
	checkShape(t, maxscriptLang, "Maxscript", maxName)
}

// mayaName is the locator's node name: the identifier rule, and a
// leading '-' (a flag of the bare select list) becomes '_'.
func mayaName(s string) string {
	n := wantNodeName(s)
	if strings.HasPrefix(n, "-") {
		n = "_" + n[1:]
	}
	return n
}

func TestNamesMayaLocators(t *testing.T) {
	checkShape(t, melLang, "MayaLocators", mayaName)
	// The select line names the locators as bare words: identifiers only.
	_, _, text := exportHostile(t, "MayaLocators", "script", hostileNames)
	sel := regexp.MustCompile(`(?m)^select -r TracksperantoImagePlane (.*);$`).FindStringSubmatch(text)
	if sel == nil {
		t.Fatal("no select line")
	}
	words := strings.Split(sel[1], " ")
	var want []string
	for _, n := range hostileNames {
		want = append(want, mayaName(n))
	}
	// An empty name leaves an empty word between two spaces, as it always did.
	compareNames(t, "selected", words, want, hostileNames)
	for _, w := range words {
		if !plainName.MatchString(w) || strings.HasPrefix(w, "-") {
			t.Errorf("select names %q", w)
		}
	}
}

// lineFormats are the exporters whose files the project reads back: a name
// with a line break or a quote must not change how many trackers and
// keyframes a re-import finds.
var lineFormats = map[string]string{
	"Equalizer3": "Equalizer3", "Equalizer4": "Equalizer4", "Boujou": "Boujou",
	"MayaLive": "MayaLive", "ShakeText": "ShakeText", "NukeCameraUsertracks": "ShakeText",
	"SynthEyes": "Syntheyes", "PFTrack4": "PFTrack", "PFTrack5": "PFTrack", "PFMatchit": "PFTrack",
	"MatchMover": "MatchMover", "NukeScript": "NukeScript", "FlameStabilizer": "FlameStabilizer",
	"FlameStabilizer2014": "FlameStabilizer", "JSON": "JSON", "MMSolver": "MMSolver",
}

func TestNamesReimport(t *testing.T) {
	names := hostileNames
	ids := map[string]bool{}
	for _, e := range formats.Exporters() {
		ids[e.ID] = true
	}
	for eid, iid := range lineFormats {
		if !ids[eid] {
			t.Errorf("no exporter %s", eid)
			continue
		}
		t.Run(eid, func(t *testing.T) {
			_, path, _ := exportHostile(t, eid, "out", names)
			imp, err := formats.LookupImporter(iid)
			if err != nil {
				t.Fatal(err)
			}
			_, got, err := formattest.ImportFile(t, imp, path, hostileW, hostileH)
			if err != nil {
				t.Fatalf("%s cannot read the export back: %v", iid, err)
			}
			got = formattest.NonEmpty(got)
			if len(got) != len(names) {
				var gn []string
				for _, g := range got {
					gn = append(gn, g.Name)
				}
				t.Fatalf("read back %d trackers, want %d: %q", len(got), len(names), gn)
			}
			for i, g := range got {
				if g.Len() != 3 {
					t.Errorf("tracker %d (%q from %q) has %d keyframes, want 3", i, g.Name, names[i], g.Len())
				}
			}
		})
	}
}
