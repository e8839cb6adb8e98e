package shakescript

import (
	"errors"
	"os"
	"strings"
	"testing"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/formats/formattest"
)

// lex runs the bare lexer (no evaluation) and writes its atoms as the
// spec does.
func lex(t *testing.T, src string) string {
	t.Helper()
	atoms, err := newLexer(strings.NewReader(src), nil).run()
	if err != nil {
		t.Fatalf("lex %q: %v", src, err)
	}
	s := make([]string, len(atoms))
	for i, a := range atoms {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// The lexer examples of FORMATS.md §4.10.1 and the rules they illustrate.
func TestLexerExamples(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"linear", `Linear(0,716.08@1,715.846@2)`,
			`CALL(Linear, 0, VALUE_AT(1, 716.08), VALUE_AT(2, 715.846))`},
		{"negative frame", `Linear(0,716.08@-1)`, `CALL(Linear, 0, VALUE_AT(-1, 716.08))`},
		{"hermite", `Hermite(0,[1379.04,-0.02,-0.02]@1,[1379.04,-0.03,-0.03]@2)`,
			`CALL(Hermite, 0, VALUE_AT(1, ARRAY[1379.04, -0.02, -0.02]), VALUE_AT(2, ARRAY[1379.04, -0.03, -0.03]))`},
		{"nested expression", `Foobar(2, 4, {{ 4 * 16 }}, 4, 1)`, `CALL(Foobar, 2, 4, EXPR, 4, 1)`},
		{"comments", "Tracker(\n 0, // preprocess enable\n 10 // bluramount\n,\n \"Tracker8\")",
			`CALL(Tracker, 0, 10, "Tracker8")`},
		{"assignment", `Foo = Blur(Foo, 1, 2, 3); 1`,
			`ASSIGN(vardef(image, Foo), CALL(Blur, ATOM Foo, 1, 2, 3)), 1`},
		{"second comment start", "Foo(1, // a // b\n2)", `CALL(Foo, 1, ATOM a, 2)`},
		{"paren after blanks opens a call", `sqrt( (a-b))`, `CALL(sqrt, CALL(, ATOM a-b))`},
		{"paren on empty buffer is text", `F((a-b))`, `CALL(F, ATOM (a-b)`},
		{"unbalanced", `OuterFunc(InnerFunc(15)`, `CALL(OuterFunc, CALL(InnerFunc, 15))`},
		{"stray paren ends lexing", `A(1); ) B(2);`, `CALL(A, 1)`},
		{"stray brace ends lexing", "A(1);\n}\nB(2);", `CALL(A, 1)`},
		{"stray bracket ends lexing", `A(1)] B(2)`, `CALL(A, 1)`},
		{"vardefs swallow the closing paren", `F(image a = 0, int b = 0) {x = 1; return x;} G(1)`,
			`CALL(F, ASSIGN(vardef(image, a), 0), ASSIGN(vardef(int, b), 0), EXPR), CALL(G, 1)`},
		{"expression stops at its first comma", `F({a, b}, c) D(1)`, `CALL(F, EXPR, ATOM b), ATOM c`},
		{"brace keeps the buffer", `F(ab{x}cd)`, `CALL(F, EXPR, ATOM abcd)`},
		{"bracket keeps the buffer", `F(ab[1]cd)`, `CALL(F, ARRAY[1], ATOM abcd)`},
		{"newline is ignored", "F(1\n2, 3)", `CALL(F, 12, 3)`},
		{"semicolon outside a statement is ignored", `F(1;2)`, `CALL(F, 12)`},
		{"assignment stops at a comma", `a = 1, 2`, `ASSIGN(vardef(image, a), 1), 2`},
		{"assignment without value", `a = ;`, `ASSIGN(vardef(image, a), nothing)`},
		{"empty assignment spec", `= 4;`, `ASSIGN(vardef(image, ), 4)`},
		{"value at without value", `F(@3)`, `CALL(F, VALUE_AT(3, nothing))`},
		{"double at", `F(@@x)`, `CALL(F, ATOM @, ATOM @x)`},
		{"comment at the end", "F(1) // done", `CALL(F, 1)`},
		{"comment to end of input", "F(1, // open", `CALL(F, 1)`},
		{"spaces inside atoms stay", `F( 1 2 , width / 2 )`, `CALL(F, ATOM 1 2, ATOM width / 2)`},
		{"CRLF", "F(1,\r\n2)\r\n", `CALL(F, 1, 2)`},
		{"strings are not tokens", `F("a, b", "c")`, `CALL(F, "a", ATOM b", "c")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := lex(t, tc.src); got != tc.want {
				t.Errorf("lex %q\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}

// shake_script/ofx_vardefs.shk: a call named "image Primatte_v2_" with
// ASSIGN arguments, then EXPR, then CALL(Foo, 2).
func TestLexerOFXVardefs(t *testing.T) {
	data, err := os.ReadFile(formattest.ImportPath(t, "shake_script/ofx_vardefs.shk"))
	if err != nil {
		t.Fatal(err)
	}
	want := `CALL(image Primatte_v2_, ASSIGN(vardef(image, ofx_Source), 0), ASSIGN(vardef(image, ofx_BG), 0), ` +
		`ASSIGN(vardef(image, ofx_Mask), 0), ASSIGN(vardef(const char *, Poly00dral), "0.0 0.0 0.0"), ` +
		`ASSIGN(vardef(int, N3D_Viewer), 0), EXPR), CALL(Foo, 2)`
	if got := lex(t, string(data)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		in    string
		kind  kind
		num   float64
		text  string
		frame int
	}{
		{"12", kInt, 12, "", 0},
		{"007", kInt, 7, "", 0},
		{"-5", kFloat, -5, "", 0},
		{"715.846", kFloat, 715.846, "", 0},
		{"1.2.3", kFloat, 1.2, "", 0},
		{"-", kFloat, 0, "", 0},
		{".5", kFloat, 0.5, "", 0},
		{`"Tracker8"`, kString, 0, "Tracker8", 0},
		{`"say \"hi\""`, kString, 0, `say "hi"`, 0},
		{`"`, kString, 0, "", 0},
		{`"open`, kString, 0, "open", 0},
		{"@1", kValueAt, 0, "", 1},
		{"@-12", kValueAt, 0, "", -12},
		{"@1.5", kValueAt, 0, "", 1},
		{"@x", kAtom, 0, "@x", 0},
		{"@", kAtom, 0, "@", 0},
		{"@-", kAtom, 0, "@-", 0},
		{"width/2", kAtom, 0, "width/2", 0},
		{"Tracker1.track5X", kAtom, 0, "Tracker1.track5X", 0},
		{"1e5", kAtom, 0, "1e5", 0},
	}
	for _, tc := range tests {
		n := classify(tc.in, &frame{})
		if n.kind != tc.kind || n.num != tc.num || n.text != tc.text || n.frame != tc.frame {
			t.Errorf("classify(%q) = %+v, want kind %d num %v text %q frame %d", tc.in, n, tc.kind, tc.num, tc.text, tc.frame)
		}
	}
	// A frame tag takes the previous atom of its frame as its value.
	f := &frame{stack: []*node{{kind: kFloat, num: 3.5}}}
	n := classify("@7", f)
	if len(f.stack) != 0 || n.String() != "VALUE_AT(7, 3.5)" {
		t.Errorf("got %s, stack %v", n, f.stack)
	}
}

func TestVardef(t *testing.T) {
	tests := []struct{ spec, typ, name string }{
		{"Tracker1", "image", "Tracker1"},
		{"curve float focal", "curve float", "focal"},
		{"char * information", "char *", "information"},
		{"const char * Poly00dral", "const char *", "Poly00dral"},
		{"", "image", ""},
		{"a+", "a+", ""},
	}
	for _, tc := range tests {
		typ, name := vardef(tc.spec)
		if typ != tc.typ || name != tc.name {
			t.Errorf("vardef(%q) = %q, %q; want %q, %q", tc.spec, typ, name, tc.typ, tc.name)
		}
	}
}

func lexErr(src string) error {
	_, err := newLexer(strings.NewReader(src), nil).run()
	return err
}

func TestLexerLimits(t *testing.T) {
	// The buffer may hold 32000 characters; one more and the next
	// character fails.
	if err := lexErr(strings.Repeat("a", 32000) + ")"); err != nil {
		t.Errorf("32000 characters: %v", err)
	}
	if err := lexErr(strings.Repeat("a", 32001)); err != nil {
		t.Errorf("32001 characters at the end of input: %v", err)
	}
	err := lexErr("F(1)\n" + strings.Repeat("a", 32001) + ")")
	const overflow = "ShakeScript: line 2: Atom buffer overflow at 32000 bytes, this is definitely not a Shake script"
	if err == nil || err.Error() != overflow {
		t.Errorf("overflow: got %v, want %s", err, overflow)
	}
	// A comment counts too.
	if err := lexErr("// " + strings.Repeat("x", 32001) + "\n"); err == nil {
		t.Error("long comment: no error")
	}

	const stack = "Stack overflow at level 127, this is probably a LISP program uploaded by accident"
	for name, src := range map[string]string{
		"345 parentheses":     strings.Repeat("(", 345),
		"calls":               strings.Repeat("f(", 200),
		"arrays":              strings.Repeat("[", 200),
		"expressions":         strings.Repeat("{", 200),
		"assignments":         strings.Repeat("a=", 200),
		"arrays and calls":    strings.Repeat("[f(", 100),
		"deep but valid text": strings.Repeat("f(", 128) + "1" + strings.Repeat(")", 128),
	} {
		err := lexErr(src)
		var pe *format.ParseError
		if !errors.As(err, &pe) || pe.Msg != stack || pe.Line != 1 {
			t.Errorf("%s: got %v, want %s", name, err, stack)
		}
	}
	// 127 levels are fine.
	if err := lexErr(strings.Repeat("f(", 127) + "1" + strings.Repeat(")", 127)); err != nil {
		t.Errorf("127 levels: %v", err)
	}
}

func TestLexerNesting(t *testing.T) {
	// Frame tags chain without opening frames: still bounded.
	src := "F(1" + strings.Repeat("@1", 10000) + ")"
	err := lexErr(src)
	if err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("got %v", err)
	}
	if _, _, err := importString(src); err == nil {
		t.Error("import: no error")
	}
	if got := lex(t, "F(1@2@3)"); got != "CALL(F, VALUE_AT(3, VALUE_AT(2, 1)))" {
		t.Errorf("got %s", got)
	}
}
