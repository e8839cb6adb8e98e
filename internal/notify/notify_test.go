package notify

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
	"tracksgo/internal/notify/smtptest"
	"tracksgo/internal/tools"
)

func testJob(t *testing.T, upload []byte) *jobs.Job {
	path := filepath.Join(t.TempDir(), "upload-1")
	if err := os.WriteFile(path, upload, 0o644); err != nil {
		t.Fatal(err)
	}
	return &jobs.Job{
		ID: jobs.NewID(), FileName: "shot é 12.nk", Upload: path, State: jobs.Failed, Attempts: 1,
		Created: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Options: jobs.Options{Importer: "nuke", Width: 1920, Height: 1080,
			Tools: []tools.Spec{{Name: "Shift", Params: tools.Values{"x_shift": "4"}}}, Exporters: []string{"syntheyes"}},
	}
}

func mailer(addr string, log logrus.FieldLogger) *Mailer {
	cfg := &config.Config{SMTPAddr: addr, SMTPFrom: "tracks@example.test", AdminEmail: "admin@example.test, ops@example.test"}
	m := New(cfg, log)
	m.Timeout = 5 * time.Second
	return m
}

func TestFailureMailCarriesTheUpload(t *testing.T) {
	addr, messages := smtptest.Start(t)
	// Every byte value, and lines that SMTP must dot-stuff.
	upload := []byte(".\r\n..leading dots\n.\n")
	for i := 0; i < 256; i++ {
		upload = append(upload, byte(i))
	}
	job := testJob(t, upload)
	if err := mailer(addr, nil).JobFailed(context.Background(), job, "The file is not a Nuke script.\n.\nsecond line"); err != nil {
		t.Fatal(err)
	}
	raw := smtptest.WaitMessages(t, messages, 1, 10*time.Second)
	msg, err := smtptest.Parse(raw[0])
	if err != nil {
		t.Fatal(err)
	}
	if msg.From != "tracks@example.test" || strings.Join(msg.To, " ") != "admin@example.test ops@example.test" {
		t.Errorf("envelope from %q to %v", msg.From, msg.To)
	}
	if msg.Subject != "Conversion failed: shot é 12.nk" {
		t.Errorf("subject %q", msg.Subject)
	}
	for _, want := range []string{job.ID, "The file is not a Nuke script.\r\n.\r\nsecond line", `"importer": "nuke"`, `"x_shift": "4"`, `"width": 1920`} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, msg.Text)
		}
	}
	if len(msg.Attachments) != 1 {
		t.Fatalf("%d attachments, want 1", len(msg.Attachments))
	}
	a := msg.Attachments[0]
	if a.Name != job.FileName || !bytes.Equal(a.Data, upload) {
		t.Errorf("attachment %q (%d bytes), want %q with the upload's %d bytes", a.Name, len(a.Data), job.FileName, len(upload))
	}
}

func TestSuccessMailHasNoAttachment(t *testing.T) {
	addr, messages := smtptest.Start(t)
	job := testJob(t, []byte("data"))
	r := &jobs.Result{Importer: "NukeScript", Width: 1920, Height: 1080, Trackers: 2, Keyframes: 20, FirstFrame: 1, LastFrame: 10,
		Files: []string{"shot_syntheyes.txt"}}
	if err := mailer(addr, nil).JobDone(context.Background(), job, r); err != nil {
		t.Fatal(err)
	}
	msg, err := smtptest.Parse(smtptest.WaitMessages(t, messages, 1, 10*time.Second)[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 0 || !strings.HasPrefix(msg.Subject, "Conversion done") {
		t.Errorf("subject %q, %d attachments", msg.Subject, len(msg.Attachments))
	}
	for _, want := range []string{"Trackers:  2", "Frames:    2 to 11 (counting from 1)", "shot_syntheyes.txt", "NukeScript"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, msg.Text)
		}
	}
}

func TestMissingUploadStillMails(t *testing.T) {
	addr, messages := smtptest.Start(t)
	job := testJob(t, nil)
	job.Upload = filepath.Join(t.TempDir(), "gone")
	if err := mailer(addr, nil).JobFailed(context.Background(), job, "boom"); err != nil {
		t.Fatal(err)
	}
	msg, err := smtptest.Parse(smtptest.WaitMessages(t, messages, 1, 10*time.Second)[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 0 || !strings.Contains(msg.Text, "could not be attached") {
		t.Errorf("mail without its upload: %d attachments, body:\n%s", len(msg.Attachments), msg.Text)
	}
}

func TestWithoutSMTPTheMailIsLogged(t *testing.T) {
	log, hook := logtest.NewNullLogger()
	job := testJob(t, []byte("abc"))
	if err := mailer("", log).JobFailed(context.Background(), job, "boom"); err != nil {
		t.Fatal(err)
	}
	e := hook.LastEntry()
	if e == nil {
		t.Fatal("nothing logged")
	}
	if e.Data["job"] != job.ID || e.Data["attachment"] != job.FileName || !strings.Contains(e.Data["body"].(string), "boom") {
		t.Errorf("logged %v %v", e.Message, e.Data)
	}
}

func TestSMTPDownFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	log, _ := logtest.NewNullLogger()
	start := time.Now()
	if err := mailer(addr, log).JobFailed(context.Background(), testJob(t, nil), "x"); err == nil {
		t.Error("sending to a closed port succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
