package grader

import (
	"debug/elf"
	"testing"

	"github.com/lkmlab/lkmlab/lab/ko"
)

// TestLoadedBytesCountsWhatTheKernelAllocates: debug info and other
// sections the kernel never loads do not count against MaxModuleBytes.
func TestLoadedBytesCountsWhatTheKernelAllocates(t *testing.T) {
	m := &ko.Module{Sections: []ko.Section{
		{Name: ".text", Size: 4096, Flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR},
		{Name: ".data", Size: MaxModuleBytes, Flags: elf.SHF_ALLOC | elf.SHF_WRITE},
		{Name: ".debug_info", Size: 8 << 20},
		{Name: ".modinfo", Size: 8 << 20, Flags: elf.SHF_ALLOC},
	}}
	if got := loadedBytes(m); got != MaxModuleBytes+4096 {
		t.Fatalf("loadedBytes = %d, want %d", got, MaxModuleBytes+4096)
	}
}
