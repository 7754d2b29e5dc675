package kernel

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNoPVH means a vmlinux has no PVH entry point (an ELF note named "Xen"
// of type XEN_ELFNOTE_PHYS32_ENTRY), so QEMU cannot boot it with -kernel:
// boot the bzImage instead.
var ErrNoPVH = errors.New("vmlinux has no PVH entry note (Xen ELF note 18)")

// xenElfnotePhys32Entry is XEN_ELFNOTE_PHYS32_ENTRY, the PVH entry note type.
const xenElfnotePhys32Entry = 18

// hasPVHNote reports whether the ELF file at path carries a PVH entry note,
// looking in note segments and, failing that, note sections.
func hasPVHNote(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, fmt.Errorf("open ELF: %w", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type != elf.PT_NOTE {
			continue
		}
		if found, err := readerHasPVH(p.Open(), f.ByteOrder); err != nil || found {
			return found, err
		}
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		if found, err := readerHasPVH(s.Open(), f.ByteOrder); err != nil || found {
			return found, err
		}
	}
	return false, nil
}

// readerHasPVH reads a block of ELF notes and looks for the PVH one.
func readerHasPVH(r io.Reader, order binary.ByteOrder) (bool, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return false, fmt.Errorf("read ELF notes: %w", err)
	}
	return notesHavePVH(data, order), nil
}

// notesHavePVH walks ELF notes (namesz, descsz, type, name, desc; name and
// desc padded to 4 bytes) looking for name "Xen" with the PVH entry type.
func notesHavePVH(data []byte, order binary.ByteOrder) bool {
	for len(data) >= 12 {
		namesz := uint64(order.Uint32(data[0:]))
		descsz := uint64(order.Uint32(data[4:]))
		typ := order.Uint32(data[8:])
		data = data[12:]
		nameEnd := align4(namesz)
		if nameEnd > uint64(len(data)) {
			return false
		}
		name := strings.TrimRight(string(data[:namesz]), "\x00")
		if name == "Xen" && typ == xenElfnotePhys32Entry {
			return true
		}
		next := nameEnd + align4(descsz)
		if next > uint64(len(data)) {
			return false
		}
		data = data[next:]
	}
	return false
}

// align4 rounds n up to a multiple of 4.
func align4(n uint64) uint64 { return (n + 3) &^ 3 }
