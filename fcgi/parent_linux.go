package main

import "syscall"

// lighttpd starts this program and stops it with SIGTERM. If lighttpd dies
// without doing so (SIGKILL), the kernel sends SIGTERM instead: the
// parent-death signal. It is set here, in an init function, because
// package initialisation runs on the main OS thread (which lives as long
// as the process) and the kernel ties the setting to the thread.
func init() {
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
}
