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

// sparsePages is the size of the map workload's sparse region, in pages.
const sparsePages = 16

// setupMap maps and locks one page and one 2 MiB huge page at the host's
// addresses, and reads their frames from /proc/self/pagemap. It maps a
// sparse region with one page never touched, and checks that the hole is
// in no mapping.
func setupMap(args map[string]string) (map[string]string, error) {
	v := map[string]uint64{}
	for _, k := range []string{"page", "offset", "huge", "huge_offset", "sparse", "unpopulated", "hole"} {
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
	if err := mapSparse(v["sparse"], v["unpopulated"]); err != nil {
		return nil, err
	}
	if mapped(v["hole"]) {
		return nil, fmt.Errorf("hole %#x is mapped", v["hole"])
	}
	hex := func(n uint64) string { return strconv.FormatUint(n, 16) }
	return map[string]string{"addr": hex(addr), "phys": hex(phys), "pfn": hex(phys / pageSize), "huge_addr": hex(hAddr),
		"huge_phys": hex(hPhys), "unpopulated": hex(v["unpopulated"]), "hole": hex(v["hole"])}, nil
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

// mapSparse maps sparsePages pages at base, writable and not populated,
// and write-faults every page but the one holding unpop: a VMA covers
// unpop and its neighbours have page table entries (so a walk reaches the
// page table), but no entry maps unpop. The region is too small to hold an
// aligned 2 MiB range, and marked no-huge besides, so neither a fault nor
// khugepaged can back it with a huge page that would cover unpop.
func mapSparse(base, unpop uint64) error {
	size := uint64(sparsePages * pageSize)
	if base%pageSize != 0 || unpop < base+pageSize || unpop >= base+size-pageSize {
		return fmt.Errorf("unpopulated %#x: want it inside sparse region %#x and not in its first or last page", unpop, base)
	}
	fl := unix.MAP_PRIVATE | unix.MAP_ANONYMOUS | unix.MAP_FIXED_NOREPLACE
	got, _, errno := unix.Syscall6(unix.SYS_MMAP, uintptr(base), uintptr(size),
		unix.PROT_READ|unix.PROT_WRITE, uintptr(fl), ^uintptr(0), 0)
	if errno != 0 || uint64(got) != base {
		return fmt.Errorf("mmap sparse region %#x (%d bytes): got %#x: %v", base, size, got, errno)
	}
	madvise := func(addr, n uint64, advice int) unix.Errno {
		_, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(addr), uintptr(n), uintptr(advice))
		return e
	}
	_ = madvise(base, size, unix.MADV_NOHUGEPAGE) // EINVAL without THP: nothing to prevent
	// Write-fault every page around unpop's, as a write to each would.
	hole := unpop &^ (pageSize - 1)
	for _, r := range [][2]uint64{{base, hole}, {hole + pageSize, base + size}} {
		if err := populateWrite(r[0], r[1]); err != nil {
			return err
		}
	}
	if _, err := frame(unpop - pageSize); err != nil {
		return fmt.Errorf("sparse region: %w", err)
	}
	e, err := pagemapEntry(unpop)
	if err != nil {
		return err
	}
	if e&(1<<63|1<<62) != 0 {
		return fmt.Errorf("unpopulated %#x: pagemap says present or swapped (%#x)", unpop, e)
	}
	return nil
}

// frame reads the page frame number of addr from /proc/self/pagemap.
func frame(addr uint64) (uint64, error) {
	e, err := pagemapEntry(addr)
	if err != nil {
		return 0, err
	}
	if e&(1<<63) == 0 {
		return 0, fmt.Errorf("pagemap: %#x not present", addr)
	}
	return e & (1<<55 - 1), nil
}

// pagemapEntry reads the /proc/self/pagemap entry of addr's page: bit 63
// present, 62 swapped, 0-54 the frame (zero without CAP_SYS_ADMIN).
func pagemapEntry(addr uint64) (uint64, error) {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var b [8]byte
	if _, err := f.ReadAt(b[:], int64(addr/pageSize*8)); err != nil {
		return 0, fmt.Errorf("read pagemap for %#x: %w", addr, err)
	}
	return binary.LittleEndian.Uint64(b[:]), nil
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
