package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tracksgo/internal/formats/formattest"
)

// The browser suite: Debian's Chromium, headless, against the service under
// lighttpd, as a person uses it, with and without JavaScript. Its
// screenshots, at 1280 and 390 px wide, go to $TEST_ARTIFACTS/browser, else
// to e2e/artifacts/browser (ignored by git), to be looked at.

// browserFile takes a moment to convert at this size (about a second), so
// the job page shows its bar moving.
const (
	browserFile   = "nuke/45trackers.nk"
	browserWidth  = "2048"
	browserHeight = "1176"
)

// Page widths of the screenshots: a laptop's and a phone's.
const (
	wide   = 1280
	narrow = 390
)

// browserWait bounds one wait for the page; generous, for a loaded
// 2-core machine.
const browserWait = 60 * time.Second

func TestBrowser(t *testing.T) {
	chrome := lookBinary("chromium")
	if chrome == "" {
		t.Skip("chromium is not installed (apt-get install chromium, or make test); skipping the browser test")
	}
	file := filepath.Join(formattest.SharedDir(t), "corpus", "import", filepath.FromSlash(browserFile))
	d := startDeps(t)
	s := startService(t, d, t.TempDir())
	b := startBrowser(t, chrome)
	t.Run("with script", func(t *testing.T) { withScript(t, b.tab(t, true), s, file) })
	t.Run("without script", func(t *testing.T) { withoutScript(t, b.tab(t, false), s, file) })
}

type browser struct {
	ctx       context.Context // the browser's first tab: it lives as long as the browser
	artifacts string
}

func startBrowser(t *testing.T, chrome string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	) // and a fresh user data folder of chromedp's own, removed at the end
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(root, "e2e", "artifacts")
	}
	dir = filepath.Join(dir, "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return &browser{ctx: ctx, artifacts: dir}
}

// tab is a new tab, in a browser context of its own (its own cookies),
// with scripts on or off, bounded in time as a whole.
type tab struct {
	t         *testing.T
	ctx       context.Context
	artifacts string
	prefix    string // of the screenshots' names
}

func (b *browser) tab(t *testing.T, script bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(wide, 900)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	prefix := ""
	if !script {
		prefix = "noscript-"
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn scripts off: %v", err)
		}
	}
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTime)
	return &tab{t: t, ctx: ctx, artifacts: b.artifacts, prefix: prefix}
}

