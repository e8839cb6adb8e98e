package flame

import "bytes"

// sniffImporter recognises the header line every stabilizer setup starts
// with, "StabilizerFileVersion 5.0": the keyword, then a version number
// (unless the head ends first).
func sniffImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	rest, ok := bytes.CutPrefix(head, []byte("StabilizerFileVersion"))
	if !ok {
		return 0
	}
	if len(rest) == 0 {
		return 2
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return 0
	}
	rest = bytes.TrimLeft(rest, " \t")
	if len(rest) > 0 && (rest[0] < '0' || rest[0] > '9') {
		return 0
	}
	return 2
}
