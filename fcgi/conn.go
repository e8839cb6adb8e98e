package main

import (
	"bufio"
	"io"
	"net"
	"sync"
)

// FastCGI record types this file looks at (the FastCGI specification, 8),
// and the flag of FCGI_BEGIN_REQUEST that keeps the connection open.
const (
	recBeginRequest = 1
	recStdin        = 5
	recStdout       = 6
	recStderr       = 7

	flagKeepConn = 1
)

// connBuffer is how much of a response a connection holds before it
// writes: the whole answer of a page or a status poll, in one write.
const connBuffer = 64 << 10

// bufferedListener hands net/http/fcgi connections that read and write
// through buffers. net/http/fcgi reads each record with two reads of
// its own (the 8-byte header, then the body) and writes each record at
// once; lighttpd opens a connection per request and sends it in one go,
// so an unbuffered answer took about six reads and three writes where
// one of each does.
type bufferedListener struct{ net.Listener }

func (l bufferedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, 4096), closing: make(chan struct{})}, nil
}

var writeBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, connBuffer)
	return &b
}}

// bufferedConn holds the records of a response's output stream until a
// record of another type comes (the end of the request, or one of the
// protocol's own), or until a buffer's worth is waiting: what the web
// server needs to act on is never held back. net/http/fcgi writes every
// record in one call, so a call's second byte is its record type.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
	inbound

	mu        sync.Mutex
	w         *[]byte // from writeBuffers while something is held
	closed    bool
	closing   chan struct{} // closed by Close
	closeOnce sync.Once
}

// inbound follows the records read, to tell when a request is all in: after
// it net/http/fcgi reads on until the connection closes, and lighttpd,
// which never keeps a connection, sends nothing more. Read then waits for
// the answer's Close rather than ask the socket (a read that finds
// nothing, and a wake-up of the poller at the close).
type inbound struct {
	hdr      [8]byte
	hdrLen   int  // bytes of hdr read
	left     int  // bytes of the current record's body still to come
	typ      byte // of the current record
	pos      int  // bytes of its content read
	keepConn bool // FCGI_BEGIN_REQUEST asked to keep the connection
	done     bool // the request is all in, and no other follows
}

func (s *inbound) follow(b []byte) {
	for len(b) > 0 {
		if s.left == 0 {
			k := copy(s.hdr[s.hdrLen:], b)
			s.hdrLen += k
			b = b[k:]
			if s.hdrLen < len(s.hdr) {
				return
			}
			s.hdrLen, s.pos, s.typ = 0, 0, s.hdr[1]
			content := int(s.hdr[4])<<8 | int(s.hdr[5])
			s.left = content + int(s.hdr[6])
			if s.typ == recStdin && content == 0 && !s.keepConn {
				s.done = true
			}
			continue
		}
		k := min(s.left, len(b))
		if s.typ == recBeginRequest && s.pos <= 2 && 2 < s.pos+k {
			s.keepConn = b[2-s.pos]&flagKeepConn != 0
		}
		s.pos += k
		s.left -= k
		b = b[k:]
	}
}

func (c *bufferedConn) Read(p []byte) (int, error) {
	if c.inbound.done && c.r.Buffered() == 0 {
		<-c.closing
		return 0, io.EOF
	}
	n, err := c.r.Read(p)
	c.inbound.follow(p[:n])
	return n, err
}

func (c *bufferedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	stream := len(p) >= 2 && (p[1] == recStdout || p[1] == recStderr)
	if c.w == nil {
		if stream && len(p) < connBuffer {
			c.w = writeBuffers.Get().(*[]byte)
			*c.w = append(*c.w, p...)
			return len(p), nil
		}
		return c.Conn.Write(p)
	}
	if len(*c.w)+len(p) <= connBuffer {
		// The end of a request goes out with the answer, in one write.
		*c.w = append(*c.w, p...)
		if stream {
			return len(p), nil
		}
		if err := c.flush(); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if err := c.flush(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// flush writes what is held and gives the buffer back; c.mu is held.
func (c *bufferedConn) flush() error {
	b := c.w
	c.w = nil
	_, err := c.Conn.Write(*b)
	*b = (*b)[:0]
	writeBuffers.Put(b)
	return err
}

func (c *bufferedConn) Close() error {
	c.mu.Lock()
	var err error
	if c.w != nil {
		err = c.flush()
	}
	c.closed = true
	c.mu.Unlock()
	c.closeOnce.Do(func() { close(c.closing) })
	if cerr := c.Conn.Close(); err == nil {
		err = cerr
	}
	return err
}
