package mayalocators

import (
	"fmt"
	"io"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// exporter streams one keyed locator per tracker over an image plane whose
// width is 10 scene units with its bottom-left corner at the origin. It
// remembers the names to group everything at the end.
type exporter struct {
	w            io.Writer
	f            float64  // scene units per pixel
	names        []string // the locators' node names
	txEnd, tyEnd string   // the tracker's ` "<name>.tx";` line ends
	line         []byte   // reused for every point's lines; starts with keyStart
}

const keyStart = "setKeyframe -time "

func newExporter(w io.Writer, _ format.Options) track.Exporter {
	// Every point's lines start the same way: the start stays in the buffer.
	return &exporter{w: w, line: []byte(keyStart)}
}

func (e *exporter) StartExport(w, h int) error {
	e.f = (1.0 / float64(w)) * 10.0
	ph := float64(h) * e.f
	io.WriteString(e.w, "//Maya ASCII 2011 scene\n//Name: TracksperantoLocators.ma\n//Codeset: UTF-8\nrequires maya \"1.0\";\n")
	fmt.Fprintf(e.w, "polyPlane -name \"TracksperantoImagePlane\" -width %.5f -height %.5f;\n", 10.0, ph)
	io.WriteString(e.w, "rotate -r -os 90;\n")
	fmt.Fprintf(e.w, "move -r %.5f %.5f 0;\n", 5.0, ph/2.0)
	return nil
}

// StartTracker names the locator with a Maya node name, which the select
// line at the end also needs bare, and writes it in MEL string literals
// elsewhere: no name can become code (FORMATS.md §11.8).
func (e *exporter) StartTracker(name string) error {
	n := nodeName(name)
	e.names = append(e.names, n)
	e.txEnd = " " + format.QuoteMEL(n+".tx") + ";\n"
	e.tyEnd = " " + format.QuoteMEL(n+".ty") + ";\n"
	fmt.Fprintf(e.w, "spaceLocator -name %s -p 0 0 0;\n", format.QuoteMEL(n))
	return nil
}

// nodeName is format.NodeName, and a leading '-' becomes '_' as well: the
// name is a bare word of the select command, where it would be a flag.
func nodeName(name string) string {
	n := format.NodeName(name)
	if strings.HasPrefix(n, "-") {
		n = "_" + n[1:]
	}
	return n
}

// ExportPoint builds the point's lines in a reused buffer and writes them
// at once: this runs per keyframe.
func (e *exporter) ExportPoint(k track.Keyframe) error {
	var fb [20]byte
	frame := format.AppendInt(fb[:0], k.Frame+1)
	b := append(e.line[:len(keyStart)], frame...)
	b = append(b, " -value "...)
	b = format.AppendFixed(b, k.X*e.f, 5)
	b = append(b, e.txEnd...)
	b = append(b, keyStart...)
	b = append(b, frame...)
	b = append(b, " -value "...)
	b = format.AppendFixed(b, k.Y*e.f, 5)
	b = append(b, e.tyEnd...)
	e.line = b
	e.w.Write(b) // the caller checks write errors at flush
	return nil
}

func (e *exporter) EndTracker() error { return nil }

func (e *exporter) EndExport() error {
	names := append([]string{"TracksperantoImagePlane"}, e.names...)
	fmt.Fprintf(e.w, "select -r %s;\n", strings.Join(names, " "))
	io.WriteString(e.w, "group -name TracksperantoGroup; xform -os -piv 0 0 0;\n")
	return nil
}
