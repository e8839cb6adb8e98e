package mmsolver

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"

	"tracksgo/internal/formats/format"
	"tracksgo/internal/track"
)

// importUV reads a .uv file: JSON when its first character (after a byte
// order mark and white space) is '{', else version 1 text, as mmSolver's
// own readers tell them apart.
func importUV(r io.Reader, s *format.Session) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(br.Size()) // a read error shows again when the body is read
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte(bom)), " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		return importJSON(br, s)
	}
	return importV1(br, s)
}

// importV1 reads version 1 text (FORMATS.md §4.15.2): the number of
// points, then per point its name, its number of rows and the rows
// "frame u v weight".
func importV1(r io.Reader, s *format.Session) error {
	lines := format.NewLines(&lineEnds{r: r})
	// eof is the error of a file that ends where more was due.
	eof := func(msg string, args ...any) error {
		if err := lines.Error(id); err != nil {
			return err
		}
		return format.Errorf(id, lines.Line()+1, msg, args...)
	}
	if !lines.Next() {
		return eof("expected the number of points, got the end of the file")
	}
	first := format.Strip(strings.TrimPrefix(lines.Text(), bom))
	if !format.IsUint(first) {
		return format.Errorf(id, 1, "expected the number of points, got %q", first)
	}
	n := format.Int(first)
	if n == 0 {
		return format.Errorf(id, 1, "the file declares 0 points")
	}
	if !s.HasSize() {
		return format.SizeRequired("a version 1 .uv file stores no resolution")
	}
	s.Sized()
	w, h := float64(s.Width), float64(s.Height)
	for p := 0; p < n; p++ {
		if !lines.Next() {
			break // fewer points than declared: what was read is kept
		}
		name := format.Strip(lines.Text())
		if name == "" {
			// Only blank lines left end the points too; else a blank line
			// is an empty name, and the next line must be its count.
			nameLine, blanks, more := lines.Line(), 0, false
			for lines.Next() {
				if more = format.Strip(lines.Text()) != ""; more {
					break
				}
				blanks++
			}
			if !more {
				break
			}
			if blanks > 0 {
				return format.Errorf(id, nameLine+1, "expected the number of frames of point %q, got %q", "", "")
			}
			lines.Back()
		}
		t := track.New(name)
		s.Report("Reading point " + t.Name)
		if !lines.Next() {
			return eof("expected the number of frames of point %q, got the end of the file", t.Name)
		}
		c := format.Strip(lines.Text())
		if !format.IsUint(c) {
			return format.Errorf(id, lines.Line(), "expected the number of frames of point %q, got %q", t.Name, c)
		}
		k := format.Int(c)
		for j := 0; j < k; j++ {
			if !lines.Next() {
				return eof("the file ends inside point %q (%d of %d frames read)", t.Name, j, k)
			}
			l := format.Strip(lines.Text())
			if l == "" {
				break // a blank line ends the point early, as in mmSolver's readers
			}
			kf, keep, err := row(l, lines.Line(), w, h)
			if err != nil {
				return err
			}
			if keep {
				t.Keyframes = append(t.Keyframes, kf)
			}
		}
		if err := s.EmitUnordered(t); err != nil {
			return err
		}
	}
	return lines.Error(id)
}

// row reads a stripped "frame u v weight" line into a keyframe; keep is
// false for a weight of 0 or less, a disabled marker (§4.15.4).
func row(l string, line int, w, h float64) (k track.Keyframe, keep bool, err error) {
	f := strings.Fields(l)
	if len(f) != 4 {
		return k, false, format.Errorf(id, line, "expected 4 numbers (frame u v weight), got %d fields", len(f))
	}
	frame, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || !format.IsInt(f[0]) || frame == math.MinInt64 {
		return k, false, format.Errorf(id, line, "the frame must be a whole number, got %q", f[0])
	}
	var vals [3]float64
	for i, t := range f[1:] {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || !format.IsNumber(t) {
			return k, false, format.Errorf(id, line, "expected a number, got %q", t)
		}
		vals[i] = v
	}
	return keyframe(int(frame), vals[0], vals[1], vals[2], w, h)
}

// keyframe turns a .uv sample into an internal keyframe (§4.15.4): the
// frame less one, UV times the comp size, residual 0.
func keyframe(frame int, u, v, weight, w, h float64) (track.Keyframe, bool, error) {
	if weight <= 0 {
		return track.Keyframe{}, false, nil
	}
	return track.Keyframe{Frame: frame - 1, X: u * w, Y: v * h}, true, nil
}

// lineEnds turns every line end, LF, CRLF or a lone CR, into one LF.
type lineEnds struct {
	r  io.Reader
	cr bool // the last byte read was a CR
}

func (c *lineEnds) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		if !c.cr && bytes.IndexByte(p[:n], '\r') < 0 {
			return n, err
		}
		j := 0
		for _, b := range p[:n] {
			if b == '\n' && c.cr {
				c.cr = false // the LF of a CRLF, already written
				continue
			}
			c.cr = b == '\r'
			if c.cr {
				b = '\n'
			}
			p[j] = b
			j++
		}
		if j > 0 || err != nil || n == 0 {
			return j, err
		}
	}
}
