// Package fastcgi serves HTTP handlers to a web server over FastCGI (the
// responder role), as net/http/fcgi does, at a fraction of its cost per
// request: lighttpd opens a connection per request, and net/http/fcgi
// allocates two 64 KiB buffers for each (a record and a writer), which
// made the garbage collector the largest cost of a small answer. Here a
// connection reads through a small pooled buffer, and an answer is
// gathered in a pooled buffer and sent, with its end records, in as few
// writes as its size allows (one for a small answer).
//
// Differences from net/http/fcgi that a handler can see: the context of
// a request with a body ends when the web server aborts the request
// (ABORT_REQUEST) or the connection breaks before the body arrived, and
// a handler's http.ErrAbortHandler panic closes the connection instead
// of ending the process. A request without a body is served on its
// connection's goroutine, as net/http serves a connection's requests in
// turn.
package fastcgi

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Record types and values of the FastCGI 1.0 specification.
const (
	typeBeginRequest    = 1
	typeAbortRequest    = 2
	typeEndRequest      = 3
	typeParams          = 4
	typeStdin           = 5
	typeStdout          = 6
	typeStderr          = 7
	typeData            = 8
	typeGetValues       = 9
	typeGetValuesResult = 10
	typeUnknownType     = 11

	roleResponder = 1
	flagKeepConn  = 1

	statusRequestComplete = 0
	statusUnknownRole     = 3

	headerLen  = 8
	maxContent = 65535
)

// ErrRequestAborted is what a handler reads from the body of a request
// that the web server aborted; ErrConnClosed, once the connection broke.
var (
	ErrRequestAborted = errors.New("fastcgi: request aborted by the web server")
	ErrConnClosed     = errors.New("fastcgi: connection to the web server closed")
)

// Serve accepts FastCGI connections on l and serves each request with
// handler, until l fails (it returns that error; net.ErrClosed after
// l.Close).
func Serve(l net.Listener, handler http.Handler) error {
	idle := make(chan *conn)
	done := make(chan struct{})
	defer close(done)
	for {
		nc, err := l.Accept()
		if err != nil {
			return err
		}
		c := &conn{nc: nc, handler: handler, reqs: map[uint16]*request{}}
		select {
		case idle <- c: // a goroutine that served one before takes it
		default:
			go serveConns(c, idle, done)
		}
	}
}

// idleWait is how long a goroutine that served a connection waits for
// the next one before it ends.
const idleWait = 10 * time.Second

// serveConns serves c, then the connections handed to it while it waits
// for them. A goroutine's stack grows as a request runs through the
// handlers; a new goroutine per connection (lighttpd makes one per
// request) would grow and copy its stack every time.
func serveConns(c *conn, idle <-chan *conn, done <-chan struct{}) {
	t := time.NewTimer(idleWait)
	defer t.Stop()
	for {
		c.serve()
		t.Reset(idleWait)
		select {
		case c = <-idle:
		case <-t.C:
			return
		case <-done:
			return
		}
	}
}

// conn is one connection from the web server.
type conn struct {
	nc      net.Conn
	handler http.Handler
	wmu     sync.Mutex // one record stream at a time

	mu   sync.Mutex
	reqs map[uint16]*request // in flight: from BEGIN_REQUEST to the handler's end
}

func (c *conn) req(id uint16) *request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reqs[id]
}

func (c *conn) setReq(id uint16, r *request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r == nil {
		delete(c.reqs, id)
	} else {
		c.reqs[id] = r
	}
}

// request is one request in flight on a connection.
type request struct {
	id       uint16
	keepConn bool
	params   []byte
	started  bool
	stdinEnd bool           // the body arrived whole
	body     *io.PipeWriter // nil for an empty body
	cancel   context.CancelCauseFunc
	// stdinDone is closed once the web server sent the whole body (or
	// the connection ended): the connection may close without resetting
	// data still on its way.
	stdinDone chan struct{}
	stdinOnce sync.Once
}

