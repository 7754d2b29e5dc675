package agent

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

const (
	pageSize = 4096
	hugeSize = 2 << 20
)

// setupMap maps and locks one page and one 2 MiB huge page at the host's
// addresses, and reads their frames from /proc/self/pagemap.
func setupMap(args map[string]string) (map[string]string, error) {
	v := map[string]uint64{}
	for _, k := range []string{"page", "offset", "huge", "huge_offset", "hole"} {
		n, err := strconv.ParseUint(args[k], 16, 64)
		if err != nil {
			return nil, fmt.Errorf("arg %s=%q: %w", k, args[k], err)
		}
		v[k] = n
	}
	addr, phys, err := mapAt(v["page"], v["offset"], pageSize, 0)
	if err != nil {
		return nil, err
	}
	_ = os.WriteFile("/proc/sys/vm/nr_hugepages", []byte("4"), 0)
	hAddr, hPhys, err := mapAt(v["huge"], v["huge_offset"], hugeSize, unix.MAP_HUGETLB)
	if err != nil {
		return nil, fmt.Errorf("huge page: %w", err)
	}
	if mapped(v["hole"]) {
		return nil, fmt.Errorf("hole %#x is mapped", v["hole"])
	}
	hex := func(n uint64) string { return strconv.FormatUint(n, 16) }
	return map[string]string{"addr": hex(addr), "phys": hex(phys), "pfn": hex(phys / pageSize), "huge_addr": hex(hAddr),
		"huge_phys": hex(hPhys), "hole": hex(v["hole"])}, nil
}

// mapAt maps size bytes at base, faulted in writable and locked
// (MAP_POPULATE on a private writable mapping allocates real pages), and
// returns base+off and its physical address.
func mapAt(base, off, size uint64, flags int) (addr, phys uint64, err error) {
	fl := unix.MAP_PRIVATE | unix.MAP_ANONYMOUS | unix.MAP_FIXED_NOREPLACE | unix.MAP_POPULATE | unix.MAP_LOCKED | flags
	got, _, errno := unix.Syscall6(unix.SYS_MMAP, uintptr(base), uintptr(size),
		unix.PROT_READ|unix.PROT_WRITE, uintptr(fl), ^uintptr(0), 0)
	if errno != 0 {
		return 0, 0, fmt.Errorf("mmap %#x (%d bytes): %w", base, size, errno)
	}
	if uint64(got) != base {
		return 0, 0, fmt.Errorf("mmap %#x: kernel placed it at %#x", base, got)
	}
	addr = base + off
	pfn, err := frame(addr)
	if err != nil {
		return 0, 0, err
	}
	return addr, pfn*pageSize + addr%pageSize, nil
}

// frame reads the page frame number of addr from /proc/self/pagemap.
func frame(addr uint64) (uint64, error) {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var b [8]byte
	if _, err := f.ReadAt(b[:], int64(addr/pageSize*8)); err != nil {
		return 0, fmt.Errorf("read pagemap for %#x: %w", addr, err)
	}
	e := binary.LittleEndian.Uint64(b[:])
	if e&(1<<63) == 0 {
		return 0, fmt.Errorf("pagemap: %#x not present", addr)
	}
	return e & (1<<55 - 1), nil
}

// mapped reports whether addr lies in one of this process's mappings.
func mapped(addr uint64) bool {
	b, _ := os.ReadFile("/proc/self/maps")
	for _, l := range strings.Split(string(b), "\n") {
		r, _, _ := strings.Cut(l, " ")
		lo, hi, ok := strings.Cut(r, "-")
		if !ok {
			continue
		}
		a, _ := strconv.ParseUint(lo, 16, 64)
		z, _ := strconv.ParseUint(hi, 16, 64)
		if addr >= a && addr < z {
			return true
		}
	}
	return false
}
