package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracksgo/internal/formats"
	"tracksgo/internal/formats/formattest"
	"tracksgo/internal/jobs"
	"tracksgo/internal/notify/smtptest"
)

// sample is a corpus file and how it is uploaded.
type sample struct {
	rel      string // below corpus/import
	importer string // chosen explicitly on the form; "" = detect
}

// The conversions compared with the command line: formats that store the
// comp size and formats that need it, detected by extension or by content,
// chosen explicitly or not.
var samples = []sample{
	{rel: "3de_v3/3de_export_v3.txt"},
	{rel: "flame_stabilizer/fromCombustion_fromMidClip_wSnap.stabilizer"},
	{rel: "match_mover/2dtracks.rz2"},
	{rel: "nuke/018.nk"},
	{rel: "nuke/nuke7_tracker_2tracks.nk", importer: "nukescript"},
	{rel: "pftrack5/apft.2dt"},
	{rel: "shake_script/four_tracks_in_one_stabilizer.shk"},
	{rel: "boujou_features_text/boujou_txt_export.txt", importer: "boujou"},
	{rel: "shake_text/two_shake_trackers.txt", importer: "shaketext"},
}

// needsSize tells whether the importer used for a file needs width and height.
func needsSize(t *testing.T, file string, importer string) bool {
	t.Helper()
	if importer != "" {
		imp, err := formats.LookupImporter(importer)
		if err != nil {
			t.Fatal(err)
		}
		return !imp.AutoSize
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head := data[:min(len(data), formats.SniffSize)]
	imp, err := formats.Detect(file, head)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return !imp.AutoSize
}

// cli runs the converter program on file as a user would and returns
// what it wrote, by file name.
func cli(t *testing.T, file, importer string, size bool) map[string][]byte {
	t.Helper()
	out := t.TempDir()
	args := []string{"--out", out}
	if importer != "" {
		args = append(args, "-f", importer)
	}
	if size {
		args = append(args, "-w", "1920", "-h", "1080")
	}
	cmd := exec.Command(filepath.Join(binDir, "converter"), append(args, file)...)
	cmd.Env = append(os.Environ(), sourceDate)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("converter %v: %v\n%s", args, err, msg)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// unzip reads every file of a zip, by base name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("bad zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(rc); err != nil {
			t.Fatalf("zip entry %s: %v", f.Name, err)
		}
		rc.Close()
		files[path.Base(f.Name)] = buf.Bytes()
	}
	return files
}

// sourceDate fixes the creation date that Flame and boujou exports carry,
// for the service and the command line alike.
const sourceDate = "SOURCE_DATE_EPOCH=1266513732"

func sameOutputs(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	names := func(m map[string][]byte) []string {
		var n []string
		for k := range m {
			n = append(n, k)
		}
		sort.Strings(n)
		return n
	}
	if g, w := names(got), names(want); strings.Join(g, ",") != strings.Join(w, ",") {
		t.Errorf("%s: files %v, the converter wrote %v", what, g, w)
		return
	}
	for name, w := range want {
		if g := got[name]; !bytes.Equal(g, w) {
			formattest.CompareText(t, what+": "+name, string(g), string(w))
		}
	}
}

