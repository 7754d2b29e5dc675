package agent

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// A sentinel tells whether a process's address space was torn down once
// the process is gone. The process maps a memfd shared and writable at
// start; the kernel refuses a write seal (EBUSY) while any writable shared
// mapping of it exists, and only the teardown of the address space
// (__mmput) removes that mapping. A module that took a reference to the
// address space (get_task_mm, mmget) and never dropped it keeps it alive:
// kmemleak cannot see that on x86-64, where the pgd page's struct page
// points back to the mm_struct.
type sentinel struct{ f *os.File }

// sentinelFD is where a child finds its sentinel (exec.Cmd.ExtraFiles[0]).
const sentinelFD = 3

func newSentinel() *sentinel {
	fd, err := unix.MemfdCreate("lkmlab-sentinel", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil // no memfd: no check
	}
	f := os.NewFile(uintptr(fd), "lkmlab-sentinel")
	if err := f.Truncate(int64(os.Getpagesize())); err != nil {
		f.Close()
		return nil
	}
	return &sentinel{f: f}
}

// file is what the child gets as ExtraFiles[0]; nil without a sentinel.
func (s *sentinel) file() []*os.File {
	if s == nil {
		return nil
	}
	return []*os.File{s.f}
}

// freed reports whether the mapping is gone, and so the address space of
// the (reaped) process that made it. A sentinel that cannot tell says
// freed: only a certain leak is reported.
func (s *sentinel) freed() bool {
	if s == nil {
		return true
	}
	defer s.f.Close()
	_, err := unix.FcntlInt(s.f.Fd(), unix.F_ADD_SEALS, unix.F_SEAL_WRITE)
	return !errors.Is(err, unix.EBUSY)
}

// mapSentinel is the child's half: map the sentinel, write to it, close
// the descriptor. Without one (fd 3 is not a memfd) it does nothing.
func mapSentinel() {
	var st unix.Stat_t
	if unix.Fstat(sentinelFD, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return
	}
	b, err := unix.Mmap(sentinelFD, 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err == nil {
		b[0] = 1
	}
	unix.Close(sentinelFD)
}
