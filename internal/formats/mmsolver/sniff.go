package mmsolver

import (
	"strings"

	"tracksgo/internal/formats/format"
)

const bom = "\ufeff"

// sniff recognises a .uv file by its content (FORMATS.md §4.15.1): a JSON
// object naming mmSolver's keys (a header, score 2), or lines that follow
// the version 1 grammar throughout the head (a line shape, score 1).
func sniff(head []byte) int {
	s := strings.TrimPrefix(string(head), bom)
	if t := strings.TrimLeft(s, " \t\r\n"); strings.HasPrefix(t, "{") {
		// "version" is no clue: some writers put the camera block first,
		// and the version beyond the head.
		if strings.Contains(s, `"num_points"`) ||
			strings.Contains(s, `"points"`) && strings.Contains(s, `"per_frame"`) {
			return 2
		}
		return 0
	}
	return sniffV1(s)
}

// sniffV1 checks the version 1 layout over the lines at hand: a point
// count N ≥ 1, then for up to N points a name line, a frame count K and up
// to K rows "frame u v weight" (a blank line ends a point early), and only
// blank lines after the last point. At least one row must be seen. A last
// line that the head cut short is let off if it does not fit.
func sniffV1(s string) int {
	ls, cut := splitLines(s)
	if len(ls) == 0 {
		return 0
	}
	first := format.Strip(ls[0])
	if !format.IsUint(first) || format.Int(first) < 1 {
		return 0
	}
	n := format.Int(first)
	lastText := -1 // the last line that is not blank
	for i, l := range ls {
		if format.Strip(l) != "" {
			lastText = i
		}
	}
	rows := 0
	// verdict on a line that breaks the grammar at index i: the head may
	// have cut it, else this is not the format.
	broken := func(i int) int {
		if cut && i == len(ls)-1 && rows > 0 {
			return 1
		}
		return 0
	}
	i := 1
	for p := 0; p < n; p++ {
		if i > lastText {
			break // the file declared more points than it holds
		}
		i++ // the name: any text, even none
		if i >= len(ls) {
			break
		}
		c := format.Strip(ls[i])
		if !format.IsUint(c) {
			return broken(i)
		}
		i++
		for k := format.Int(c); k > 0 && i < len(ls); k-- {
			l := format.Strip(ls[i])
			if l == "" {
				i++
				break
			}
			if !isRow(l) {
				return broken(i)
			}
			rows++
			i++
		}
	}
	if i <= lastText {
		return 0 // text after the last point
	}
	if rows == 0 {
		return 0
	}
	return 1
}

// isRow reports whether a stripped line is "frame u v weight".
func isRow(l string) bool {
	f := strings.Fields(l)
	return len(f) == 4 && format.IsInt(f[0]) && format.IsNumber(f[1]) && format.IsNumber(f[2]) && format.IsNumber(f[3])
}

// splitLines splits text at LF, CRLF and CR. cut tells that the text does
// not end with a line terminator, so that its last line may be partial.
func splitLines(s string) (ls []string, cut bool) {
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			return append(ls, s), true
		}
		ls = append(ls, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return ls, false
}
