package fastcgi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/fcgi"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// client speaks FastCGI to a server as lighttpd does.
type client struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func serve(t *testing.T, h http.Handler, stdlib bool) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if stdlib {
		go fcgi.Serve(l, h)
	} else {
		go Serve(l, h)
	}
	return sock
}

func dial(t *testing.T, sock string) *client {
	t.Helper()
	nc, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	return &client{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (c *client) send(typ byte, id uint16, content []byte) {
	c.t.Helper()
	if _, err := c.nc.Write(appendRecords(nil, typ, id, content)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) begin(id uint16, keep bool) {
	flags := byte(0)
	if keep {
		flags = flagKeepConn
	}
	c.send(typeBeginRequest, id, []byte{0, roleResponder, flags, 0, 0, 0, 0, 0})
}

func encodePairs(params map[string]string) []byte {
	var b []byte
	size := func(n int) {
		if n < 128 {
			b = append(b, byte(n))
			return
		}
		b = binary.BigEndian.AppendUint32(b, uint32(n)|1<<31)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		size(len(k))
		size(len(params[k]))
		b = append(b, k...)
		b = append(b, params[k]...)
	}
	return b
}

func cgiParams(method, uri string, body int, extra ...string) map[string]string {
	m := map[string]string{
		"REQUEST_METHOD": method, "REQUEST_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
		"SCRIPT_NAME": "", "HTTP_HOST": "example.test", "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "5555",
		"SERVER_NAME": "example.test", "SERVER_PORT": "80", "CONTENT_LENGTH": fmt.Sprint(body),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// request sends a whole request: params in two records (a pair split
// between them), then the body in records of at most chunk bytes.
func (c *client) request(id uint16, keep bool, params map[string]string, body []byte, chunk int) {
	c.begin(id, keep)
	p := encodePairs(params)
	c.send(typeParams, id, p[:len(p)/2])
	c.send(typeParams, id, p[len(p)/2:])
	c.send(typeParams, id, nil)
	for len(body) > 0 {
		n := min(chunk, len(body))
		c.send(typeStdin, id, body[:n])
		body = body[n:]
	}
	c.send(typeStdin, id, nil)
}

type answer struct {
	stdout, stderr []byte
	ended          bool
	status         byte
}

// read reads records until the request ends (or the connection does).
func (c *client) read(id uint16) answer {
	c.t.Helper()
	var a answer
	for {
		var h [headerLen]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return a
		}
		n, pad := int(binary.BigEndian.Uint16(h[4:])), int(h[6])
		content := make([]byte, n+pad)
		if _, err := io.ReadFull(c.br, content); err != nil {
			c.t.Fatalf("record cut short: %v", err)
		}
		content = content[:n]
		if got := binary.BigEndian.Uint16(h[2:]); got != id {
			c.t.Fatalf("record of request %d, want %d", got, id)
		}
		switch h[1] {
		case typeStdout:
			a.stdout = append(a.stdout, content...)
		case typeStderr:
			a.stderr = append(a.stderr, content...)
		case typeEndRequest:
			a.ended, a.status = true, content[4]
			return a
		default:
			c.t.Fatalf("record of type %d", h[1])
		}
	}
}

// closed tells whether the server closed the connection.
func (c *client) closed() bool {
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := c.br.ReadByte()
	return errors.Is(err, io.EOF)
}

var dateLine = regexp.MustCompile(`(?m)^Date: .*\r\n`)

// handlers answer in the ways the site does.
var handlers = map[string]http.HandlerFunc{
	"json": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(`{"state":"done"}` + "\n"))
	},
	"sniffed": func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<!doctype html><p>hello")
	},
	"nothing": func(w http.ResponseWriter, r *http.Request) {},
	"404": func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such page", http.StatusNotFound)
	},
	"304": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"x"`)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotModified)
	},
	"big": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for i := range 5000 {
			fmt.Fprintf(w, "line %d of a long answer that spans several records\n", i)
		}
	},
	"echo": func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		sum := sha256.Sum256(b)
		fmt.Fprintf(w, "%s %s %s %d %s %v", r.Method, r.URL.Path, r.URL.RawQuery, len(b), hex.EncodeToString(sum[:]), err)
	},
	"serveContent": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader("the form"))
	},
}

// TestAnswersAsNetHTTPFCGI: every handler answers byte for byte what
// net/http/fcgi answers (but the date).
func TestAnswersAsNetHTTPFCGI(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 30000)
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			var got [2]answer
			for i, stdlib := range []bool{false, true} {
				c := dial(t, serve(t, h, stdlib))
				hdr := []string{}
				if name == "serveContent" {
					hdr = []string{"HTTP_IF_NONE_MATCH", `"v1"`}
				}
				// lighttpd sends the body while it reads the answer.
				go c.request(1, false, cgiParams("POST", "/x/"+name+"?a=1", len(body), hdr...), body, 65535)
				got[i] = c.read(1)
				if !got[i].ended || got[i].status != statusRequestComplete {
					t.Fatalf("stdlib %v: no end of request: %+v", stdlib, got[i])
				}
				if !c.closed() {
					t.Errorf("stdlib %v: the connection stayed open without keep-conn", stdlib)
				}
			}
			mine, theirs := dateLine.ReplaceAll(got[0].stdout, nil), dateLine.ReplaceAll(got[1].stdout, nil)
			if !bytes.Equal(mine, theirs) {
				t.Errorf("answer\n%.600q\nnet/http/fcgi's\n%.600q", mine, theirs)
			}
			if !dateLine.Match(got[0].stdout) {
				t.Error("no Date header")
			}
		})
	}
}

// TestBodiesStreamBothWays: a body of many records reaches the handler
// whole, in small and in full records.
func TestBodiesStreamBothWays(t *testing.T) {
	sock := serve(t, handlers["echo"], false)
	body := bytes.Repeat([]byte("abcdefgh"), 200000) // 1.6 MB
	sum := sha256.Sum256(body)
	for _, chunk := range []int{1000, 65535} {
		c := dial(t, sock)
		c.request(7, false, cgiParams("PUT", "/up", len(body)), body, chunk)
		a := c.read(7)
		want := fmt.Sprintf("PUT /up  %d %s <nil>", len(body), hex.EncodeToString(sum[:]))
		if !bytes.HasSuffix(a.stdout, []byte(want)) {
			t.Errorf("chunks of %d: %q, want ...%q", chunk, a.stdout, want)
		}
	}
}

// TestKeepConnAndMultiplexing: requests one after the other on a kept
// connection, and two at once on one connection, each get their answer.
func TestKeepConnAndMultiplexing(t *testing.T) {
	c := dial(t, serve(t, handlers["echo"], false))
	for i := range 3 {
		c.request(1, true, cgiParams("GET", fmt.Sprintf("/n%d", i), 0), nil, 0)
		if a := c.read(1); !bytes.Contains(a.stdout, []byte(fmt.Sprintf("GET /n%d ", i))) {
			t.Fatalf("request %d on a kept connection: %q", i, a.stdout)
		}
	}
	c.begin(2, true)
	c.begin(3, true)
	c.send(typeParams, 3, encodePairs(cgiParams("GET", "/three", 0)))
	c.send(typeParams, 2, encodePairs(cgiParams("GET", "/two", 0)))
	c.send(typeParams, 3, nil)
	c.send(typeParams, 2, nil)
	c.send(typeStdin, 3, nil)
	c.send(typeStdin, 2, nil)
	got := map[uint16]string{}
	for !strings.HasSuffix(got[2], "<end>") || !strings.HasSuffix(got[3], "<end>") {
		var h [headerLen]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			t.Fatal(err)
		}
		content := make([]byte, int(binary.BigEndian.Uint16(h[4:]))+int(h[6]))
		io.ReadFull(c.br, content)
		id := binary.BigEndian.Uint16(h[2:])
		if h[1] == typeEndRequest {
			got[id] += "<end>"
		} else {
			got[id] += string(content)
		}
	}
	if !strings.Contains(got[2], "GET /two ") || !strings.Contains(got[3], "GET /three ") ||
		!strings.HasSuffix(got[2], "<end>") || !strings.HasSuffix(got[3], "<end>") {
		t.Errorf("multiplexed answers: %v", got)
	}
}

// TestAbortEndsTheRequestsContext: the handler of an aborted request
// with a body sees its context end, and the request ends.
func TestAbortEndsTheRequestsContext(t *testing.T) {
	cause := make(chan error, 1)
	c := dial(t, serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadFull(r.Body, make([]byte, 26)) // what came of the body
		<-r.Context().Done()
		cause <- context.Cause(r.Context())
	}), false))
	c.begin(4, false)
	c.send(typeParams, 4, encodePairs(cgiParams("POST", "/wait", 100)))
	c.send(typeParams, 4, nil)
	c.send(typeStdin, 4, []byte("the first part of the body"))
	c.send(typeAbortRequest, 4, nil)
	select {
	case err := <-cause:
		if !errors.Is(err, ErrRequestAborted) {
			t.Errorf("cause %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the handler's context did not end")
	}
	if a := c.read(4); !a.ended {
		t.Error("no end of the aborted request")
	}
}

// TestOtherRecords: an unknown role, a values query and an unknown
// record type get the answers of the specification.
func TestOtherRecords(t *testing.T) {
	c := dial(t, serve(t, handlers["json"], false))
	c.send(typeBeginRequest, 9, []byte{0, 3, flagKeepConn, 0, 0, 0, 0, 0}) // the filter role
	if a := c.read(9); !a.ended || a.status != statusUnknownRole {
		t.Errorf("filter role: %+v", a)
	}
	c.send(typeGetValues, 0, encodePairs(map[string]string{"FCGI_MPXS_CONNS": ""}))
	c.send(42, 0, nil)
	for _, want := range []byte{typeGetValuesResult, typeUnknownType} {
		var h [headerLen]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			t.Fatal(err)
		}
		io.ReadFull(c.br, make([]byte, int(binary.BigEndian.Uint16(h[4:]))+int(h[6])))
		if h[1] != want {
			t.Errorf("record type %d, want %d", h[1], want)
		}
	}
}

// TestAbortHandlerPanicDropsTheConnection: http.ErrAbortHandler ends the
// connection without an answer, and the server lives on.
func TestAbortHandlerPanicDropsTheConnection(t *testing.T) {
	sock := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			w.Write([]byte("half"))
			panic(http.ErrAbortHandler)
		}
		w.Write([]byte("fine"))
	}), false)
	c := dial(t, sock)
	c.request(1, true, cgiParams("GET", "/abort", 0), nil, 0)
	if a := c.read(1); a.ended {
		t.Errorf("an aborted handler's request ended normally: %+v", a)
	}
	c = dial(t, sock)
	c.request(1, false, cgiParams("GET", "/", 0), nil, 0)
	if a := c.read(1); !a.ended || !bytes.HasSuffix(a.stdout, []byte("fine")) {
		t.Errorf("after the abort: %+v", a)
	}
}

// BenchmarkSmallAnswer: one connection per request, as lighttpd makes.
func BenchmarkSmallAnswer(b *testing.B) {
	for _, impl := range []string{"fastcgi", "net/http/fcgi"} {
		b.Run(strings.ReplaceAll(impl, "/", "_"), func(b *testing.B) {
			sock := filepath.Join(b.TempDir(), "s")
			l, err := net.Listen("unix", sock)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			if impl == "fastcgi" {
				go Serve(l, handlers["json"])
			} else {
				go fcgi.Serve(l, handlers["json"])
			}
			req := appendRecords(nil, typeBeginRequest, 1, []byte{0, roleResponder, 0, 0, 0, 0, 0, 0})
			req = appendRecords(req, typeParams, 1, encodePairs(cgiParams("GET", "/jobs/x/status", 0)))
			req = appendRecords(req, typeParams, 1, nil)
			req = appendRecords(req, typeStdin, 1, nil)
			b.ReportAllocs()
			for b.Loop() {
				nc, err := net.Dial("unix", sock)
				if err != nil {
					b.Fatal(err)
				}
				nc.Write(req)
				io.Copy(io.Discard, nc)
				nc.Close()
			}
		})
	}
}
