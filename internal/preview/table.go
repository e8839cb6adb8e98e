package preview

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The files a preview is kept in, beside a job's outputs (neither is an
// output: they are not listed for download nor zipped).
const (
	SVGName   = "preview.svg"
	TableName = "trackers.json"
)

// Row is one tracker of the table.
type Row struct {
	Name       string `json:"name"`        // valid UTF-8 (U+FFFD for bad bytes)
	Color      string `json:"color"`       // of its path, "#rrggbb"
	FirstFrame int    `json:"first_frame"` // internal, 0-based
	LastFrame  int    `json:"last_frame"`
	Keyframes  int    `json:"keyframes"`
	Gaps       int    `json:"gaps"` // runs of frames without a keyframe between the first and last
}

// Table lists the trackers drawn, in the order of the export: row i is
// the SVG's group TrackerID(i).
type Table struct {
	Width    int   `json:"width"`
	Height   int   `json:"height"`
	Trackers []Row `json:"trackers"`
	// Omitted counts the trackers past MaxTrackers, neither drawn nor
	// listed, and OmittedKeyframes their keyframes.
	Omitted          int `json:"omitted,omitempty"`
	OmittedKeyframes int `json:"omitted_keyframes,omitempty"`
}

// Table is the table of the recorded trackers.
func (r *Recorder) Table() *Table {
	t := &Table{Width: r.width, Height: r.height, Trackers: make([]Row, len(r.trackers)),
		Omitted: r.omitted, OmittedKeyframes: r.omittedKeys}
	for i, c := range r.trackers {
		t.Trackers[i] = Row{Name: cleanName(c.name), Color: Color(i),
			FirstFrame: c.first, LastFrame: c.last, Keyframes: c.keys, Gaps: c.gapCount}
	}
	return t
}

// WriteFiles writes the SVG and the table into dir, readable by all.
func (r *Recorder) WriteFiles(dir string) error {
	if !r.ended {
		return errors.New("preview: the export did not end")
	}
	svg, _ := r.Render()
	if err := writeFile(filepath.Join(dir, SVGName), svg); err != nil {
		return err
	}
	table, err := json.Marshal(r.Table())
	if err != nil {
		return fmt.Errorf("preview table: %w", err)
	}
	return writeFile(filepath.Join(dir, TableName), append(table, '\n'))
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing the preview: %w", err)
	}
	return nil
}

// maxRead bounds what Read takes from a folder: more than Render writes,
// less than would hurt a page.
const maxRead = 4 << 20

// Read reads the SVG and the table that WriteFiles left in dir. It fails
// with an error matching fs.ErrNotExist where there is no preview (a job
// converted before previews existed).
func Read(dir string) (svg []byte, table *Table, err error) {
	svg, err = readFile(filepath.Join(dir, SVGName))
	if err != nil {
		return nil, nil, err
	}
	data, err := readFile(filepath.Join(dir, TableName))
	if err != nil {
		return nil, nil, err
	}
	table = &Table{}
	if err := json.Unmarshal(data, table); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", TableName, err)
	}
	return svg, table, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRead+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	if len(data) > maxRead {
		return nil, fmt.Errorf("reading %s: larger than %d bytes", filepath.Base(path), maxRead)
	}
	return data, nil
}