func (r *request) endStdin() { r.stdinOnce.Do(func() { close(r.stdinDone) }) }

var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

func (c *conn) serve() {
	br := readers.Get().(*bufio.Reader)
	br.Reset(c.nc)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
		c.mu.Lock()
		for _, r := range c.reqs {
			if r.cancel != nil && !r.stdinEnd {
				r.cancel(ErrConnClosed)
			}
			if r.body != nil && !r.stdinEnd {
				r.body.CloseWithError(ErrConnClosed)
			}
			r.endStdin()
		}
		c.mu.Unlock()
		c.nc.Close()
	}()
	var hdr [headerLen]byte
	var content []byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return
		}
		typ, id := hdr[1], binary.BigEndian.Uint16(hdr[2:4])
		n, pad := int(binary.BigEndian.Uint16(hdr[4:6])), int(hdr[6])
		if cap(content) < n {
			content = make([]byte, n)
		}
		content = content[:n]
		if _, err := io.ReadFull(br, content); err != nil {
			return
		}
		if _, err := br.Discard(pad); err != nil {
			return
		}
		if hdr[0] != 1 {
			return // not FastCGI 1
		}
		if !c.record(typ, id, content) {
			return
		}
	}
}

// record handles one record; false ends the connection.
func (c *conn) record(typ byte, id uint16, content []byte) bool {
	r := c.req(id)
	switch typ {
	case typeBeginRequest:
		if r != nil || len(content) < 8 {
			return false // the ID is in flight: the web server is confused
		}
		if binary.BigEndian.Uint16(content) != roleResponder {
			c.writeEnd(id, statusUnknownRole)
			return true
		}
		c.setReq(id, &request{id: id, keepConn: content[2]&flagKeepConn != 0, stdinDone: make(chan struct{})})
	case typeParams:
		if r != nil && !r.started {
			r.params = append(r.params, content...) // a pair may straddle records
		}
	case typeStdin:
		if r == nil || r.stdinEnd {
			return true
		}
		if !r.started {
			r.started = true
			var body io.ReadCloser = http.NoBody
			if len(content) > 0 {
				body, r.body = io.Pipe()
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			r.cancel = cancel
			if len(content) == 0 {
				// No body: the request is served on the connection's
				// goroutine, which reads nothing more meanwhile (an
				// abort is seen only after the answer). Most requests
				// are such: the pages, the status action.
				r.stdinEnd = true
				r.endStdin()
				c.serveRequest(ctx, r, body)
				return r.keepConn
			}
			go c.serveRequest(ctx, r, body)
		}
		if len(content) > 0 {
			if r.body != nil {
				// Blocks until the handler reads it (or closed the body).
				r.body.Write(content)
			}
			return true
		}
		r.stdinEnd = true
		if r.body != nil {
			r.body.Close()
		}
		r.endStdin()
	case typeAbortRequest:
		if r == nil {
			return true
		}
		if r.started {
			r.cancel(ErrRequestAborted)
			if r.body != nil {
				r.body.CloseWithError(ErrRequestAborted)
			}
			r.endStdin()
			// The handler's goroutine ends the request.
			return true
		}
		c.setReq(id, nil)
		c.writeEnd(id, statusRequestComplete)
		return r.keepConn
	case typeGetValues:
		c.writeRecords(typeGetValuesResult, 0, pairs("FCGI_MPXS_CONNS", "1"))
	case typeData:
		// Only the filter role has data.
	default:
		c.writeRecords(typeUnknownType, 0, []byte{typ, 0, 0, 0, 0, 0, 0, 0})
	}
	return true
}

// pairs encodes name-value pairs of short names and values.
func pairs(kv ...string) []byte {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		b = append(b, byte(len(kv[i])), byte(len(kv[i+1])))
		b = append(b, kv[i]...)
		b = append(b, kv[i+1]...)
	}
	return b
}

