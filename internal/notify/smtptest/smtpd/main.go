// Command smtpd is the test SMTP server of package smtptest: it listens on
// -addr, prints "listening ADDR" on stdout, and stores every message it
// receives as a file in -dir until it is killed.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"tracksgo/internal/notify/smtptest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	dir := flag.String("dir", ".", "directory to store messages in")
	flag.Parse()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "smtpd:", err)
		os.Exit(1)
	}
	fmt.Println("listening", l.Addr())
	if err := smtptest.Serve(l, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "smtpd:", err)
		os.Exit(1)
	}
}
