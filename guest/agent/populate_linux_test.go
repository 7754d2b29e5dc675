package agent

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

func TestPopulateWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(from, to uint64) error
	}{
		{"madvise or fallback", populateWrite},
		{"through /proc/self/mem (kernels before 5.14)", writeFaultByMem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const pages = 4
			mem, err := unix.Mmap(-1, 0, pages*pageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Munmap(mem)
			base := uint64(uintptr(unsafe.Pointer(&mem[0])))
			// Fault in all but the first page, which must stay absent.
			if err := tc.fill(base+pageSize, base+pages*pageSize); err != nil {
				t.Fatal(err)
			}
			vec := make([]byte, pages)
			if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(base), pages*pageSize, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
				t.Fatal(e)
			}
			for i, v := range vec {
				if resident := v&1 == 1; resident != (i > 0) {
					t.Errorf("page %d resident = %v, want %v", i, resident, i > 0)
				}
			}
		})
	}
}
