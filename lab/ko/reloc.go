package ko

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"sort"
)

// maxRelocs bounds the relocations read from a module's allocated
// sections. A student module has a few thousand (the debug sections,
// which the loader does not relocate, hold most of a .ko's); a file
// with more is refused as one the check cannot analyse.
const maxRelocs = 1 << 20

// reloc is a relocation the kernel's loader applies (x86-64 RELA, to an
// allocated section): it writes at sec+off the value of its symbol plus
// addend, made relative to the place for the PC-relative types.
type reloc struct {
	sec    int // index of the section patched
	off    uint64
	typ    elf.R_X86_64
	addend int64
	// What the symbol is: symSec is the index of the section it is
	// defined in, or one of symKernel (undefined: the kernel's, or
	// another module's) and symAbs (absolute, or symbol 0, whose value
	// is 0). value is its offset in symSec, or the absolute value.
	symSec int
	value  uint64
	sym    string // for a person: the symbol's name, or its section's
}

const (
	symKernel = -1
	symAbs    = -2
)

// width is how many bytes the relocation writes; 0 for a type the x86-64
// loader refuses (the module then does not load at all).
func (r reloc) width() int {
	switch r.typ {
	case elf.R_X86_64_64, elf.R_X86_64_PC64:
		return 8
	case elf.R_X86_64_32, elf.R_X86_64_32S, elf.R_X86_64_PC32, elf.R_X86_64_PLT32:
		return 4
	}
	return 0
}

func (r reloc) pcRelative() bool {
	return r.typ == elf.R_X86_64_PC32 || r.typ == elf.R_X86_64_PLT32 || r.typ == elf.R_X86_64_PC64
}

func (r reloc) String() string {
	return fmt.Sprintf("%s against %s%+#x", r.typ, r.sym, r.addend)
}

// relocs reads the RELA sections that apply to allocated sections, as the
// loader does (apply_relocate_add), sorted by patched section and offset.
// A relocation whose symbol index is past the symbol table is an error:
// the loader would read a symbol from whatever follows the table.
func (m *Module) relocs() ([]reloc, error) {
	secs := m.file.Sections
	var out []reloc
	for _, rs := range secs {
		if rs.Type != elf.SHT_RELA || int(rs.Info) >= len(secs) || secs[rs.Info].Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		b, err := m.bytes(rs)
		if err != nil {
			return nil, err
		}
		if uint64(len(out))+uint64(len(b)/24) > maxRelocs {
			return nil, fmt.Errorf("more than %d relocations", maxRelocs)
		}
		for i := 0; i+24 <= len(b); i += 24 {
			info := m.file.ByteOrder.Uint64(b[i+8:])
			r := reloc{sec: int(rs.Info), off: m.file.ByteOrder.Uint64(b[i:]), typ: elf.R_X86_64(uint32(info)),
				addend: int64(m.file.ByteOrder.Uint64(b[i+16:]))}
			if err := m.resolve(&r, info>>32); err != nil {
				return nil, fmt.Errorf("%s: %w", rs.Name, err)
			}
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].sec != out[j].sec {
			return out[i].sec < out[j].sec
		}
		return out[i].off < out[j].off
	})
	return out, nil
}

// resolve fills r's symbol from the symbol table entry idx.
func (m *Module) resolve(r *reloc, idx uint64) error {
	if idx == 0 {
		r.symSec, r.sym = symAbs, "symbol 0"
		return nil
	}
	if idx > uint64(len(m.syms)) {
		return fmt.Errorf("relocation at %#x names symbol %d, past the symbol table (%d symbols)", r.off, idx, len(m.syms))
	}
	s := m.syms[idx-1] // debug/elf leaves out the null symbol 0
	r.sym, r.value = s.Name, s.Value
	switch {
	case s.Section == elf.SHN_ABS:
		r.symSec = symAbs
	case s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE || int(s.Section) >= len(m.file.Sections):
		r.symSec = symKernel
	default:
		r.symSec = int(s.Section)
		if r.sym == "" {
			r.sym = m.file.Sections[s.Section].Name
		}
	}
	return nil
}

// applyKnown writes into code (section sec's bytes, a copy) the values of
// the relocations the module fixes itself: an absolute value (symbol 0,
// an SHN_ABS symbol), or a PC-relative one whose symbol is in the same
// section. The CPU runs those bytes, not the file's: a relocation against
// symbol 0 writes its addend, whatever bytes the author chooses. The
// values of the others depend on where the kernel puts the module and
// itself, unknown to the module's author as to the check.
func applyKnown(code []byte, sec int, rs []reloc) {
	for _, r := range rs {
		w := r.width()
		if w == 0 || r.off > uint64(len(code)) || uint64(w) > uint64(len(code))-r.off {
			continue
		}
		var v uint64
		switch {
		case r.symSec == symAbs && !r.pcRelative():
			v = r.value + uint64(r.addend)
		case r.symSec == sec && r.pcRelative():
			v = r.value + uint64(r.addend) - r.off
		default:
			continue
		}
		if w == 8 {
			binary.LittleEndian.PutUint64(code[r.off:], v)
		} else {
			binary.LittleEndian.PutUint32(code[r.off:], uint32(v))
		}
	}
}