func TestConvertsLikeTheCommandLine(t *testing.T) {
	shared := formattest.SharedDir(t)
	d := startDeps(t)
	s := startService(t, d, filepath.Join(t.TempDir(), "data"))

	type result struct {
		sample
		file string
		size bool
		id   string
	}
	var results []*result
	for i, smp := range samples {
		r := &result{sample: smp, file: filepath.Join(shared, "corpus", "import", filepath.FromSlash(smp.rel))}
		content, err := os.ReadFile(r.file)
		if err != nil {
			t.Fatal(err)
		}
		r.size = needsSize(t, r.file, smp.importer)
		fields := map[string]string{}
		if smp.importer != "" {
			fields["importer"] = smp.importer
		}
		if r.size {
			fields["width"], fields["height"] = "1920", "1080"
		}
		// Half as an API client, half as a browser.
		r.id = s.create(filepath.Base(r.file), content, fields, i%2 == 0)
		results = append(results, r)
	}

	var wg sync.WaitGroup
	for _, r := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := s.wait(r.id, 3*time.Minute)
			if st.State != "done" || st.Percent != 100 {
				t.Errorf("%s: ended %+v", r.rel, st)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	for _, r := range results {
		want := cli(t, r.file, r.importer, r.size)
		resp, zipData := s.get("/jobs/" + r.id + "/download")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: download: %d", r.rel, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: zip Cache-Control %q, ETag %q", r.rel, cc, resp.Header.Get("ETag"))
		}
		sameOutputs(t, r.rel, unzip(t, zipData), want)

		// The job page lists the files; each downloads on its own.
		resp, page := s.get("/jobs/" + r.id)
		if resp.StatusCode != 200 || !strings.Contains(string(page), "Converted") {
			t.Fatalf("%s: job page %d:\n%s", r.rel, resp.StatusCode, page)
		}
		for name, content := range want {
			link := fmt.Sprintf(`/jobs/%s/files/%s`, r.id, strings.ReplaceAll(name, " ", "%20"))
			if !strings.Contains(string(page), `href="`+link+`"`) {
				t.Errorf("%s: job page lacks a link to %s", r.rel, name)
			}
			if name == firstKey(want) {
				resp, got := s.get(link)
				if resp.StatusCode != 200 || !bytes.Equal(got, content) {
					t.Errorf("%s: %s: %d, content differs from the converter's", r.rel, link, resp.StatusCode)
				}
			}
		}
	}

	// The JSON job view carries the result counts.
	resp, body := s.getJSON("/jobs/" + results[0].id)
	var j struct {
		State  string
		Result struct{ Trackers, Keyframes int }
	}
	if err := json.Unmarshal(body, &j); resp.StatusCode != 200 || err != nil || j.State != "done" || j.Result.Trackers == 0 || j.Result.Keyframes == 0 {
		t.Errorf("job JSON: %d %s", resp.StatusCode, body)
	}

	// Static files come from lighttpd, fingerprinted and cacheable
	// (mod_expire: on existing files only; e2e/http_test.go has the rest).
	_, form := s.get("/")
	css := regexp.MustCompile(`/static/style\.[0-9a-f]+\.css`).FindString(string(form))
	if css == "" {
		t.Fatal("the form links no fingerprinted stylesheet")
	}
	resp, _ = s.get(css)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "max-age=31536000" || resp.Header.Get("ETag") == "" {
		t.Errorf("%s: %d, Cache-Control %q, ETag %q", css, resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}

	// Every success is mailed to the admin, without an attachment.
	mails := smtptest.WaitMessages(t, d.mails, len(results), time.Minute)
	for _, raw := range mails {
		m, err := smtptest.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Attachments) != 0 {
			t.Errorf("success mail %q has %d attachments", m.Subject, len(m.Attachments))
		}
	}
}

func firstKey(m map[string][]byte) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}

func (s *service) getJSON(p string) (*http.Response, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.base+p, nil)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

