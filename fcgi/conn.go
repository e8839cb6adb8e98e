package main

import (
	"bufio"
	"net"
	"sync"
)

// FastCGI record types this file looks at (the FastCGI specification, 8).
const (
	recStdout = 6
	recStderr = 7
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
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, 4096)}, nil
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

	mu     sync.Mutex
	w      *[]byte // from writeBuffers while something is held
	closed bool
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func (c *bufferedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	stream := len(p) >= 2 && (p[1] == recStdout || p[1] == recStderr)
	if c.w != nil && len(*c.w)+len(p) > connBuffer {
		if err := c.flush(); err != nil {
			return 0, err
		}
	}
	if len(p) >= connBuffer || (c.w == nil && !stream) {
		return c.Conn.Write(p) // nothing held: it goes as it is
	}
	if c.w == nil {
		c.w = writeBuffers.Get().(*[]byte)
	}
	*c.w = append(*c.w, p...)
	if !stream {
		// The end of a request goes out with the answer, in one write.
		if err := c.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
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
	if cerr := c.Conn.Close(); err == nil {
		err = cerr
	}
	return err
}