// parseParams decodes the request's name-value pairs.
func parseParams(b []byte) (map[string]string, error) {
	m := make(map[string]string, 32)
	size := func() (int, bool) {
		if len(b) == 0 {
			return 0, false
		}
		if b[0]&0x80 == 0 {
			n := int(b[0])
			b = b[1:]
			return n, true
		}
		if len(b) < 4 {
			return 0, false
		}
		n := int(binary.BigEndian.Uint32(b) & 0x7fffffff)
		b = b[4:]
		return n, true
	}
	for len(b) > 0 {
		kl, ok1 := size()
		vl, ok2 := size()
		if !ok1 || !ok2 || kl+vl > len(b) || kl < 0 || vl < 0 {
			return nil, errors.New("fastcgi: malformed parameters")
		}
		m[string(b[:kl])] = string(b[kl : kl+vl])
		b = b[kl+vl:]
	}
	return m, nil
}

func (c *conn) serveRequest(ctx context.Context, r *request, body io.ReadCloser) {
	w := newResponse(c, r.id)
	defer func() {
		v := recover()
		if v != nil && v != http.ErrAbortHandler {
			panic(v)
		}
		if body, ok := body.(*io.PipeReader); ok {
			// The web server may still be sending the body: it is read
			// and dropped by the connection from now on.
			body.CloseWithError(http.ErrBodyNotAllowed)
		}
		if v != nil {
			// The handler gave up on the answer: no end record, the
			// connection goes (as net/http drops the client's).
			r.cancel(http.ErrAbortHandler)
			w.release()
			c.nc.Close()
			return
		}
		if r.keepConn {
			// The ID is free again once the end record is sent; what is
			// left of the body is dropped as records of no request.
			c.setReq(r.id, nil)
		}
		w.finish()
		r.cancel(nil)
		if !r.keepConn {
			// Closing with unread data on the socket would reset it,
			// and the web server could lose the answer: wait for the
			// end of the body (bounded).
			select {
			case <-r.stdinDone:
			case <-time.After(10 * time.Second):
			}
			c.nc.Close()
		}
	}()
	params, err := parseParams(r.params)
	r.params = nil
	var req *http.Request
	if err == nil {
		req, err = cgi.RequestFromMap(params)
	}
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		c.writeRecords(typeStderr, r.id, []byte(err.Error()))
		return
	}
	req.Body = body
	c.handler.ServeHTTP(w, req.WithContext(ctx))
}

// writeEnd sends a request's END_REQUEST record.
func (c *conn) writeEnd(id uint16, status byte) {
	var b [headerLen + 8]byte
	putHeader(b[:], typeEndRequest, id, 8)
	b[headerLen+4] = status
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.nc.Write(b[:])
}

// writeRecords sends content as records of one type (an empty content
// sends one empty record).
func (c *conn) writeRecords(typ byte, id uint16, content []byte) {
	b := appendRecords(nil, typ, id, content)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.nc.Write(b)
}

func putHeader(b []byte, typ byte, id uint16, n int) {
	b[0], b[1] = 1, typ
	binary.BigEndian.PutUint16(b[2:], id)
	binary.BigEndian.PutUint16(b[4:], uint16(n))
	b[6], b[7] = 0, 0 // no padding
}

// appendRecords appends content to b as records of type typ.
func appendRecords(b []byte, typ byte, id uint16, content []byte) []byte {
	for {
		n := min(len(content), maxContent)
		var h [headerLen]byte
		putHeader(h[:], typ, id, n)
		b = append(b, h[:]...)
		b = append(b, content[:n]...)
		content = content[n:]
		if len(content) == 0 {
			return b
		}
	}
}

// flushAt is how much of an answer is gathered before it is sent: a
// whole record, so that a page (the form is 31 KB) goes out in one write
// with its end records.
const flushAt = maxContent

// buffers gathers answers: a record header's room, then the answer.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// response is the http.ResponseWriter of one request: the CGI header
// block and the body, sent as STDOUT records.
type response struct {
	c           *conn
	id          uint16
	header      http.Header
	code        int
	wroteHeader bool
	sentHeader  bool
	buf         *[]byte // a record header's room, then what is not sent yet
}

