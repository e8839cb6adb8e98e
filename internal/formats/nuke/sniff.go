package nuke

import (
	"bytes"
	"regexp"
)

var (
	// versionLine is the first statement of a saved script: `version 7.0 v2`.
	versionLine = regexp.MustCompile(`^version [0-9]+\.[0-9]+`)
	// nodeOpen is a node block header such as `Tracker3 {` (indented inside
	// groups); knobLine is a knob inside it, or the block's end.
	nodeOpen = regexp.MustCompile(`^ *[A-Z][A-Za-z0-9_]* \{$`)
	knobLine = regexp.MustCompile(`^ *([a-z_][A-Za-z0-9_]* .|\}$)`)
)

// sniffImporter scores the head of a file (FORMATS.md §11.5): 2 when a Nuke
// header says so (a `version x.y` first statement, a `Root {` block, or the
// `set cut_paste_input` line that starts copy-pasted scripts), 1 when the
// lines are node blocks, 0 otherwise.
func sniffImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	lines := bytes.Split(head, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, "\r")
	}
	// The last piece may be cut mid-line: it only counts where a prefix
	// is enough (a version line, a knob line after a node header).
	last := len(lines) - 1
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 || l[0] == '#' {
			continue // blank lines and the #! interpreter line
		}
		if versionLine.Match(l) || bytes.HasPrefix(l, []byte("set cut_paste_input [stack ")) {
			return 2
		}
		break
	}
	shape := false
	for i, l := range lines[:last] {
		if bytes.Equal(l, []byte("Root {")) {
			return 2
		}
		if !shape && nodeOpen.Match(l) && knobLine.Match(lines[i+1]) {
			shape = true
		}
	}
	if shape {
		return 1
	}
	return 0
}