func TestFailuresAreExplainedAndMailed(t *testing.T) {
	d := startDeps(t)
	s := startService(t, d, filepath.Join(t.TempDir(), "data"))

	// Not a track file at all.
	id := s.create("notes.txt", []byte("foo\n"), nil, true)
	st := s.wait(id, time.Minute)
	if st.State != "failed" || !strings.HasPrefix(st.Error, "Unknown input format") {
		t.Fatalf("notes.txt: %+v", st)
	}
	_, page := s.get("/jobs/" + id)
	for _, want := range []string{"Conversion failed", html.EscapeString(st.Error), "What to try", "Choose the input format"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("failed job page lacks %q", want)
		}
	}

	// A Nuke script without any tracker.
	nk := []byte("Root {\n inputs 0\n}\nBlur {\n size 3\n}\n")
	id2 := s.create("empty_comp.nk", nk, map[string]string{"width": "1920", "height": "1080"}, false)
	st2 := s.wait(id2, time.Minute)
	if st2.State != "failed" || !strings.HasPrefix(st2.Error, "Could not recover any non-empty trackers from this file.") {
		t.Fatalf("empty_comp.nk: %+v", st2)
	}

	// The admin gets each failure with the file attached.
	mails := smtptest.WaitMessages(t, d.mails, 2, time.Minute)
	found := map[string]bool{}
	for _, raw := range mails {
		m, err := smtptest.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			content []byte
			err     string
		}{{"notes.txt", []byte("foo\n"), st.Error}, {"empty_comp.nk", nk, "Could not recover any non-empty trackers"}} {
			for _, a := range m.Attachments {
				if a.Name == c.name && bytes.Equal(a.Data, c.content) {
					found[c.name] = true
					if !strings.Contains(m.Text, strings.SplitN(c.err, "\n", 2)[0]) {
						t.Errorf("failure mail for %s does not say the error:\n%s", c.name, m.Text)
					}
				}
			}
		}
	}
	for _, name := range []string{"notes.txt", "empty_comp.nk"} {
		if !found[name] {
			t.Errorf("no failure mail with %s attached among %d mails", name, len(mails))
		}
	}

	// Bad uploads are refused before any job exists.
	resp, body := s.upload("", nil, nil, true)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "Choose a track file") {
		t.Errorf("no file: %d %s", resp.StatusCode, body)
	}
	resp, body = s.upload("big.nk", bytes.Repeat([]byte("x"), uploadLimit+1), nil, true)
	if resp.StatusCode != 413 || !strings.Contains(string(body), "too large") {
		t.Errorf("too large: %d %s", resp.StatusCode, body)
	}
	resp, body = s.upload("huge.nk", bytes.Repeat([]byte("x"), uploadLimit+4<<20), nil, false)
	if resp.StatusCode != 413 || !strings.Contains(string(body), "too large") {
		t.Errorf("over lighttpd's limit: %d %s", resp.StatusCode, body)
	}
	resp, body = s.upload("a.nk", []byte("x"), map[string]string{"importer": "nukescript"}, true)
	if resp.StatusCode != 422 || !strings.Contains(string(body), "Width and height must be provided") {
		t.Errorf("missing size: %d %s", resp.StatusCode, body)
	}
	resp, _ = s.get("/jobs/" + strings.Repeat("0", 32))
	if resp.StatusCode != 404 {
		t.Errorf("unknown job: %d", resp.StatusCode)
	}
}

// slowJobs queues n conversions of the largest Flame setup of the corpus,
// which take a while each. The uploads go in parallel, so that the jobs
// are queued together and the dispatchers cannot finish them as they come.
func slowJobs(t *testing.T, s *service, n int) []string {
	t.Helper()
	file := formattest.ImportPath(t, "flame_stabilizer/hugeFlameSetup.stabilizer")
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := s.upload(fmt.Sprintf("huge%02d.stabilizer", i), content, nil, true)
			var j struct{ ID string }
			if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &j) != nil {
				t.Errorf("upload %d: %d %s", i, resp.StatusCode, body)
			}
			ids[i] = j.ID
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return ids
}

// waitRunning waits until a converter process runs.
func waitRunning(t *testing.T, within time.Duration) []proc {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var convs []proc
		for _, p := range serviceProcs() {
			if p.name == "converter" {
				convs = append(convs, p)
			}
		}
		if len(convs) > 0 {
			return convs
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no converter started within %v: %v", within, serviceProcs())
	return nil
}

func waitAllDone(t *testing.T, s *service, ids []string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st := s.wait(id, 4*time.Minute); st.State != "done" {
				t.Errorf("job %s: %+v\n%s", id, st, s.jobLog(id))
			}
		}()
	}
	wg.Wait()
}

func TestStoppingLighttpdStopsEverything(t *testing.T) {
	formattest.SharedDir(t)
	d := startDeps(t)
	data := filepath.Join(t.TempDir(), "data")
	s := startService(t, d, data)
	ids := slowJobs(t, s, 10)
	waitRunning(t, time.Minute)

	s.stop(syscall.SIGTERM)
	// GRACE is 3s: the dispatchers let converters finish that long, then
	// kill them and put their jobs back.
	waitNoProcs(t, 30*time.Second, "after SIGTERM to lighttpd")
	// The runs killed at the end of the grace period left nothing.
	noTmpLeft(t, data, 0)

	// The stop caught work in progress: jobs that were running went back
	// to the queue (or were never started), none is left running.
	states := jobStates(t, filepath.Join(data, "jobs.db"), ids)
	t.Logf("job states after the stop: %v", states)
	if states["running"] != 0 {
		t.Errorf("%d jobs left running after a clean stop", states["running"])
	}
	if states["done"] == len(ids) {
		t.Fatal("every job finished before the stop; the test did not stop running jobs")
	}

	s2 := startService(t, d, data)
	waitAllDone(t, s2, ids)
	s2.stop(syscall.SIGTERM)
	waitNoProcs(t, 30*time.Second, "after the second SIGTERM to lighttpd")
	noTmpLeft(t, data, 0)
	for _, id := range ids {
		if j := job(t, filepath.Join(data, "jobs.db"), id); j.Attempts != 1 {
			t.Errorf("job %s: %d attempts after a restart, want 1 (a stop is not the job's failure)", id, j.Attempts)
		}
	}
}

