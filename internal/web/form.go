package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/jobs"
	"tracksgo/internal/tools"
)

// Form field names. A tool's parameters are "t.<tool>.<param>", its place
// in the order the tools run "order.<tool>".
const (
	fieldFile      = "file"
	fieldImporter  = "importer"
	fieldWidth     = "width"
	fieldHeight    = "height"
	fieldExporter  = "exporter"
	fieldExporters = "exporters-shown" // hidden: the form listed the exporters, so none checked is a choice
	fieldTool      = "tool"
	fieldToolsJSON = "tools" // API clients: a JSON array of {"name", "params"}
	fieldKept      = "kept"  // token of the upload of a rejected form, kept on the server (stored.go)
	fieldFrom      = "from"  // id of the job whose upload a new job converts again
)

func paramField(tool, param string) string { return "t." + tool + "." + param }

func orderField(tool string) string { return "order." + tool }

type importerOption struct {
	Name, Human, Extensions string
	AutoSize, Selected      bool
}

type exporterOption struct {
	Name, Human, Suffix string
	Checked             bool
}

type paramOption struct {
	Name, Label, Type, Default, Help string
	Field, Value, Input, Step        string
}

type toolOption struct {
	Name, ID, Title, Desc string
	On                    bool
	Order                 string // its place among the chosen tools, from 1; "" when not chosen
	Index                 int    // its place in the list of every tool
	Params                []paramOption
}

// storedFile is an upload the server holds for the form: the file of a
// rejected form (Kept) or of an earlier job converted again (From). The
// form offers it instead of asking for the file again.
type storedFile struct {
	Name       string
	Kept, From string
	// Detected is what the server's detection says of it, for the size
	// the form asks for; nil when it is not known.
	Detected *detection
}

// formPage is the upload form, fresh or filled with what the user sent.
type formPage struct {
	Title         string
	Heading       string
	Error         string
	Retry         bool // the form is shown again after a rejected upload
	Note          string
	Limit         string
	Retention     string // how long jobs are kept, in words
	Importer      string
	SizeNeeded    bool
	Width, Height string
	AutoSize      []string // the formats by their short names (Importer.Short)
	SizeInFile    []string // the size is in some files only: used where the file has none
	SizeRequired  []string
	Importers     []importerOption
	Exporters     []exporterOption
	Chosen        []toolOption // the chosen tools, in the order they run
	Tools         []toolOption // the others, in the order of tools.All
	ToolsOn       bool         // some tool is chosen: show the tools open
	Stored        *storedFile
}

// newFormPage builds the form from the registries, so it always offers
// exactly what the engine can do. vals are the user's values, or nil for
// a fresh form.
func (s *Server) newFormPage(vals url.Values) *formPage {
	p := &formPage{Title: "Convert", Heading: "Convert a track file", Limit: humanBytes(s.cfg.UploadLimit),
		Retention: humanDuration(s.cfg.Retention)}
	if vals == nil {
		vals = url.Values{}
	}
	p.Importer = strings.ToLower(strings.TrimSpace(vals.Get(fieldImporter)))
	p.Width, p.Height = vals.Get(fieldWidth), vals.Get(fieldHeight)
	for _, imp := range formats.Importers() {
		o := importerOption{Name: imp.Name(), Human: imp.Human, AutoSize: imp.AutoSize,
			Extensions: strings.Join(imp.Extensions, " "), Selected: imp.Name() == p.Importer}
		p.Importers = append(p.Importers, o)
		if o.Selected && !imp.AutoSize {
			p.SizeNeeded = true
		}
		// A format whose files hold the size only sometimes is AutoSize
		// too: the form does not demand a size for it, and the job asks
		// for one when the file has none.
		switch {
		case imp.SizeInFile:
			p.SizeInFile = append(p.SizeInFile, imp.Short)
		case imp.AutoSize:
			p.AutoSize = append(p.AutoSize, imp.Short)
		default:
			p.SizeRequired = append(p.SizeRequired, imp.Short)
		}
	}

	defaults := map[string]bool{}
	for _, e := range formats.DefaultExporters() {
		defaults[e.Name()] = true
	}
	chosen := map[string]bool{}
	for _, name := range vals[fieldExporter] {
		chosen[strings.ToLower(name)] = true
	}
	// The user's choice when the form's checkboxes were sent; else (a
	// fresh form, or an API client that named none) the default set.
	listed := vals.Get(fieldExporters) != "" || len(chosen) > 0
	for _, e := range formats.Exporters() {
		checked := chosen[e.Name()]
		if !listed {
			checked = defaults[e.Name()]
		}
		p.Exporters = append(p.Exporters, exporterOption{Name: e.Name(), Human: e.Human, Suffix: e.Suffix, Checked: checked})
	}

	on := map[string]bool{}
	for _, name := range toolOrder(vals) {
		on[name] = true
	}
	byName := map[string]toolOption{}
	for i, t := range tools.All() {
		if t.ID == "Lint" {
			continue // always applied by the pipeline
		}
		name := strings.ToLower(t.ID)
		o := toolOption{Name: name, ID: t.ID, Title: t.Title, Desc: t.Desc, On: on[name], Index: i}
		for _, prm := range t.Params {
			po := paramOption{Name: prm.Name, Label: prm.Label, Type: prm.Type, Default: prm.Default, Help: prm.Help,
				Field: paramField(name, prm.Name)}
			po.Value = vals.Get(po.Field)
			switch prm.Type {
			case "int":
				po.Input, po.Step = "number", "1"
			case "float":
				po.Input, po.Step = "number", "any"
			case "bool":
				po.Input = "checkbox"
			default:
				po.Input = "text"
			}
			o.Params = append(o.Params, po)
		}
		if o.On {
			byName[name] = o
		} else {
			p.Tools = append(p.Tools, o)
		}
	}
	for i, name := range toolOrder(vals) {
		o := byName[name]
		o.Order = strconv.Itoa(i + 1)
		p.Chosen = append(p.Chosen, o)
	}
	p.ToolsOn = len(p.Chosen) > 0
	return p
}

