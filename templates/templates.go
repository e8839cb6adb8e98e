// Package templates holds the HTML page templates and the static assets
// (CSS, JavaScript, icon) of the web service, embedded in the binary.
//
// Static files are fingerprinted: at start every file gets a name that
// contains a hash of its content ("app.3f2a1b9c0d.js"), so pages can link
// them with a long expiry and a new release never meets a stale cache.
package templates

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

//go:embed *.html
var pageFS embed.FS

//go:embed static
var staticFS embed.FS

// StaticPrefix is the URL path under which static files are served.
const StaticPrefix = "/static/"

// ImmutableCache is the Cache-Control of a fingerprinted file.
const ImmutableCache = "public, max-age=31536000, immutable"

// Asset is one static file.
type Asset struct {
	Name   string // logical name, e.g. "app.js"
	Hashed string // fingerprinted name, e.g. "app.3f2a1b9c0d.js"
	Type   string // Content-Type
	ETag   string // strong validator: quoted content hash
	Data   []byte
}

// Assets are the static files, by logical and by fingerprinted name.
type Assets struct {
	byName   map[string]*Asset
	byHashed map[string]*Asset
	loaded   time.Time
}

// LoadAssets reads the embedded static files and fingerprints them.
func LoadAssets() (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byHashed: map[string]*Asset{}, loaded: time.Now()}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("reading embedded %s: %w", p, err)
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		typ := mime.TypeByExtension(ext)
		if typ == "" {
			typ = "application/octet-stream"
		}
		as := &Asset{
			Name:   name,
			Hashed: strings.TrimSuffix(name, ext) + "." + hash + ext,
			Type:   typ,
			ETag:   `"` + hash + `"`,
			Data:   data,
		}
		a.byName[as.Name] = as
		a.byHashed[as.Hashed] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	return a, nil
}

// List returns every asset, by logical name.
func (a *Assets) List() []*Asset {
	list := make([]*Asset, 0, len(a.byName))
	for _, as := range a.byName {
		list = append(list, as)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
}

// URL is the fingerprinted URL of a static file given by its logical name.
// An unknown name is a programming error: it panics, so that a template
// linking a missing file fails in the tests.
func (a *Assets) URL(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("templates: no static file %q", name))
	}
	return StaticPrefix + as.Hashed
}

// ServeHTTP serves /static/{name}. A fingerprinted name is cacheable for a
// year as immutable; a logical name is served too (for hand-written links)
// but must be revalidated. Both carry an ETag.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, StaticPrefix)
	as, hashed := a.byHashed[name]
	if !hashed {
		as = a.byName[name]
	}
	if as == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.Type)
	h.Set("ETag", as.ETag)
	h.Set("X-Content-Type-Options", "nosniff")
	if hashed {
		h.Set("Cache-Control", ImmutableCache)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, as.Name, a.loaded, bytes.NewReader(as.Data))
}

// Export writes every fingerprinted file into dir, for a web server that
// serves them itself. Each file is written to a temporary name and renamed,
// so several processes exporting at once never expose half a file. Files
// of earlier releases are left alone: pages cached by browsers may still
// link them.
func (a *Assets) Export(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("static directory: %w", err)
	}
	for _, as := range a.List() {
		final := filepath.Join(dir, as.Hashed)
		if old, err := os.ReadFile(final); err == nil && bytes.Equal(old, as.Data) {
			continue
		}
		tmp, err := os.CreateTemp(dir, "."+as.Hashed+".*.tmp")
		if err != nil {
			return fmt.Errorf("exporting %s: %w", as.Name, err)
		}
		_, werr := tmp.Write(as.Data)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), final)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("exporting %s: %w", as.Name, werr)
		}
	}
	return nil
}

// Pages are the parsed page templates, each one the layout plus its page.
type Pages struct {
	pages map[string]*template.Template
}

// pageNames are the templates that are whole pages.
var pageNames = []string{"form", "job", "notfound", "error", "deleted"}

// LoadPages parses the embedded templates. funcs are added to the
// template functions (asset, the URL of a static file, and join, for
// lists, are always there).
func LoadPages(assets *Assets, funcs template.FuncMap) (*Pages, error) {
	// frame shows an internal 0-based frame as the applications number it, from 1.
	all := template.FuncMap{"asset": assets.URL, "join": strings.Join, "frame": func(n int) int { return n + 1 }, "wrap": Wrap}
	for k, v := range funcs {
		all[k] = v
	}
	layout, err := template.New("layout.html").Funcs(all).ParseFS(pageFS, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("parsing layout: %w", err)
	}
	p := &Pages{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.Must(layout.Clone()).ParseFS(pageFS, name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing %s page: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// Wrap escapes a file name for a page with a line break opportunity
// (<wbr>) after each separator ("_", ".", "-", "/", "\\" and spaces), so
// that a long name wraps between its words on a narrow screen rather than
// in the middle of one.
func Wrap(name string) template.HTML {
	var b strings.Builder
	for _, r := range name {
		b.WriteString(template.HTMLEscapeString(string(r)))
		if strings.ContainsRune("_.-/\\ ", r) {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

// Render executes a page into a buffer, so that a template error never
// sends half a page.
func (p *Pages) Render(name string, data any) ([]byte, error) {
	t, ok := p.pages[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return nil, fmt.Errorf("rendering %s page: %w", name, err)
	}
	return buf.Bytes(), nil
}
