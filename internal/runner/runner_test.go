package runner

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/notify"
	"tracksgo/internal/notify/smtptest"
	"tracksgo/internal/pack/packtest"
	"tracksgo/internal/pipeline"
	"tracksgo/internal/preview"
	"tracksgo/internal/status"
	"tracksgo/internal/status/memcachedtest"
)

type fixture struct {
	cfg   *config.Config
	store *jobs.SQLite
	log   *logrus.Logger
	hook  *logtest.Hook
}

func newFixture(t testing.TB, env map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	env["DATA_DIR"] = dir
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{cfg.UploadDir()} {
		os.MkdirAll(d, 0o755)
	}
	store, err := jobs.OpenSQLite(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	return &fixture{cfg: cfg, store: store, log: log, hook: hook}
}

// queue stores content as an upload, creates the job and claims it.
func (f *fixture) queue(t testing.TB, name string, content []byte, opts jobs.Options) *jobs.Job {
	t.Helper()
	id := jobs.NewID()
	upload := filepath.Join(f.cfg.UploadDir(), id)
	if err := os.WriteFile(upload, content, 0o644); err != nil {
		t.Fatal(err)
	}
	j := &jobs.Job{ID: id, FileName: name, Upload: upload, Options: opts}
	if err := f.store.Create(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	claimed, err := f.store.Claim(context.Background(), "test-owner", time.Minute)
	if err != nil || claimed == nil || claimed.ID != id {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	return claimed
}

func tiny(t *testing.T) []byte {
	b, err := os.ReadFile("testdata/tiny.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

func TestRunConvertsZipsRecordsPublishesAndMails(t *testing.T) {
	mc := memcachedtest.Start(t)
	smtpAddr, messages := smtptest.Start(t)
	f := newFixture(t, map[string]string{"MEMCACHED": mc, "SMTP_ADDR": smtpAddr})
	job := f.queue(t, "shot 7.json", tiny(t), jobs.Options{Exporters: []string{"nukescript", "syntheyes", "json"}})

	// A half result of an earlier attempt that died before recording.
	resultDir := f.cfg.ResultDir(job.ID)
	os.MkdirAll(resultDir, 0o755)
	os.WriteFile(filepath.Join(resultDir, "half-written.tmp"), []byte("x"), 0o644)

	if err := Run(context.Background(), f.cfg, f.store, job.LeaseOf(), f.log); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Get(context.Background(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != jobs.Done || got.Result == nil {
		t.Fatalf("job %s (%q), want done with a result", got.State, got.Error)
	}
	r := got.Result
	if r.Trackers != 3 || r.Keyframes != 36 || r.FirstFrame != 0 || r.LastFrame != 11 || r.Importer != "JSON" || r.Width != 1920 {
		t.Errorf("result %+v", r)
	}
	// Without tools the outputs hold what was read.
	if want := (jobs.Summary{Width: 1920, Height: 1080, Trackers: 3, Keyframes: 36, FirstFrame: 0, LastFrame: 11}); r.Imported == nil || *r.Imported != want {
		t.Errorf("imported %+v, want %+v", r.Imported, want)
	}
	if len(r.Files) != 3 {
		t.Fatalf("files %v, want three", r.Files)
	}
	t.Logf("files: %v", r.Files)

	entries, _ := os.ReadDir(resultDir)
	var inDir []string
	for _, e := range entries {
		inDir = append(inDir, e.Name())
	}
	// One copy of the outputs, their zip, and the preview beside it.
	want := []string{ZipName(job.FileName), preview.SVGName, preview.TableName}
	sort.Strings(want)
	if !reflect.DeepEqual(inDir, want) {
		t.Errorf("result folder holds %v, want %v (and nothing of the earlier attempt)", inDir, want)
	}
	if _, table, err := preview.Read(resultDir); err != nil || len(table.Trackers) != 3 {
		t.Errorf("preview: %v, %+v", err, table)
	}
	zipPath := filepath.Join(resultDir, "shot 7_tracks.zip")
	zipped := readZip(t, zipPath)
	if len(zipped) != len(r.Files) {
		t.Errorf("zip holds %d files, want %d (the preview is not an output)", len(zipped), len(r.Files))
	}
	// The bytes the command line writes.
	cliDir := t.TempDir()
	os.WriteFile(filepath.Join(cliDir, "shot 7.json"), tiny(t), 0o644)
	cli, err := pipeline.Run(context.Background(), pipeline.Request{Input: filepath.Join(cliDir, "shot 7.json"),
		Exporters: []string{"nukescript", "syntheyes", "json"}, Now: f.cfg.Now})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range r.Files {
		disk, _ := os.ReadFile(cli.Files[i])
		if z, ok := zipped[name]; !ok || filepath.Base(cli.Files[i]) != name || !bytes.Equal(z, disk) || len(disk) == 0 {
			t.Errorf("%s: zipped %d bytes, the command line's %s %d bytes; want equal and non-empty", name, len(z), cli.Files[i], len(disk))
		}
	}
	packtest.CheckWithTools(t, zipPath)
	if tmp, _ := os.ReadDir(filepath.Join(f.cfg.DataDir, "tmp")); len(tmp) != 0 {
		t.Errorf("temporary folders left: %v", tmp)
	}

	it, err := memcache.New(mc).Get(status.Key(job.ID))
	if err != nil || !strings.Contains(string(it.Value), `"state":"done"`) || !strings.Contains(string(it.Value), `"percent":100`) {
		t.Errorf("memcached status: %s, %v", it.Value, err)
	}
	msg, err := smtptest.Parse(smtptest.WaitMessages(t, messages, 1, 10*time.Second)[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg.Subject, "Conversion done") || len(msg.Attachments) != 0 {
		t.Errorf("mail %q with %d attachments", msg.Subject, len(msg.Attachments))
	}
	for _, e := range f.hook.AllEntries() {
		if e.Data["job"] != job.ID {
			t.Errorf("log line without the job id: %s %v", e.Message, e.Data)
		}
	}
}

func TestRunRecordsTheUserFacingErrorAndMailsTheUpload(t *testing.T) {
	smtpAddr, messages := smtptest.Start(t)
	f := newFixture(t, map[string]string{"SMTP_ADDR": smtpAddr, "MEMCACHED": ""})
	garbage := []byte("this is not a track file at all\n")
	job := f.queue(t, "notes.txt", garbage, jobs.Options{})
	if err := Run(context.Background(), f.cfg, f.store, job.LeaseOf(), f.log); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.Get(context.Background(), job.ID)
	if got.State != jobs.Failed || got.Error == "" {
		t.Fatalf("job %s with error %q, want failed with the pipeline's message", got.State, got.Error)
	}
	t.Logf("user-facing error: %q", got.Error)
	if _, err := os.Stat(f.cfg.ResultDir(job.ID)); !os.IsNotExist(err) {
		t.Errorf("a failed job has a result folder: %v", err)
	}
	msg, err := smtptest.Parse(smtptest.WaitMessages(t, messages, 1, 10*time.Second)[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 1 || !bytes.Equal(msg.Attachments[0].Data, garbage) || msg.Attachments[0].Name != "notes.txt" {
		t.Errorf("failure mail attachments: %+v", msg.Attachments)
	}
	if !strings.Contains(msg.Text, got.Error) {
		t.Errorf("failure mail lacks the error %q:\n%s", got.Error, msg.Text)
	}
}

func TestRunWithALostLeaseWritesNothing(t *testing.T) {
	f := newFixture(t, map[string]string{})
	job := f.queue(t, "a.json", tiny(t), jobs.Options{})
	stale := job.LeaseOf()
	stale.Owner = "someone-else"
	r := &Runner{Config: f.cfg, Store: f.store, Mailer: notify.New(f.cfg, f.log), Log: f.log}
	if err := r.Run(context.Background(), stale); !errors.Is(err, jobs.ErrLeaseLost) {
		t.Fatalf("run with another owner's lease: %v, want ErrLeaseLost", err)
	}
	older := job.LeaseOf()
	older.Run--
	if err := r.Run(context.Background(), older); !errors.Is(err, jobs.ErrLeaseLost) {
		t.Fatalf("run with an older run: %v, want ErrLeaseLost", err)
	}
	if got, _ := f.store.Get(context.Background(), job.ID); got.State != jobs.Running {
		t.Errorf("job %s, want still running for its real lease", got.State)
	}
	if _, err := os.Stat(f.cfg.ResultDir(job.ID)); !os.IsNotExist(err) {
		t.Errorf("a lost lease published results: %v", err)
	}
}

func TestMainUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := Main(context.Background(), []string{"--job", "x"}, &stderr); code != jobs.ExitUsage {
		t.Errorf("missing owner: exit %d, want %d", code, jobs.ExitUsage)
	}
	if !strings.Contains(stderr.String(), "usage") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestZipName(t *testing.T) {
	for in, want := range map[string]string{"shot.nk": "shot_tracks.zip", "a.b.txt": "a.b_tracks.zip", "noext": "noext_tracks.zip", ".hidden": ".hidden_tracks.zip"} {
		if got := ZipName(in); got != want {
			t.Errorf("ZipName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRunWithTheUploadGone(t *testing.T) {
	f := newFixture(t, map[string]string{"MEMCACHED": ""})
	job := f.queue(t, "a.json", tiny(t), jobs.Options{})
	os.Remove(job.Upload)
	if err := Run(context.Background(), f.cfg, f.store, job.LeaseOf(), f.log); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.Get(context.Background(), job.ID)
	if got.State != jobs.Failed || got.Error != MsgUploadGone {
		t.Errorf("job %s with %q, want failed with %q (no server path shown)", got.State, got.Error, MsgUploadGone)
	}
}
