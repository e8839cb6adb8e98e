// Package notify mails the admin about finished jobs: every failure with
// the uploaded file attached, the error and the job's options; every
// success without an attachment. Without SMTP settings the mail is logged
// instead of sent.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"tracksgo/internal/config"
	"tracksgo/internal/jobs"
)

// Mailer sends the admin mails.
type Mailer struct {
	Addr string   // SMTP server host:port; "" = log the mails instead
	From string   // envelope and header sender
	To   []string // recipients
	// MaxAttachment is the largest upload attached; a larger one is
	// named in the mail but not attached.
	MaxAttachment int64
	// Timeout bounds one whole SMTP conversation.
	Timeout time.Duration
	Log     logrus.FieldLogger
}

// New makes the mailer the configuration asks for.
func New(cfg *config.Config, log logrus.FieldLogger) *Mailer {
	var to []string
	for _, a := range strings.Split(cfg.AdminEmail, ",") {
		if a = strings.TrimSpace(a); a != "" {
			to = append(to, a)
		}
	}
	return &Mailer{
		Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, To: to,
		MaxAttachment: 25 << 20, Timeout: 30 * time.Second, Log: log,
	}
}

// JobFailed mails the admin that job failed with message, attaching the
// upload (job.Upload, named job.FileName).
func (m *Mailer) JobFailed(ctx context.Context, job *jobs.Job, message string) error {
	var body strings.Builder
	fmt.Fprintf(&body, "The conversion of %q failed.\n\nError shown to the user:\n  %s\n\n", job.FileName, message)
	m.describe(&body, job)
	att := &attachment{name: job.FileName}
	switch fi, err := os.Stat(job.Upload); {
	case err != nil:
		fmt.Fprintf(&body, "\nThe upload could not be attached: %v\n", err)
		att = nil
	case fi.Size() > m.MaxAttachment:
		fmt.Fprintf(&body, "\nThe upload (%d bytes) is too large to attach; it is at %s\n", fi.Size(), job.Upload)
		att = nil
	default:
		data, err := os.ReadFile(job.Upload)
		if err != nil {
			fmt.Fprintf(&body, "\nThe upload could not be attached: %v\n", err)
			att = nil
		} else {
			att.data = data
		}
	}
	if att != nil && att.name == "" {
		att.name = filepath.Base(job.Upload)
	}
	return m.send(ctx, job, "Conversion failed: "+job.FileName, body.String(), att)
}

// JobDone mails the admin that job converted, with its result.
func (m *Mailer) JobDone(ctx context.Context, job *jobs.Job, r *jobs.Result) error {
	var body strings.Builder
	fmt.Fprintf(&body, "The conversion of %q succeeded.\n\n", job.FileName)
	if r != nil {
		// What the outputs hold, after the tools; frames as the job page
		// shows them.
		fmt.Fprintf(&body, "Format:    %s (%dx%d)\nTrackers:  %d\nKeyframes: %d\nFrames:    %d to %d (counting from 1)\nFiles:     %s\n\n",
			r.Importer, r.Width, r.Height, r.Trackers, r.Keyframes, r.FirstFrame+1, r.LastFrame+1, strings.Join(r.Files, ", "))
	}
	m.describe(&body, job)
	return m.send(ctx, job, "Conversion done: "+job.FileName, body.String(), nil)
}

func (m *Mailer) describe(w io.Writer, job *jobs.Job) {
	opts, _ := json.MarshalIndent(job.Options, "  ", "  ")
	fmt.Fprintf(w, "Job:      %s\nFile:     %s\nAttempts: %d\nCreated:  %s\nOptions:\n  %s\n",
		job.ID, job.FileName, job.Attempts, job.Created.UTC().Format(time.RFC3339), opts)
}

type attachment struct {
	name string
	data []byte
}

func (m *Mailer) send(ctx context.Context, job *jobs.Job, subject, body string, att *attachment) error {
	log := m.Log
	if log == nil {
		log = logrus.StandardLogger()
	}
	log = log.WithField("job", job.ID)
	if m.Addr == "" {
		f := logrus.Fields{"to": strings.Join(m.To, ", "), "subject": subject, "body": body}
		if att != nil {
			f["attachment"], f["attachment_bytes"] = att.name, len(att.data)
		}
		log.WithFields(f).Info("admin mail not sent (no SMTP_ADDR); logged instead")
		return nil
	}
	msg, err := m.compose(subject, body, att)
	if err != nil {
		return fmt.Errorf("mail for job %s: %w", job.ID, err)
	}
	if err := m.deliver(ctx, msg); err != nil {
		log.WithError(err).WithField("subject", subject).Error("admin mail not sent")
		return fmt.Errorf("mail for job %s via %s: %w", job.ID, m.Addr, err)
	}
	log.WithField("subject", subject).Info("admin mail sent")
	return nil
}

func boundary() string {
	var b [12]byte
	rand.Read(b[:])
	return "tracks-" + hex.EncodeToString(b[:])
}

// compose builds the message: text/plain alone, or multipart/mixed with
// the text and the base64 attachment.
func (m *Mailer) compose(subject, body string, att *attachment) ([]byte, error) {
	var b bytes.Buffer
	host := "localhost"
	if _, h, ok := strings.Cut(m.From, "@"); ok && h != "" {
		host = h
	}
	var id [12]byte
	rand.Read(id[:])
	fmt.Fprintf(&b, "From: %s\r\n", m.From)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(m.To, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id[:]), host)
	b.WriteString("MIME-Version: 1.0\r\n")
	text := func() error {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		qp := quotedprintable.NewWriter(&b)
		if _, err := io.WriteString(qp, strings.ReplaceAll(body, "\n", "\r\n")); err != nil {
			return err
		}
		if err := qp.Close(); err != nil {
			return err
		}
		b.WriteString("\r\n")
		return nil
	}
	if att == nil {
		if err := text(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	bound := boundary()
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", bound)
	b.WriteString("This is a multipart message in MIME format.\r\n")
	fmt.Fprintf(&b, "--%s\r\n", bound)
	if err := text(); err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "--%s\r\n", bound)
	b.WriteString("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n")
	fmt.Fprintf(&b, "Content-Disposition: %s\r\n\r\n", mime.FormatMediaType("attachment", map[string]string{"filename": att.name}))
	enc := base64.StdEncoding.EncodeToString(att.data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	fmt.Fprintf(&b, "--%s--\r\n", bound)
	return b.Bytes(), nil
}

// deliver speaks SMTP to m.Addr within m.Timeout (and ctx's deadline).
func (m *Mailer) deliver(ctx context.Context, msg []byte) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	if err := c.Mail(m.From); err != nil {
		return fmt.Errorf("MAIL FROM %s: %w", m.From, err)
	}
	for _, to := range m.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("RCPT TO %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return c.Quit()
}