func TestKilledProcessesTakeTheirChildrenAlong(t *testing.T) {
	formattest.SharedDir(t)
	d := startDeps(t)
	data := filepath.Join(t.TempDir(), "data")
	s := startService(t, d, data)
	ids := slowJobs(t, s, 6)

	// SIGKILL an fcgi process, preferably one whose dispatcher runs a
	// converter: its dispatcher and converters must die with it.
	waitRunning(t, time.Minute)
	procs := serviceProcs()
	byPid := map[int]proc{}
	for _, p := range procs {
		byPid[p.pid] = p
	}
	var fcgi, worker proc
	for _, p := range procs {
		parent := byPid[p.ppid]
		if p.name == "worker" && parent.name == "fcgi" && (worker.pid == 0 || hasChild(procs, p.pid)) {
			fcgi, worker = parent, p
		}
	}
	if worker.pid == 0 {
		t.Fatalf("no fcgi process with a dispatcher: %v", procs)
	}
	var orphans []proc
	for _, p := range procs {
		if p.pid == worker.pid || p.ppid == worker.pid {
			orphans = append(orphans, p)
		}
	}
	t.Logf("killing %v; its dispatcher and converters: %v", fcgi, orphans)
	if err := syscall.Kill(fcgi.pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var alive []proc
		for _, p := range orphans {
			if syscall.Kill(p.pid, 0) == nil && isService(p.pid) {
				alive = append(alive, p)
			}
		}
		if len(alive) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after SIGKILL of %v, still alive: %v", fcgi, alive)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The dispatcher of the fcgi process lighttpd starts in its place
	// takes the jobs over once their leases expire, and removes what the
	// killed runs left.
	waitAllDone(t, s, ids)
	noTmpLeft(t, data, 10*time.Second)
	for _, id := range ids {
		if j := job(t, filepath.Join(data, "jobs.db"), id); j.Attempts != 1 {
			t.Errorf("job %s: %d attempts, want 1 (a killed dispatcher is not the job's failure)", id, j.Attempts)
		}
	}

	// lighttpd killed outright: the fcgi processes get their parent-death
	// signal and take everything down.
	more := slowJobs(t, s, 2)
	waitRunning(t, time.Minute)
	s.stop(syscall.SIGKILL)
	waitNoProcs(t, 30*time.Second, "after SIGKILL of lighttpd")

	// The next start finishes the jobs and removes what the dead runs
	// left.
	s2 := startService(t, d, data)
	waitAllDone(t, s2, more)
	noTmpLeft(t, data, 10*time.Second)
}

// noTmpLeft waits until DATA_DIR/tmp is empty (no run's temporary folder,
// no upload buffer), failing the test if something stays.
func noTmpLeft(t *testing.T, data string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		entries, err := os.ReadDir(filepath.Join(data, "tmp"))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("left in DATA_DIR/tmp: %v", names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// job reads a job straight from the database.
func job(t *testing.T, db, id string) *jobs.Job {
	t.Helper()
	store, err := jobs.OpenSQLite(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	j, err := store.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// jobStates counts the jobs by state, straight from the database.
func jobStates(t *testing.T, db string, ids []string) map[string]int {
	t.Helper()
	store, err := jobs.OpenSQLite(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	states := map[string]int{}
	for _, id := range ids {
		j, err := store.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		states[string(j.State)]++
	}
	return states
}

func hasChild(procs []proc, pid int) bool {
	for _, p := range procs {
		if p.ppid == pid {
			return true
		}
	}
	return false
}

// isService tells whether pid is (still) a live process of the service.
func isService(pid int) bool {
	for _, p := range serviceProcs() {
		if p.pid == pid {
			return true
		}
	}
	return false
}