func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page (DevTools evaluates
// it even where the page's own scripts are off).
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until expr is true in the page, across navigations and
// reloads (an evaluation that fails while a page loads is tried again).
func (tb *tab) waitFor(what, expr string) {
	tb.t.Helper()
	deadline := time.Now().Add(browserWait)
	var last error
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		last = err
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			loc, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.href + " " + document.body.innerText.slice(0, 600)`))
			tb.t.Fatalf("waiting %v for %s (%s): last error %v; page %s", browserWait, what, expr, last, loc)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot saves a screenshot of the whole page at each width, and comes back
// to the wide one. The window is made as tall as the page first, so that
// what sticks to the window's bottom (the Convert bar) is drawn where a
// person scrolled to the end sees it, not over the middle of the page.
func (tb *tab) shot(name string, widths ...int64) {
	tb.t.Helper()
	for _, w := range widths {
		tb.do("set the width", chromedp.EmulateViewport(w, 900))
		h := eval[int64](tb, `document.documentElement.scrollHeight`)
		tb.do("set the height", chromedp.EmulateViewport(w, max(h, 900)))
		png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			tb.t.Fatalf("screenshot %s at %d px: %v", name, w, err)
		}
		tb.save(fmt.Sprintf("%s%s-%d.png", tb.prefix, name, w), png)
	}
	tb.do("set the width", chromedp.EmulateViewport(wide, 900))
}

func (tb *tab) save(name string, png []byte) {
	tb.t.Helper()
	if err := os.WriteFile(filepath.Join(tb.artifacts, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// barRecorder runs in every page of the tab before the page's own script:
// it writes each value the progress bar shows, with the attempt and state
// of the status answer that brought it, to sessionStorage, which lasts
// across the page's reloads.
const barRecorder = `(() => {
  let attempt = null, state = null;
  const fetch0 = window.fetch;
  window.fetch = function (...args) {
    return fetch0.apply(this, args).then(r => {
      if (!new URL(r.url).pathname.endsWith("/status")) return r;
      // Read before the page's script does, so that the attempt is known
      // when the bar changes.
      return r.clone().json().then(s => { attempt = s.attempt; state = s.state; return r; }, () => r);
    });
  };
  document.addEventListener("DOMContentLoaded", () => {
    const bar = document.querySelector("[data-bar]");
    if (!bar) return;
    const fill = bar.querySelector("[data-fill]");
    const log = JSON.parse(sessionStorage.getItem("barlog") || "[]");
    const load = log.length ? log[log.length - 1].load + 1 : 0;
    const push = () => {
      log.push({ load, value: Number(bar.getAttribute("aria-valuenow")), width: fill.style.width, attempt, state });
      sessionStorage.setItem("barlog", JSON.stringify(log));
    };
    push();
    new MutationObserver(push).observe(bar, { attributes: true, attributeFilter: ["aria-valuenow"] });
  });
})();`

type barValue struct {
	Load    int    `json:"load"` // the page load that showed it
	Value   int    `json:"value"`
	Width   string `json:"width"`
	Attempt *int   `json:"attempt"` // nil: as the page came from the server
	State   string `json:"state"`
}

func (v barValue) String() string {
	a := "-"
	if v.Attempt != nil {
		a = strconv.Itoa(*v.Attempt)
	}
	return fmt.Sprintf("%d%% (load %d, attempt %s, %s)", v.Value, v.Load, a, v.State)
}

// checkBar checks that the bar never went back within one attempt, that
// its fill matched its value, and that it moved.
func checkBar(t *testing.T, seen []barValue) {
	t.Helper()
	t.Logf("the bar showed %v", seen)
	if len(seen) == 0 {
		t.Fatal("the job page never showed its progress bar")
	}
	before100 := map[int]bool{}
	for i, v := range seen {
		if v.Width != strconv.Itoa(v.Value)+"%" {
			t.Errorf("bar value %d drawn %q wide", v.Value, v.Width)
		}
		if v.Value < 100 {
			before100[v.Value] = true
		}
		if i == 0 {
			continue
		}
		p := seen[i-1]
		newAttempt := p.Attempt != nil && v.Attempt != nil && *p.Attempt != *v.Attempt
		if v.Value < p.Value && !newAttempt && v.State != "queued" {
			t.Errorf("the bar went back from %d to %d (load %d, attempt %v)", p.Value, v.Value, v.Load, v.Attempt)
		}
	}
	if len(before100) < 2 {
		t.Errorf("the bar showed %d value(s) below 100, want it to move", len(before100))
	}
}

func withScript(t *testing.T, tb *tab, s *service, file string) {
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: barRecorder}); err != nil {
		t.Fatal(err)
	}
	tb.do("open the form", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.ID("convert")))
	if !eval[bool](tb, `document.documentElement.classList.contains("js")`) {
		t.Fatal("the form's script did not run")
	}

	// The file through the file input: the form asks the server what it
	// is and asks for the comp size Nuke scripts do not hold.
	tb.do("choose the file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	tb.waitFor("the format hint", `document.querySelector("#detected").textContent !== ""`)
	if got := eval[string](tb, `document.querySelector("#detected").textContent`); !strings.HasPrefix(got, "Format detected: Nuke") ||
		!strings.Contains(got, "does not store the comp size") {
		t.Errorf("format hint %q, want Nuke detected and the comp size asked", got)
	}
	if !eval[bool](tb, `document.querySelector("#detected").classList.contains("needs")`) {
		t.Error("the format hint is not marked as asking for something")
	}
	if got := eval[string](tb, `document.querySelector("[data-file-name]").textContent`); !strings.HasPrefix(got, filepath.Base(file)+" (") {
		t.Errorf("the drop zone says %q, want the file's name and size", got)
	}
	sizeBlock := `(() => {
	  const size = document.querySelector("#size"), need = size.querySelector(".need");
	  return size.classList.contains("needed") && getComputedStyle(need).display !== "none" &&
	    document.querySelector("#width").required && document.querySelector("#height").required;
	})()`
	if !eval[bool](tb, sizeBlock) {
		t.Error("the size block does not say that this file needs width and height")
	}

	// Convert without the size: held back, the size error shown, the
	// width focused.
	tb.do("convert without the size", chromedp.Click(chromedp.ID("convert")))
	tb.waitFor("the size error", `!document.querySelector("#size-error").hidden`)
	if got := eval[string](tb, `document.querySelector("#size-error").textContent`); !strings.HasPrefix(got, "Enter the width and height first: Nuke") || !strings.Contains(got, "do not store the comp size") {
		t.Errorf("size error %q", got)
	}
	if got := eval[string](tb, `location.pathname + " " + document.activeElement.id`); got != "/ width" {
		t.Errorf("after the held-back convert: page and focus %q, want the form with the width focused", got)
	}
	tb.shot("form", wide, narrow)

	tb.do("enter the size", chromedp.SendKeys(chromedp.ID("width"), browserWidth), chromedp.SendKeys(chromedp.ID("height"), browserHeight))
	if !eval[bool](tb, `document.querySelector("#size-error").hidden`) {
		t.Error("the size error stays once the size is entered")
	}
	tb.do("convert", chromedp.Click(chromedp.ID("convert")))
	tb.waitFor("the job page and its bar", `location.pathname.startsWith("/jobs/") && sessionStorage.getItem("barlog") !== null`)
	id := eval[string](tb, `document.querySelector("[data-job]").dataset.job`)
	first := eval[int](tb, `JSON.parse(sessionStorage.getItem("barlog"))[0].value`)

	// Hold the conversion while the bar is part way, past where the page
	// started, for the screenshots.
	resume := holdConverter(t, s, id, first)
	st, err := s.status(id)
	if err != nil || st.State != "running" {
		resume()
		t.Fatalf("held job: %+v, %v", st, err)
	}
	tb.waitFor(fmt.Sprintf("the bar to show %d%%", st.Percent), fmt.Sprintf(`(() => {
	  const bar = document.querySelector("[data-bar]"), fill = document.querySelector("[data-fill]");
	  if (!bar || bar.getAttribute("aria-valuenow") !== "%d") return false;
	  // and its fill to have grown there (it eases)
	  return Math.abs(fill.getBoundingClientRect().width - bar.clientWidth * %d / 100) < 1.5;
	})()`, st.Percent, st.Percent))
	if got := eval[string](tb, `document.querySelector("[data-percent]").textContent`); got != strconv.Itoa(st.Percent)+"%" {
		t.Errorf("percent shown %q, want %d%%", got, st.Percent)
	}
	if got := eval[string](tb, `document.querySelector("[data-badge]").textContent`); got != "Converting" {
		t.Errorf("badge %q while the job runs", got)
	}
	tb.shot("job-running", wide, narrow)
	resume()

	// The page reloads itself when the job is done.
	tb.waitFor("the done page", `document.querySelector("[data-job][data-state=done]") !== null`)
	var seen []barValue
	if err := json.Unmarshal([]byte(eval[string](tb, `sessionStorage.getItem("barlog") || "[]"`)), &seen); err != nil {
		t.Fatal(err)
	}
	checkBar(t, seen)
	checkDonePage(t, tb, file)
	tb.shot("job-done", wide, narrow)
	tb.readmeShot()

	// Only the browser that uploaded the file is offered the delete.
	if _, body := s.get("/jobs/" + id); strings.Contains(string(body), `id="delete-job"`) {
		t.Error("the job page offers the delete to a client without the creator's cookie")
	}
	deleteJob(t, tb, s, id, file)
}

// holdConverter waits until the job runs part way, past above percent, and
// stops its converter (SIGSTOP), so that the page can be looked at while it
// runs; the dispatcher keeps renewing the lease meanwhile. It returns what
// resumes it.
func holdConverter(t *testing.T, s *service, id string, above int) (resume func()) {
	t.Helper()
	deadline := time.Now().Add(browserWait)
	for {
		st, err := s.status(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == "done" || st.State == "failed" {
			t.Fatalf("job %s ended (%+v) before the test could hold it running", id, st)
		}
		if st.State == "running" && st.Percent > above && st.Percent < 100 {
			var held []int
			for _, p := range serviceProcs() {
				if p.name == "converter" && syscall.Kill(p.pid, syscall.SIGSTOP) == nil {
					held = append(held, p.pid)
				}
			}
			if len(held) > 0 {
				resumed := false
				resume = func() {
					if !resumed {
						resumed = true
						for _, pid := range held {
							syscall.Kill(pid, syscall.SIGCONT)
						}
					}
				}
				t.Cleanup(resume)
				return resume
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not run part way within %v: %+v", id, browserWait, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkDonePage checks the done job page: the summary, one path per
// tracker with its name for a title, in the order of the table, the files.
func checkDonePage(t *testing.T, tb *tab, file string) {
	t.Helper()
	if got := eval[string](tb, `document.querySelector("[data-badge-state]").textContent`); got != "Converted" {
		t.Errorf("badge %q", got)
	}
	if got := eval[string](tb, `document.querySelector("#job-file").textContent`); got != filepath.Base(file) {
		t.Errorf("file name %q", got)
	}
	summary := eval[string](tb, `document.querySelector("#summary").innerText`)
	if !strings.Contains(summary, "Nuke") || !strings.Contains(summary, browserWidth+" × "+browserHeight) {
		t.Errorf("summary %q, want the format and the comp size", summary)
	}
	trackers := regexp.MustCompile(`Trackers\s+(\d+)`).FindStringSubmatch(summary)
	if trackers == nil {
		t.Fatalf("summary %q: no tracker count", summary)
	}
	n, _ := strconv.Atoi(trackers[1])

	type drawn struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Path  string `json:"path"` // the tracker's path in the comp frame
	}
	type row struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Href string `json:"href"`
	}
	var preview struct {
		Visible bool    `json:"visible"`
		Groups  []drawn `json:"groups"`
		Rows    []row   `json:"rows"`
	}
	raw := eval[string](tb, `JSON.stringify((() => {
	  const svg = document.querySelector("[data-preview] svg.tp");
	  if (!svg) return { visible: false, groups: [], rows: [] };
	  const r = svg.getBoundingClientRect();
	  return {
	    visible: r.width > 300 && r.height > 200,
	    groups: [...svg.querySelectorAll("g[id^=trk]")].map(g => ({
	      id: g.id, title: g.querySelector(":scope > title")?.textContent ?? "",
	      path: g.querySelector(":scope > path")?.getAttribute("d") ?? "" })),
	    rows: [...document.querySelectorAll("[data-preview] tr[data-t]")].map(tr => ({
	      id: tr.dataset.t, name: tr.querySelector("th").textContent.trim(),
	      href: tr.querySelector("th a").getAttribute("href") })),
	  };
	})())`)
	if err := json.Unmarshal([]byte(raw), &preview); err != nil {
		t.Fatal(err)
	}
	if !preview.Visible {
		t.Error("no track preview drawn")
	}
	if len(preview.Groups) != n || len(preview.Rows) != n {
		t.Fatalf("%d trackers: %d drawn, %d in the table", n, len(preview.Groups), len(preview.Rows))
	}
	for i, g := range preview.Groups {
		r := preview.Rows[i]
		if g.ID != r.ID || r.Href != "#"+g.ID {
			t.Errorf("tracker %d: drawn as %q, row %q links to %q", i, g.ID, r.ID, r.Href)
		}
		if g.Title == "" || g.Title != r.Name {
			t.Errorf("tracker %d: title %q, row %q", i, g.Title, r.Name)
		}
		if !strings.HasPrefix(g.Path, "M") || len(g.Path) < 8 {
			t.Errorf("tracker %d (%s): path %q", i, g.Title, g.Path)
		}
	}
	ids := map[string]bool{}
	for _, g := range preview.Groups {
		ids[g.ID] = true
	}
	if len(ids) != n {
		t.Errorf("%d trackers drawn under %d ids", n, len(ids))
	}
	var files []string
	if err := json.Unmarshal([]byte(eval[string](tb, `JSON.stringify([...document.querySelectorAll("#files li")].map(li => li.innerText))`)), &files); err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Errorf("%d files listed", len(files))
	}
	sized := regexp.MustCompile(` · [0-9.]+ (bytes|KiB|MiB|GiB)$`)
	for _, f := range files {
		if !sized.MatchString(f) {
			t.Errorf("file listed as %q, want its format and size", f)
		}
	}
	for _, sel := range []string{"#download-all", "#convert-again", "#delete-job"} {
		if !eval[bool](tb, `document.querySelector("`+sel+`") !== null`) {
			t.Errorf("no %s on the done page", sel)
		}
	}
}

// readmeShot saves the top of the done page down to the track preview, at
// the wide width: docs/job-page.png is this picture, run through pngquant.
func (tb *tab) readmeShot() {
	tb.t.Helper()
	bottom := eval[float64](tb, `document.querySelector("[data-preview] figure").getBoundingClientRect().bottom + scrollY`)
	png, err := chromedp.Call(tb.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Clip:                  &page.Viewport{Width: wide, Height: bottom + 16, Scale: 1},
		CaptureBeyondViewport: new(true),
	})
	if err != nil {
		tb.t.Fatalf("screenshot for the README: %v", err)
	}
	tb.save("readme-job-page.png", png.Data)
}

// deleteJob deletes the job from its page and checks that it is gone.
func deleteJob(t *testing.T, tb *tab, s *service, id, file string) {
	t.Helper()
	tb.do("delete the job", chromedp.Click(chromedp.ID("delete-job")))
	tb.waitFor("the deleted page", `document.querySelector("[data-deleted]") !== null`)
	if got := eval[string](tb, `document.querySelector("[data-deleted]").textContent`); !strings.Contains(got, filepath.Base(file)) {
		t.Errorf("deleted page %q, want the file's name", got)
	}
	if resp, _ := s.get("/jobs/" + id); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET the deleted job: %d, want 404", resp.StatusCode)
	}
}

// withoutScript is the main path again with the page's scripts off: the
// form posts the file and the size, the job page refreshes itself until
// the job is done.
func withoutScript(t *testing.T, tb *tab, s *service, file string) {
	tb.do("open the form", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.ID("convert")))
	if eval[bool](tb, `document.documentElement.classList.contains("js")`) {
		t.Fatal("the page's script ran in a tab with scripts off")
	}
	tb.do("fill the form",
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.SendKeys(chromedp.ID("width"), browserWidth),
		chromedp.SendKeys(chromedp.ID("height"), browserHeight),
	)
	// Nothing but the file input itself can say which file was chosen.
	if !eval[bool](tb, `(() => {
	  const f = document.querySelector("#file");
	  return f.files.length === 1 && f.getBoundingClientRect().width > 100 && getComputedStyle(f).opacity === "1";
	})()`) {
		t.Error("the chosen file is not shown without a script")
	}
	tb.shot("form", wide, narrow)
	tb.do("convert", chromedp.Click(chromedp.ID("convert")))
	tb.waitFor("the job page", `location.pathname.startsWith("/jobs/") && document.querySelector("[data-job]") !== null`)
	id := eval[string](tb, `document.querySelector("[data-job]").dataset.job`)
	state := eval[string](tb, `document.querySelector("[data-job]").dataset.state`)
	if state != "queued" && state != "running" {
		t.Fatalf("the first job page shows the job %s, want it still queued or running", state)
	}
	if !eval[bool](tb, `document.querySelector("head meta[http-equiv=refresh]") !== null`) {
		t.Error("the running job page has no refresh without a script")
	}
	if !eval[bool](tb, `document.querySelector("[data-bar]") !== null`) {
		t.Error("the running job page has no progress bar")
	}
	tb.shot("job-running", wide)

	// Nothing but the page's own refresh brings it to the done page.
	tb.waitFor("the done page", `document.querySelector("[data-job][data-state=done]") !== null`)
	checkDonePage(t, tb, file)
	if eval[bool](tb, `document.querySelector("head meta[http-equiv=refresh]") !== null`) {
		t.Error("the done page still refreshes itself")
	}
	tb.shot("job-done", wide)
	deleteJob(t, tb, s, id, file)
}
