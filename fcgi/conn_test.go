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

// fcgiDo sends one request over a new connection, as lighttpd does (no
// FCGI_KEEP_CONN), and returns the output stream and the end record's
// protocol status.
func fcgiDo(t *testing.T, addr, method, uri string, body []byte) (stdout string, records []byte) {
	t.Helper()
	c, err := net.Dial("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req, params bytes.Buffer
	fcgiRecord(&req, 1, []byte{0, 1, 0, 0, 0, 0, 0, 0}) // BEGIN_REQUEST, responder, no keep-conn
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
	if _, err := c.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for len(all) >= 8 {
		typ, n, pad := all[1], int(binary.BigEndian.Uint16(all[4:])), int(all[6])
		if len(all) < 8+n+pad {
			t.Fatalf("a record cut short: %q", all)
		}
		records = append(records, typ)
		if typ == recStdout {
			out.Write(all[8 : 8+n])
		}
		all = all[8+n+pad:]
	}
	if len(all) > 0 {
		t.Fatalf("%d bytes after the last record", len(all))
	}
	return out.String(), records
}

// net/http/fcgi behind bufferedListener answers as it does alone, and a
// small answer leaves in one write.
func TestBufferedConnections(t *testing.T) {
	addr := filepath.Join(t.TempDir(), "fcgi.sock")
	l, err := net.Listen("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var writes atomic.Int64
	go fcgi.Serve(bufferedListener{countingListener{l, &writes}}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		fmt.Fprintf(w, "%s %s read %d bytes, long header %d\n", r.Method, r.URL.Path, len(body), len(r.Header.Get("X-Long")))
		w.Write(bytes.Repeat([]byte("y"), n))
	}))

	for _, c := range []struct {
		name   string
		method string
		n      int // bytes the answer repeats
		body   int // bytes of the request's body
		writes int64
	}{
		{"small answer", "GET", 10, 0, 1},
		{"answer just under the buffer", "GET", connBuffer - 200, 0, 1},
		{"answer over the buffer", "GET", 3 * connBuffer, 0, 5},
		{"upload of several records", "POST", 10, 200_000, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := writes.Load()
			body := bytes.Repeat([]byte("b"), c.body)
			got, records := fcgiDo(t, addr, c.method, "/x?n="+strconv.Itoa(c.n), body)
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