// toolOrder is the chosen tools of a form, by lower-case name, in the
// order they run: by their order fields (the page's script numbers them
// as the user arranges them; without it the user types them), those
// without a number after those with one, in the form's order. A tool
// named twice counts once; unknown names are left out (parseOptions
// reports them).
func toolOrder(vals url.Values) []string {
	type chosen struct {
		name  string
		order float64
	}
	var list []chosen
	seen := map[string]bool{}
	for _, name := range vals[fieldTool] {
		name = strings.ToLower(strings.TrimSpace(name))
		if seen[name] {
			continue
		}
		if _, err := tools.Lookup(name); err != nil || name == "lint" {
			continue
		}
		seen[name] = true
		order := math.Inf(1)
		if n, err := strconv.ParseFloat(strings.TrimSpace(vals.Get(orderField(name))), 64); err == nil && !math.IsNaN(n) {
			order = n
		}
		list = append(list, chosen{name, order})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].order < list[j].order })
	names := make([]string, len(list))
	for i, c := range list {
		names[i] = c.name
	}
	return names
}

// formValues are the fields of a form that asks for the options o: the
// form of "convert again".
func formValues(o jobs.Options) url.Values {
	v := url.Values{}
	v.Set(fieldImporter, o.Importer)
	if o.Width > 0 {
		v.Set(fieldWidth, strconv.Itoa(o.Width))
	}
	if o.Height > 0 {
		v.Set(fieldHeight, strconv.Itoa(o.Height))
	}
	if len(o.Exporters) > 0 {
		v.Set(fieldExporters, "1")
		for _, e := range o.Exporters {
			v.Add(fieldExporter, e)
		}
	}
	for i, t := range o.Tools {
		name := strings.ToLower(t.Name)
		if v.Get(orderField(name)) != "" {
			continue // the form holds a tool once (see againPage)
		}
		v.Add(fieldTool, name)
		v.Set(orderField(name), strconv.Itoa(i+1))
		for k, val := range t.Params {
			v.Set(paramField(name, k), val)
		}
	}
	return v
}

// humanDuration says a retention the way people do: "7 days", "36 hours".
func humanDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return plural(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute:
		return plural(int64(d.Round(time.Minute)/time.Minute), "minute")
	}
	return d.String()
}

// renderForm renders the fresh form once: it only changes with the
// registries and the configuration, that is with a new build or restart.
// Its ETag is a hash of the page.
func (s *Server) renderForm() error {
	body, err := s.pages.Render("form", s.newFormPage(nil))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	s.formBody, s.formETag = body, `"`+hex.EncodeToString(sum[:12])+`"`
	return nil
}

// form serves the page rendered once, revalidated by its ETag (304).
func (s *Server) form(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", s.formETag)
	// Written by hand rather than by http.ServeContent, which copies the
	// page through a 32 KiB buffer it allocates for every request.
	if etagMatch(r.Header.Get("If-None-Match"), s.formETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(s.formBody)))
	if r.Method != http.MethodHead {
		w.Write(s.formBody)
	}
}

// etagMatch tells whether an If-None-Match header names etag (RFC 9110
// 13.1.2: "*" or a list of tags, weak or strong, compared weakly).
func etagMatch(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for {
		header = strings.TrimLeft(header, " \t,")
		if header == "" {
			return false
		}
		if header[0] == '*' {
			return true
		}
		tag, rest := header, ""
		if i := strings.IndexByte(header, ','); i >= 0 {
			tag, rest = header[:i], header[i:]
		}
		if strings.TrimPrefix(strings.TrimRight(tag, " \t"), "W/") == etag {
			return true
		}
		header = rest
	}
}
