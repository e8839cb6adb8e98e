// Package track is the data model of 2D tracks: trackers, keyframes and the
// streaming protocol that carries them to exporters. It knows nothing of files.
//
// Coordinates follow the internal convention: origin at the bottom-left corner
// of the image raster, X to the right, Y up, in pixels of the comp size.
// Frames are 0-based.
package track

import (
	"fmt"
	"sort"
	"strings"
)

// Keyframe is one tracked position.
type Keyframe struct {
	Frame    int     `json:"frame"`
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Residual float64 `json:"residual"`
}

// Tracker is a named feature track: at most one keyframe per frame, always
// kept in ascending frame order.
type Tracker struct {
	Name      string     `json:"name"`
	Keyframes []Keyframe `json:"keyframes"`
}

// New returns an empty tracker with a sanitised name.
func New(name string) *Tracker {
	return &Tracker{Name: SanitizeName(name)}
}

// Len is the number of keyframes.
func (t *Tracker) Len() int { return len(t.Keyframes) }

// Empty reports whether the tracker holds no keyframes.
func (t *Tracker) Empty() bool { return len(t.Keyframes) == 0 }

// Rename sets a new, sanitised name.
func (t *Tracker) Rename(name string) { t.Name = SanitizeName(name) }

// find returns the index where frame is or would be inserted, and whether it is there.
func (t *Tracker) find(frame int) (int, bool) {
	n := len(t.Keyframes)
	// Importers nearly always append in order: check the end first.
	if n == 0 || t.Keyframes[n-1].Frame < frame {
		return n, false
	}
	i := sort.Search(n, func(i int) bool { return t.Keyframes[i].Frame >= frame })
	return i, i < n && t.Keyframes[i].Frame == frame
}

// Set adds k, replacing any keyframe already at k.Frame (last one wins).
func (t *Tracker) Set(k Keyframe) {
	i, found := t.find(k.Frame)
	if found {
		t.Keyframes[i] = k
		return
	}
	t.insert(i, k)
}

// Add adds k and fails if the tracker already has a keyframe at k.Frame.
// Two importers use this strict form (FORMATS.md §1.1).
func (t *Tracker) Add(k Keyframe) error {
	i, found := t.find(k.Frame)
	if found {
		return &DuplicateFrameError{Tracker: t.Name, Frame: k.Frame}
	}
	t.insert(i, k)
	return nil
}

func (t *Tracker) insert(i int, k Keyframe) {
	if i == len(t.Keyframes) {
		t.Keyframes = append(t.Keyframes, k)
		return
	}
	t.Keyframes = append(t.Keyframes, Keyframe{})
	copy(t.Keyframes[i+1:], t.Keyframes[i:])
	t.Keyframes[i] = k
}

// At returns the keyframe at frame, if any.
func (t *Tracker) At(frame int) (Keyframe, bool) {
	i, found := t.find(frame)
	if !found {
		return Keyframe{}, false
	}
	return t.Keyframes[i], true
}

// DuplicateFrameError is the failure of a strict Add.
type DuplicateFrameError struct {
	Tracker string
	Frame   int
}

func (e *DuplicateFrameError) Error() string {
	return fmt.Sprintf("The tracker %q already contains a keyframe at %d", e.Tracker, e.Frame)
}

// SanitizeName replaces every run of ASCII whitespace with one underscore.
func SanitizeName(s string) string {
	if !strings.ContainsAny(s, " \t\n\v\f\r") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	inSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			if !inSpace {
				b.WriteByte('_')
			}
			inSpace = true
		default:
			b.WriteByte(c)
			inSpace = false
		}
	}
	return b.String()
}

// Keys gathers the keyframes of a tracker whose length is not known in
// advance, in chunks that never move: appending to one slice copies a long
// tracker over and over as it grows, holds the old copy beside the new
// one each time, and leaves up to a quarter of it unused. Take hands them
// over in one slice of exactly their length. The zero value is ready to
// use, and may gather one tracker after another.
type Keys struct {
	full [][]Keyframe // filled chunks
	cur  []Keyframe   // the chunk being filled, kept for the next tracker
	n    int
}

// keysChunk is the size of the largest chunks (512 KiB).
const keysChunk = 16 << 10

// Append adds k after the keyframes gathered so far.
func (ks *Keys) Append(k Keyframe) {
	if len(ks.cur) == cap(ks.cur) {
		if len(ks.cur) > 0 {
			ks.full = append(ks.full, ks.cur)
		}
		ks.cur = make([]Keyframe, 0, min(max(2*cap(ks.cur), 64), keysChunk))
	}
	ks.cur = append(ks.cur, k)
	ks.n++
}

// Len is the number of keyframes gathered.
func (ks *Keys) Len() int { return ks.n }

// Take returns the keyframes gathered, in order, in a slice of their
// exact length (nil for none), and starts over.
func (ks *Keys) Take() []Keyframe {
	if ks.n == 0 {
		return nil
	}
	out := make([]Keyframe, 0, ks.n)
	for _, c := range ks.full {
		out = append(out, c...)
	}
	out = append(out, ks.cur...)
	clear(ks.full) // the chunks are garbage now
	ks.full, ks.cur, ks.n = ks.full[:0], ks.cur[:0], 0
	return out
}
