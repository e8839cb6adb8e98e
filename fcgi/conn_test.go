package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/fcgi"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingListener counts the writes made to the connections it accepts.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// fcgiRecord appends one FastCGI record to b, as a web server writes it.
func fcgiRecord(b *bytes.Buffer, typ byte, content []byte) {
	for first := true; first || len(content) > 0; first = false {
		n := min(len(content), 65535)
		b.Write([]byte{1, typ, 0, 1, byte(n >> 8), byte(n), 0, 0})
		b.Write(content[:n])
		content = content[n:]
	}
}

func fcgiPair(b *bytes.Buffer, k, v string) {
	for _, s := range []string{k, v} {
		if len(s) > 127 {
			binary.Write(b, binary.BigEndian, uint32(len(s))|1<<31)
		} else {
			b.WriteByte(byte(len(s)))
		}
	}
	b.WriteString(k)
	b.WriteString(v)
}

// flagKeepConn is FCGI_BEGIN_REQUEST's flag that keeps the connection.
const flagKeepConn = 1

// fcgiRequest is one request as a web server sends it; keepConn sets
// FCGI_KEEP_CONN (lighttpd never does).
func fcgiRequest(method, uri string, body []byte, keepConn bool) []byte {
	var req, params bytes.Buffer
	flags := byte(0)
	if keepConn {
		flags = flagKeepConn
	}
	fcgiRecord(&req, 1, []byte{0, 1, flags, 0, 0, 0, 0, 0}) // BEGIN_REQUEST, responder
	for k, v := range map[string]string{
		"REQUEST_METHOD": method, "REQUEST_URI": uri, "SCRIPT_NAME": "", "SERVER_PROTOCOL": "HTTP/1.1",
		"HTTP_HOST": "example.test", "CONTENT_LENGTH": strconv.Itoa(len(body)), "SERVER_NAME": "example.test",
		"SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1", "HTTP_X_LONG": strings.Repeat("x", 300),
	} {
		fcgiPair(&params, k, v)
	}
	fcgiRecord(&req, 4, params.Bytes())
	fcgiRecord(&req, 4, nil)
	if len(body) > 0 {
		fcgiRecord(&req, 5, body)
	}
	fcgiRecord(&req, 5, nil)
	return req.Bytes()
}

// fcgiResponse reads records up to FCGI_END_REQUEST and returns the
// output stream and the types of the records read.
func fcgiResponse(t *testing.T, r io.Reader) (stdout string, records []byte) {
	t.Helper()
	var out strings.Builder
	for {
		var h [8]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			t.Fatalf("after records %v: %v", records, err)
		}
		n, pad := int(binary.BigEndian.Uint16(h[4:])), int(h[6])
		body := make([]byte, n+pad)
		if _, err := io.ReadFull(r, body); err != nil {
			t.Fatalf("a record cut short: %v", err)
		}
		records = append(records, h[1])
		if h[1] == recStdout {
			out.Write(body[:n])
		}
		if h[1] == 3 {
			return out.String(), records
		}
	}
}

// fcgiDo sends one request over a new connection, as lighttpd does (no
// FCGI_KEEP_CONN), in pieces of split bytes (all at once if 0), and
// checks that the server then closes the connection.
func fcgiDo(t *testing.T, addr, method, uri string, body []byte, split int) (stdout string, records []byte) {
	t.Helper()
	c, err := net.Dial("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := fcgiRequest(method, uri, body, false)
	for len(req) > 0 {
		n := len(req)
		if split > 0 {
			n = min(n, split)
		}
		if _, err := c.Write(req[:n]); err != nil {
			t.Fatal(err)
		}
		req = req[n:]
	}
	stdout, records = fcgiResponse(t, c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if rest, err := io.ReadAll(c); err != nil || len(rest) > 0 {
		t.Fatalf("after the end of the request: %d bytes, %v; want the connection closed", len(rest), err)
	}
	return stdout, records
}

// net/http/fcgi behind bufferedListener answers as it does alone, and a
// small answer leaves in one write.
func TestBufferedConnections(t *testing.T) {
	var writes atomic.Int64
	addr := serveFCGI(t, func(l net.Listener) net.Listener { return countingListener{l, &writes} }, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		fmt.Fprintf(w, "%s %s read %d bytes, long header %d\n", r.Method, r.URL.Path, len(body), len(r.Header.Get("X-Long")))
		w.Write(bytes.Repeat([]byte("y"), n))
	})

	for _, c := range []struct {
		name   string
		method string
		n      int // bytes the answer repeats
		body   int // bytes of the request's body
		split  int // the request sent in pieces of this many bytes
		writes int64
	}{
		{"small answer", "GET", 10, 0, 0, 1},
		{"answer just under the buffer", "GET", connBuffer - 200, 0, 0, 1},
		{"answer over the buffer", "GET", 3 * connBuffer, 0, 0, 5},
		{"upload of several records", "POST", 10, 200_000, 0, 1},
		{"request a byte at a time", "GET", 10, 0, 1, 1},
		{"upload in odd pieces", "POST", 10, 70_000, 4093, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := writes.Load()
			body := bytes.Repeat([]byte("b"), c.body)
			got, records := fcgiDo(t, addr, c.method, "/x?n="+strconv.Itoa(c.n), body, c.split)
			head, payload, ok := strings.Cut(got, "\r\n\r\n")
			if !ok || !strings.HasPrefix(head, "Status: 200") {
				t.Fatalf("answer %q…", got[:min(len(got), 200)])
			}
			want := fmt.Sprintf("%s /x read %d bytes, long header 300\n", c.method, c.body) + strings.Repeat("y", c.n)
			if payload != want {
				t.Errorf("payload of %d bytes, want %d", len(payload), len(want))
			}
			if last := records[len(records)-1]; last != 3 {
				t.Errorf("last record of type %d, want FCGI_END_REQUEST", last)
			}
			if n := writes.Load() - before; n > c.writes {
				t.Errorf("%d writes, want at most %d", n, c.writes)
			}
		})
	}
}

// A web server that keeps the connection (FCGI_KEEP_CONN) sends the next
// request on it: both are answered.
func TestBufferedConnectionKeptForAnotherRequest(t *testing.T) {
	addr := serveFCGI(t, nil, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "answer to %s", r.URL.Path)
	})
	c, err := net.Dial("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for _, path := range []string{"/one", "/two"} {
		if _, err := c.Write(fcgiRequest("GET", path, nil, true)); err != nil {
			t.Fatal(err)
		}
		got, _ := fcgiResponse(t, c)
		if !strings.HasSuffix(got, "answer to "+path) {
			t.Errorf("%s: %q", path, got)
		}
	}
}

// serveFCGI serves h with net/http/fcgi on a unix socket of the test,
// through bufferedListener over wrap(listener) (wrap may be nil), and
// returns the socket's path.
func serveFCGI(t *testing.T, wrap func(net.Listener) net.Listener, h http.HandlerFunc) string {
	t.Helper()
	addr := filepath.Join(t.TempDir(), "fcgi.sock")
	l, err := net.Listen("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	inner := net.Listener(l)
	if wrap != nil {
		inner = wrap(l)
	}
	go fcgi.Serve(bufferedListener{inner}, h)
	return addr
}
