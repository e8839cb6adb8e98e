package flame

import "bytes"

// sniffImporter recognises the header line every stabilizer setup starts with.
func sniffImporter(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(head, []byte("StabilizerFileVersion")) {
		return 2
	}
	return 0
}
