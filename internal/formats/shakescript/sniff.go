package shakescript

import (
	"bytes"
	"regexp"
)

// Shake writes a "// Shake v4…" banner (other writers a comment naming
// Shake) and a block of global settings at the top of every script.
var (
	shakeHeader = regexp.MustCompile(`(?m)^(?:\s*//.*Shake|\s*#include\s*<nreal\.h>|\s*Set(?:TimeRange|Fps|DefaultWidth|DefaultHeight|FieldRendering)\s*\()`)
	// Name = Function(   — a node assignment.
	assignShape = regexp.MustCompile(`(?m)^[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*[A-Za-z_]\w*[ \t]*\(`)
)

// headLines is how far from the top a header counts.
const headLines = 30

func sniffImporter(head []byte) int {
	top := head
	for i, n := 0, 0; i < len(head); i++ {
		if head[i] == '\n' {
			n++
			if n == headLines {
				top = head[:i]
				break
			}
		}
	}
	if shakeHeader.Match(top) {
		return 2
	}
	if assignShape.Match(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))) {
		return 1
	}
	return 0
}
