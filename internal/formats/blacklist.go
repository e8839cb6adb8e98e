package formats

import (
	"strings"

	"tracksgo/internal/formats/format"
)

// Files that are not track data, with the original's helpful messages
// (FORMATS.md §3.2). Each entry matches an exact extension or, with a
// trailing '*', an extension prefix.
var blacklist = []struct {
	exts []string
	msg  string
}{
	{[]string{".ma"}, "We cannot import Maya ASCII files directly. For processing Maya Live tracks export them from Maya."},
	{[]string{".mb"}, "We cannot import Maya scene files directly. For processing Maya Live tracks export them from Maya."},
	{[]string{".mov", ".avi", ".xvid", ".mp4"}, "Tracksperanto is not a tracking application, it converts tracks. We do not support movie file formats."},
	{[]string{".r3d"}, "Tracksperanto is not a tracking application, it converts tracks. We do not support RAW file formats."},
	{[]string{".dpx", ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".gif", ".tga"}, "Tracksperanto is not a tracking application, it converts tracks. We do not support image file formats."},
	{[]string{".sni"}, "We cannot read binary SynthEyes scene files. Export your tracks as one of the supported formats."},
	{[]string{".pfb*", ".pfmp*", ".ptp*"}, "We cannot directly open PFTrack projects, export .2dt files instead"},
	{[]string{".mmf"}, "We cannot directly open MatchMover projects, please export your tracks as .rz2 instead"},
	{[]string{".doc*", ".xls*", ".ppt*"}, "You really think we can process Microsoft Office files? You need a drink."},
	{[]string{".abc", ".fbx"}, "We cannot import 3D scenes such as Alembic or FBX."},
	{[]string{".3de"}, "We cannot handle 3DE project files directly, please export your 2D tracks in a compatible format instead."},
	{[]string{".bpj"}, "We cannot handle Boujou projects directly, please export your feature tracks from Boujou as a text file"},
	{[]string{".py"}, "We cannot handle Python scripts - please export your 2D tracks in a compatible format instead."},
	{[]string{".ascii"}, "We cannot handle ascii Flame exports. Just save your setup and upload it - it will work fine."},
	{[]string{".c4d"}, "We cannot CINEMA 4D scenes. Consider using another workflows."},
}

// Blacklisted returns an UnsupportedFormat error for files that are not
// track data, judged by their extension; nil otherwise.
func Blacklisted(name string) error {
	ext := Ext(name)
	if ext == "" {
		return nil
	}
	for _, b := range blacklist {
		for _, e := range b.exts {
			if e == ext || (strings.HasSuffix(e, "*") && strings.HasPrefix(ext, e[:len(e)-1])) {
				return &format.UserError{Code: format.CodeUnsupportedFormat, Msg: b.msg}
			}
		}
	}
	return nil
}
