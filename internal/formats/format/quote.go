package format

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"tracksgo/internal/track"
)

// RQuote quotes a tracker name the way the AfterEffects, MatchMover,
// PFTrack and Ruby exporters do (FORMATS.md §1.5).
func RQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '#' && i+1 < len(s) && (s[i+1] == '{' || s[i+1] == '$' || s[i+1] == '@'):
			b.WriteString(`\#`)
		case c == 0x07:
			b.WriteString(`\a`)
		case c == 0x08:
			b.WriteString(`\b`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\v':
			b.WriteString(`\v`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == 0x1B:
			b.WriteString(`\e`)
		case c < 0x20 || c >= 0x7F:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Names in generated scripts are data, never code (FORMATS.md §11.8): each
// exporter writes a name so that the target application reads it back as
// one literal name. Names made only of letters, digits, '_', '-' and '.'
// (every name of the corpus and of the references) come out of every
// function below exactly as the reference writes them.

// Plain tells whether a name is made only of ASCII letters, digits, '_',
// '-' and '.', the names that every exporter writes verbatim.
func Plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return true
}

var plainByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = identByte(byte(c)) || c == '-' || c == '.'
	}
	return t
}()

func identByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// NodeName is a name where the application wants an identifier (Nuke and
// Maya node names): a plain name as it is, else every character other than
// a letter, a digit or '_' (a UTF-8 character, or a byte that is not
// UTF-8) becomes one '_', and a leading digit gets a '_' in front.
func NodeName(s string) string {
	if Plain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 1)
	if s[0] >= '0' && s[0] <= '9' {
		b.WriteByte('_')
	}
	for i := 0; i < len(s); {
		if identByte(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b.WriteByte('_')
		i += n
	}
	return b.String()
}

const hexLower = "0123456789abcdef"

// QuotePython writes a name as a double-quoted Python string literal that
// is pure ASCII, so that it parses under Python 2 (XSI's) without a coding
// line as under Python 3: bytes other than printable ASCII become \xHH,
// the exact bytes in Python 2 and one code point per byte in Python 3.
func QuotePython(s string) string {
	return quoteWith(s, func(b []byte, c byte) []byte {
		if b, ok := escapeCommon(b, c); ok {
			return b
		}
		switch {
		case c == '\r':
			return append(b, `\r`...)
		case c < 0x20 || c >= 0x7F:
			return append(b, '\\', 'x', hexLower[c>>4], hexLower[c&15])
		}
		return append(b, c)
	})
}

// quoteWith writes s between double quotes, each byte through esc, which
// appends it as the language writes it; plain names are written as they
// are.
func quoteWith(s string, esc func(b []byte, c byte) []byte) string {
	if Plain(s) {
		return `"` + s + `"`
	}
	b := make([]byte, 0, len(s)+8)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		b = esc(b, s[i])
	}
	return string(append(b, '"'))
}

// escapeCommon appends the escapes that Python, MAXScript and MEL string
// literals share, and says whether c was one of them.
func escapeCommon(b []byte, c byte) ([]byte, bool) {
	switch c {
	case '"', '\\':
		return append(b, '\\', c), true
	case '\n':
		return append(b, `\n`...), true
	case '\t':
		return append(b, `\t`...), true
	}
	return b, false
}

// QuoteJS writes a name as a double-quoted JavaScript string literal that
// ExtendScript (ECMAScript 3) reads: control characters become \xHH, and
// every non-ASCII character \uHHHH (a surrogate pair above U+FFFF), which
// also keeps U+2028 and U+2029 from ending the line. A byte that is not
// UTF-8 is read as Latin-1, the likeliest encoding of such a name.
func QuoteJS(s string) string {
	if Plain(s) {
		return `"` + s + `"`
	}
	b := make([]byte, 0, len(s)+8)
	b = append(b, '"')
	u := func(r rune) {
		b = append(b, '\\', 'u', hexLower[r>>12&15], hexLower[r>>8&15], hexLower[r>>4&15], hexLower[r&15])
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20 || c == 0x7F:
			b = append(b, '\\', 'x', hexLower[c>>4], hexLower[c&15])
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				r = rune(c)
			}
			if r > 0xFFFF {
				r1, r2 := utf16.EncodeRune(r)
				u(r1)
				u(r2)
			} else {
				u(r)
			}
			i += n
			continue
		default:
			b = append(b, c)
		}
		i++
	}
	return string(append(b, '"'))
}

// QuoteMAXScript writes a name as a MAXScript string literal: `"` and `\`
// escaped, line breaks and tabs as \n, \r, \t. MAXScript has no escape
// for other control characters, so they become '_'; other bytes (UTF-8
// included) are written as they are.
func QuoteMAXScript(s string) string {
	return quoteC(s, true)
}

// QuoteMEL writes a name as a MEL (Maya ASCII) string literal: `"` and `\`
// escaped, \n and \t; other control characters, \r included, become '_';
// other bytes (UTF-8 included, the file says Codeset: UTF-8) are written
// as they are.
func QuoteMEL(s string) string {
	return quoteC(s, false)
}

func quoteC(s string, cr bool) string {
	return quoteWith(s, func(b []byte, c byte) []byte {
		if b, ok := escapeCommon(b, c); ok {
			return b
		}
		switch {
		case c == '\r' && cr:
			return append(b, `\r`...)
		case c < 0x20 || c == 0x7F:
			return append(b, '_')
		}
		return append(b, c)
	})
}

// Unquoted is a literal made by one of the Quote functions without its
// quotes: the text that comments in generated scripts show for a name, on
// one line whatever the name holds.
func Unquoted(lit string) string { return lit[1 : len(lit)-1] }

// FieldName is a name for the formats whose lines are fields split at
// white space (boujou, SynthEyes): as track.SanitizeName, every run of
// white space becomes one '_', Unicode white space (U+00A0, U+2028, …)
// included, so that a reader that splits at any white space, as Go's
// strings.Fields and Python's str.split do, finds the name in one field.
// An empty name, which would leave the line a field short, is "_".
func FieldName(s string) string {
	if s == "" {
		return "_"
	}
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return track.SanitizeName(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	inSpace := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if !inSpace {
				b.WriteByte('_')
			}
			inSpace = true
		} else {
			b.WriteString(s[i : i+n])
			inSpace = false
		}
		i += n
	}
	return b.String()
}

// LineName is a name for the formats that give it a line of its own (3DE,
// Shake text, MayaLive): every run of line-break characters (\n, \r, \v,
// \f) becomes one '_', so that the name cannot end its line early and make
// a reader find other trackers. Other white space stays: a reader
// sanitises it (§1.5) as it always did.
func LineName(s string) string {
	if !strings.ContainsAny(s, "\n\r\v\f") {
		return s
	}
	b := make([]byte, 0, len(s))
	inBreak := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '\r', '\v', '\f':
			if !inBreak {
				b = append(b, '_')
			}
			inBreak = true
		default:
			b = append(b, c)
			inBreak = false
		}
	}
	return string(b)
}
