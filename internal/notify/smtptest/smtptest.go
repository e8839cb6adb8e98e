// Package smtptest is a minimal SMTP server for tests: it accepts
// HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP and QUIT and stores every message
// as a file in a directory. Start runs it as a separate process (the smtpd
// command beside this package, built with the go tool) so tests talk to a
// real server over loopback; Serve is the server itself.
package smtptest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Serve accepts SMTP sessions on l until it is closed, writing each
// message to dir as NNNNNN.eml: two envelope headers (X-Smtptest-From,
// X-Smtptest-To) followed by the message as received (dot-unstuffed).
func Serve(l net.Listener, dir string) error {
	var seq atomic.Int64
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go session(c, dir, &seq)
	}
}

func session(c net.Conn, dir string, seq *atomic.Int64) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(s string) bool {
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_, err := io.WriteString(c, s+"\r\n")
		return err == nil
	}
	if !reply("220 smtptest ESMTP ready") {
		return
	}
	var from string
	var to []string
	for {
		c.SetReadDeadline(time.Now().Add(time.Minute))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-smtptest greets " + arg)
			reply("250 8BITMIME")
		case "HELO":
			reply("250 smtptest")
		case "MAIL":
			from, to = address(arg), nil
			reply("250 OK")
		case "RCPT":
			if from == "" {
				reply("503 MAIL first")
				continue
			}
			to = append(to, address(arg))
			reply("250 OK")
		case "DATA":
			if len(to) == 0 {
				reply("503 RCPT first")
				continue
			}
			reply("354 end with <CRLF>.<CRLF>")
			body, err := readData(r)
			if err != nil {
				return
			}
			n := seq.Add(1)
			name, err := store(dir, n, from, to, body)
			if err != nil {
				reply("451 " + err.Error())
				continue
			}
			reply("250 OK stored as " + name)
			from, to = "", nil
		case "RSET":
			from, to = "", nil
			reply("250 OK")
		case "NOOP":
			reply("250 OK")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 command not implemented")
		}
	}
}

// address takes the address out of "FROM:<a@b> SIZE=1".
func address(arg string) string {
	if i := strings.IndexByte(arg, '<'); i >= 0 {
		if j := strings.IndexByte(arg[i:], '>'); j >= 0 {
			return arg[i+1 : i+j]
		}
	}
	_, a, _ := strings.Cut(arg, ":")
	return strings.TrimSpace(a)
}

func readData(r *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" || line == ".\n" {
			return b.Bytes(), nil
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}

func store(dir string, n int64, from string, to []string, body []byte) (string, error) {
	pid := os.Getpid()
	name := fmt.Sprintf("%06d-%d.eml", n, pid)
	var b bytes.Buffer
	fmt.Fprintf(&b, "X-Smtptest-From: %s\r\nX-Smtptest-To: %s\r\n", from, strings.Join(to, ", "))
	b.Write(body)
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return "", err
	}
	return name, os.Rename(tmp, filepath.Join(dir, name))
}

// Messages returns the messages stored in dir, oldest first.
func Messages(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	// go test sets GOROOT for the programs it runs.
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// Start builds and starts the smtpd command as a separate process on a
// free 127.0.0.1 port, stopped when the test ends. It returns the address
// (for SMTP_ADDR) and a function listing the messages received so far.
func Start(t testing.TB) (addr string, messages func() []string) {
	t.Helper()
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "smtpd")
	build := exec.Command(goTool(), "build", "-o", bin, "tracksgo/internal/notify/smtptest/smtpd")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the test SMTP server: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "mail")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-dir", dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the test SMTP server: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		addr, ok := strings.CutPrefix(s, "listening ")
		if !ok {
			t.Fatalf("test SMTP server said %q, want \"listening ADDR\"", s)
		}
		return addr, func() []string { return Messages(dir) }
	case <-time.After(30 * time.Second):
		t.Fatal("test SMTP server did not say where it listens within 30s")
	}
	return "", nil
}

// WaitMessages waits up to timeout until messages() has at least n
// messages and returns them; the test fails if they do not come.
func WaitMessages(t testing.TB, messages func() []string, n int, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m := messages()
		if len(m) >= n {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d mails after %v, want %d", len(m), timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Message is a stored message, parsed.
type Message struct {
	From        string   // envelope sender
	To          []string // envelope recipients
	Header      mail.Header
	Subject     string // decoded
	Text        string // the text/plain body (decoded)
	Attachments []Attachment
}

// Attachment is one attached file, decoded.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Parse parses a stored message: a single text/plain body, or a
// multipart/mixed one with a text part and attachments.
func Parse(raw string) (*Message, error) {
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse mail: %w", err)
	}
	msg := &Message{From: m.Header.Get("X-Smtptest-From"), Header: m.Header}
	for _, a := range strings.Split(m.Header.Get("X-Smtptest-To"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			msg.To = append(msg.To, a)
		}
	}
	msg.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("content type: %w", err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, err := decode(m.Header.Get("Content-Transfer-Encoding"), m.Body)
		msg.Text = string(b)
		return msg, err
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return msg, nil
		}
		if err != nil {
			return nil, fmt.Errorf("part: %w", err)
		}
		b, err := decode(p.Header.Get("Content-Transfer-Encoding"), p)
		if err != nil {
			return nil, err
		}
		ct := p.Header.Get("Content-Type")
		disp, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp == "attachment" {
			msg.Attachments = append(msg.Attachments, Attachment{Name: dparams["filename"], ContentType: ct, Data: b})
		} else if strings.HasPrefix(ct, "text/plain") && msg.Text == "" {
			msg.Text = string(b)
		}
	}
}

func decode(cte string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, r))
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(r))
	default:
		return io.ReadAll(r)
	}
}
