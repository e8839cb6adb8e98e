package nuke

import (
	"bytes"
	"regexp"
)

var (
	// versionLine is the first statement of a saved script: `version 7.0 v2`,
	// `version 5.1200`, and nothing else on the line.
	versionLine = regexp.MustCompile(`^version [0-9]+\.[0-9]+( v[0-9]+)?[ \t]*$`)
	// nodeOpen is a node block header such as `Tracker3 {` (indented inside
	// groups); knobLine is a knob inside it, or the block's end.
	nodeOpen = regexp.MustCompile(`^ *[A-Z][A-Za-z0-9_]* \{$`)
	knobLine = regexp.MustCompile(`^ *([a-z_][A-Za-z0-9_]* .|\}$)`)
)

// sniffImporter scores the head of a file (FORMATS.md §11.5): 2 when a Nuke
// header says so (a `version x.y` first statement, a `Root {` block, or the
// `set cut_paste_input` line that starts copy-pasted scripts), 1 when the
// first statement opens a node block with a knob inside (a node copied out
// of a script), 0 otherwise.
func sniffImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	lines := bytes.Split(head, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, "\r")
	}
	// The last piece may be cut mid-line: it only counts where a prefix
	// is enough (a knob line after a node header), or where it is whole
	// (a version line ends there, or the file does).
	last := len(lines) - 1
	shape := false
	for i, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 || bytes.HasPrefix(l, []byte("#!")) {
			continue // blank lines and the interpreter line
		}
		if versionLine.Match(l) || bytes.HasPrefix(l, []byte("set cut_paste_input [stack ")) {
			return 2
		}
		shape = i < last && nodeOpen.Match(l) && knobLine.Match(lines[i+1])
		break
	}
	for _, l := range lines[:last] {
		if bytes.Equal(l, []byte("Root {")) {
			return 2
		}
	}
	if shape {
		return 1
	}
	return 0
}
