package agent

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// populateWrite write-faults every page of [from, to), as a write to each
// would: MADV_POPULATE_WRITE where the kernel has it (5.14 on), and on an
// older kernel (bullseye's 5.10 says EINVAL) a one-byte write to each page
// through /proc/self/mem, which faults the page in for writing the same
// way and needs no pointer made from a raw address.
func populateWrite(from, to uint64) error {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(from), uintptr(to-from), unix.MADV_POPULATE_WRITE)
	if e == 0 {
		return nil
	}
	if !errors.Is(e, unix.EINVAL) {
		return fmt.Errorf("populate %#x-%#x: %w", from, to, e)
	}
	return writeFaultByMem(from, to)
}

// writeFaultByMem write-faults [from, to) page by page through
// /proc/self/mem.
func writeFaultByMem(from, to uint64) error {
	f, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("populate %#x-%#x without MADV_POPULATE_WRITE: %w", from, to, err)
	}
	defer f.Close()
	for a := from &^ (pageSize - 1); a < to; a += pageSize {
		if _, err := f.WriteAt([]byte{0}, int64(a)); err != nil {
			return fmt.Errorf("populate %#x without MADV_POPULATE_WRITE: %w", a, err)
		}
	}
	return nil
}
