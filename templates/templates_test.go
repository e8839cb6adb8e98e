package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAssetsAreFingerprintedByContent(t *testing.T) {
	a, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, as := range a.List() {
		ext := filepath.Ext(as.Name)
		pattern := "^" + regexp.QuoteMeta(strings.TrimSuffix(as.Name, ext)) + `\.[0-9a-f]{12}` + regexp.QuoteMeta(ext) + "$"
		if !regexp.MustCompile(pattern).MatchString(as.Hashed) {
			t.Errorf("%s: fingerprinted name %q", as.Name, as.Hashed)
		}
		if names[as.Hashed] {
			t.Errorf("two assets named %s", as.Hashed)
		}
		names[as.Hashed] = true
		if a.URL(as.Name) != StaticPrefix+as.Hashed {
			t.Errorf("URL(%s) = %s", as.Name, a.URL(as.Name))
		}
	}
	for _, want := range []string{"style.css", "app.js", "favicon.svg"} {
		if _, ok := a.byName[want]; !ok {
			t.Errorf("no asset %s", want)
		}
	}
	b, _ := LoadAssets()
	if a.URL("app.js") != b.URL("app.js") {
		t.Error("fingerprints differ between two loads of the same content")
	}
	defer func() {
		if recover() == nil {
			t.Error("URL of a missing asset did not panic")
		}
	}()
	a.URL("missing.css")
}

func TestExportIsIdempotent(t *testing.T) {
	a, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "static")
	for i := 0; i < 2; i++ {
		if err := a.Export(dir); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(a.List()) {
		t.Errorf("exported %d files, want %d (no temporary files left)", len(entries), len(a.List()))
	}
	for _, as := range a.List() {
		got, err := os.ReadFile(filepath.Join(dir, as.Hashed))
		if err != nil || string(got) != string(as.Data) {
			t.Errorf("%s: %v", as.Hashed, err)
		}
	}
}

func TestPagesRender(t *testing.T) {
	a, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadPages(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Render("notfound", struct{ Title, Message string }{"Not found", "No <such> page"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!doctype html>", a.URL("style.css"), a.URL("app.js"), "No &lt;such&gt; page"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if _, err := p.Render("nope", nil); err == nil {
		t.Error("rendering an unknown page did not fail")
	}
}
