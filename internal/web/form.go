package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/tools"
)

// Form field names. A tool's parameters are "t.<tool>.<param>".
const (
	fieldFile      = "file"
	fieldImporter  = "importer"
	fieldWidth     = "width"
	fieldHeight    = "height"
	fieldExporter  = "exporter"
	fieldExporters = "exporters-shown" // hidden: the form listed the exporters, so none checked is a choice
	fieldTool      = "tool"
	fieldToolsJSON = "tools" // API clients: a JSON array of {"name", "params"}
)

func paramField(tool, param string) string { return "t." + tool + "." + param }

type importerOption struct {
	Name, Human, Extensions string
	AutoSize, Selected      bool
}

type exporterOption struct {
	Name, Human, Suffix string
	Checked             bool
}

type paramOption struct {
	Name, Type, Default, Help string
	Field, Value, Input, Step string
}

type toolOption struct {
	Name, ID, Desc string
	On             bool
	Params         []paramOption
}

// formPage is the upload form, fresh or filled with what the user sent.
type formPage struct {
	Title         string
	Error         string
	Retry         bool // the form is shown again after a rejected upload
	Limit         string
	Importer      string
	SizeNeeded    bool
	Width, Height string
	AutoSizeIDs   []string
	SizeInFileIDs []string // the size is in some files only: used where the file has none
	SizeIDs       []string
	Importers     []importerOption
	Exporters     []exporterOption
	Tools         []toolOption
	ToolsOn       bool // some tool is chosen: show the tools open
}

// newFormPage builds the form from the registries, so it always offers
// exactly what the engine can do. vals are the user's values, or nil for
// a fresh form.
func (s *Server) newFormPage(vals url.Values) *formPage {
	p := &formPage{Title: "Convert", Limit: humanBytes(s.cfg.UploadLimit)}
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
			p.SizeInFileIDs = append(p.SizeInFileIDs, imp.ID)
		case imp.AutoSize:
			p.AutoSizeIDs = append(p.AutoSizeIDs, imp.ID)
		default:
			p.SizeIDs = append(p.SizeIDs, imp.ID)
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
	for _, name := range vals[fieldTool] {
		on[strings.ToLower(name)] = true
	}
	for _, t := range tools.All() {
		if t.ID == "Lint" {
			continue // always applied by the pipeline
		}
		name := strings.ToLower(t.ID)
		o := toolOption{Name: name, ID: t.ID, Desc: t.Desc, On: on[name]}
		for _, prm := range t.Params {
			po := paramOption{Name: prm.Name, Type: prm.Type, Default: prm.Default, Help: prm.Help,
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
		p.Tools = append(p.Tools, o)
		p.ToolsOn = p.ToolsOn || o.On
	}
	return p
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
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.formBody))
}
