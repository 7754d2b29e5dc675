package agent

import (
	"errors"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// kmsgTail reads the kernel log records written after it was opened, on a
// /dev/kmsg descriptor of its own: the step's collector keeps reading its
// own, and misses nothing. It reads the raw descriptor: an *os.File would
// hand a non-blocking one to Go's poller, and a read at the end of the
// log would wait for the next record instead of saying there is none.
type kmsgTail struct{ fd int }

// openKmsgTail opens /dev/kmsg at its end; a tail that could not be opened
// reads nothing.
func openKmsgTail() kmsgTail {
	fd, err := unix.Open("/dev/kmsg", unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return kmsgTail{fd: -1}
	}
	if _, err := unix.Seek(fd, 0, unix.SEEK_END); err != nil {
		unix.Close(fd)
		return kmsgTail{fd: -1}
	}
	return kmsgTail{fd: fd}
}

// texts returns the lines of the records written since, in order, up to
// MaxLogRecords records.
func (t kmsgTail) texts() []string {
	if t.fd < 0 {
		return nil
	}
	var out []string
	buf := make([]byte, 8192)
	for records := 0; records < MaxLogRecords; records++ {
		n, err := unix.Read(t.fd, buf)
		if errors.Is(err, unix.EPIPE) {
			continue // records overwritten before they were read: go on with the next
		}
		if err != nil || n <= 0 {
			break // EAGAIN: nothing more
		}
		if r, err := kmsg.ParseRecord(buf[:n]); err == nil {
			// One printk may hold several lines: the fault report's
			// headline and its "name failslab, ..." are one record.
			out = append(out, strings.Split(r.Text, "\n")...)
		}
	}
	return out
}

func (t kmsgTail) close() {
	if t.fd >= 0 {
		unix.Close(t.fd)
	}
}
