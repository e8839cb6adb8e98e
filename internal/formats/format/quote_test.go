package format

import "testing"

// The name rules of FORMATS.md §11.8, function by function. Plain names
// come out as they went in everywhere; internal/formats/names_test.go reads
// whole exports back with the languages' own parsers.
func TestNameQuoting(t *testing.T) {
	tests := []struct {
		name                          string
		node, py, js, max, mel, field string
	}{
		{"Parabolic_1_from_top_left", "Parabolic_1_from_top_left", `"Parabolic_1_from_top_left"`, `"Parabolic_1_from_top_left"`,
			`"Parabolic_1_from_top_left"`, `"Parabolic_1_from_top_left"`, "Parabolic_1_from_top_left"},
		{"cam-A.v2", "cam-A.v2", `"cam-A.v2"`, `"cam-A.v2"`, `"cam-A.v2"`, `"cam-A.v2"`, "cam-A.v2"},
		{"1015_Primary", "1015_Primary", `"1015_Primary"`, `"1015_Primary"`, `"1015_Primary"`, `"1015_Primary"`, "1015_Primary"},
		{"", "", `""`, `""`, `""`, `""`, "_"},
		{`a",__import__("os").system("id"),"`, "a____import____os___system__id____",
			`"a\",__import__(\"os\").system(\"id\"),\""`, `"a\",__import__(\"os\").system(\"id\"),\""`,
			`"a\",__import__(\"os\").system(\"id\"),\""`, `"a\",__import__(\"os\").system(\"id\"),\""`,
			`a",__import__("os").system("id"),"`},
		{"[exec id] $x #{y}", "_exec_id___x___y_", `"[exec id] $x #{y}"`, `"[exec id] $x #{y}"`,
			`"[exec id] $x #{y}"`, `"[exec id] $x #{y}"`, "[exec_id]_$x_#{y}"},
		{"a\\b\n\r\t", "a_b___", `"a\\b\n\r\t"`, `"a\\b\n\r\t"`, `"a\\b\n\r\t"`, `"a\\b\n_\t"`, "a\\b_"},
		{"c\x00\x1b\x7f%", "c____", `"c\x00\x1b\x7f%"`, `"c\x00\x1b\x7f%"`, `"c___%"`, `"c___%"`, "c\x00\x1b\x7f%"},
		{"9 Tr\xc3\xa9ck\xf0\x9f\x98\x80\xff", "_9_Tr_ck__", `"9 Tr\xc3\xa9ck\xf0\x9f\x98\x80\xff"`,
			`"9 Tr\u00e9ck\ud83d\ude00\u00ff"`, "\"9 Tr\xc3\xa9ck\xf0\x9f\x98\x80\xff\"", "\"9 Tr\xc3\xa9ck\xf0\x9f\x98\x80\xff\"",
			"9_Tr\xc3\xa9ck\xf0\x9f\x98\x80\xff"},
		{"a\u00a0\u2028 b", "a___b", `"a\xc2\xa0\xe2\x80\xa8 b"`, `"a\u00a0\u2028 b"`, "\"a\u00a0\u2028 b\"", "\"a\u00a0\u2028 b\"", "a_b"},
		{"it's", "it_s", `"it's"`, `"it's"`, `"it's"`, `"it's"`, "it's"},
	}
	for _, tt := range tests {
		check := func(what, got, want string) {
			t.Helper()
			if got != want {
				t.Errorf("%s(%q) = %q, want %q", what, tt.name, got, want)
			}
		}
		check("NodeName", NodeName(tt.name), tt.node)
		check("QuotePython", QuotePython(tt.name), tt.py)
		check("QuoteJS", QuoteJS(tt.name), tt.js)
		check("QuoteMAXScript", QuoteMAXScript(tt.name), tt.max)
		check("QuoteMEL", QuoteMEL(tt.name), tt.mel)
		check("FieldName", FieldName(tt.name), tt.field)
		if Plain(tt.name) != (tt.node == tt.name) {
			t.Errorf("Plain(%q) = %v", tt.name, Plain(tt.name))
		}
	}
}

func TestUnquoted(t *testing.T) {
	if got := Unquoted(QuotePython("a\"\n")); got != `a\"\n` {
		t.Errorf("got %q", got)
	}
}

func TestLineName(t *testing.T) {
	for in, want := range map[string]string{
		"Parabolic_1": "Parabolic_1",
		"b c\td":      "b c\td",
		"a\r\n\nb\vc": "a_b_c",
		"x \n y\f":    "x _ y_",
	} {
		if got := LineName(in); got != want {
			t.Errorf("LineName(%q) = %q, want %q", in, got, want)
		}
	}
}