func newResponse(c *conn, id uint16) *response {
	w := &response{c: c, id: id, header: http.Header{}, buf: buffers.Get().(*[]byte)}
	*w.buf = append((*w.buf)[:0], make([]byte, headerLen)...)
	return w
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	w.wroteHeader, w.code = true, code
	if code == http.StatusNotModified {
		w.header.Del("Content-Type")
		w.header.Del("Content-Length")
		w.header.Del("Transfer-Encoding")
	}
	if w.header.Get("Date") == "" {
		w.header.Set("Date", httpDate())
	}
}

// cgiHeader appends the header block; p is the start of the body, sniffed
// for a type when the handler set none.
func (w *response) cgiHeader(p []byte) {
	w.sentHeader = true
	b := append(*w.buf, "Status: "...)
	b = strconv.AppendInt(b, int64(w.code), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(w.code)...)
	b = append(b, "\r\n"...)
	if _, ok := w.header["Content-Type"]; !ok && w.code != http.StatusNotModified {
		w.header.Set("Content-Type", http.DetectContentType(p))
	}
	*w.buf = b
	w.header.Write(headerBlock{w})
	*w.buf = append(*w.buf, "\r\n"...)
}

// headerBlock appends the header lines to the answer's buffer.
type headerBlock struct{ w *response }

func (h headerBlock) Write(p []byte) (int, error) {
	*h.w.buf = append(*h.w.buf, p...)
	return len(p), nil
}

func (h headerBlock) WriteString(s string) (int, error) {
	*h.w.buf = append(*h.w.buf, s...)
	return len(s), nil
}

// Write gathers p; the STDOUT records go out once flushAt is passed.
func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sentHeader {
		w.cgiHeader(p)
	}
	n := len(p)
	for len(p) > 0 {
		k := min(max(headerLen+maxContent-len(*w.buf), 0), len(p))
		*w.buf = append(*w.buf, p[:k]...)
		p = p[k:]
		if len(*w.buf)-headerLen >= flushAt {
			if err := w.send(nil); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// send sends what is gathered as STDOUT, followed by tail.
func (w *response) send(tail []byte) error {
	b := *w.buf
	switch n := len(b) - headerLen; {
	case n == 0:
		b = b[headerLen:]
	case n <= maxContent:
		putHeader(b, typeStdout, w.id, n)
	default: // a header block past a record's size
		b = appendRecords(nil, typeStdout, w.id, b[headerLen:])
	}
	b = append(b, tail...)
	w.c.wmu.Lock()
	_, err := w.c.nc.Write(b)
	w.c.wmu.Unlock()
	if cap(b) >= cap(*w.buf) {
		*w.buf = b[:headerLen]
	} else {
		*w.buf = (*w.buf)[:headerLen]
	}
	return err
}

// Flush sends what is gathered (http.Flusher).
func (w *response) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sentHeader {
		w.cgiHeader(nil)
	}
	w.send(nil)
}

// finish sends the rest of the answer, the end of STDOUT and the end of
// the request, together.
func (w *response) finish() {
	w.Write(nil) // an answer of nothing still has its header
	var tail [2*headerLen + 8]byte
	putHeader(tail[:], typeStdout, w.id, 0)
	putHeader(tail[headerLen:], typeEndRequest, w.id, 8)
	tail[2*headerLen+4] = statusRequestComplete
	w.send(tail[:])
	w.release()
}

func (w *response) release() {
	if b := w.buf; b != nil && cap(*b) <= 2*(headerLen+maxContent) {
		w.buf = nil
		buffers.Put(b)
	}
}

// httpDate is the Date header, formatted once a second.
func httpDate() string {
	now := time.Now().Unix()
	if d := lastDate.Load(); d != nil && d.unix == now {
		return d.text
	}
	d := &date{now, time.Unix(now, 0).UTC().Format(http.TimeFormat)}
	lastDate.Store(d)
	return d.text
}

type date struct {
	unix int64
	text string
}

var lastDate atomic.Pointer[date]
