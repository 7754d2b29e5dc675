package ko

import (
	"debug/elf"
	"fmt"
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// Instruction is a privileged instruction found in the module's code.
type Instruction struct {
	// Function is the function holding it, or the section's name for
	// code no function symbol covers (top-level asm, alternatives).
	Function string `json:"function"`
	Section  string `json:"section"`
	// Offset is from the start of Function (of the section when no
	// function covers it).
	Offset uint64 `json:"offset"`
	// Text is the instruction in Intel syntax, e.g. "out dx, al".
	Text string `json:"text"`
	// Why says in one line what it does and why it is flagged.
	Why string `json:"why"`
}

// Where is "function+0xOFF".
func (i Instruction) Where() string { return fmt.Sprintf("%s+%#x", i.Function, i.Offset) }

// privilegedOps are the x86 instructions flagged wherever they appear: none
// is ever in a module of a process-and-memory assignment, built against
// any of the harness's kernels, and each is how a module reaches the
// machine past the kernel (a serial port the grader reads, paging
// protection, the CPU itself).
//
// CLI, STI, PUSHF and POPF are deliberately not here: local_irq_save()
// and local_irq_disable() compile to them inline (in .altinstr_replacement
// on paravirt kernels such as Debian's, in .text on the minimal ones),
// and a legitimate module may use those. Reads of control registers (MOV
// r, CRn: __read_cr3 in a page walk) are not flagged either; writes are.
var privilegedOps = map[x86asm.Op]string{
	x86asm.IN:      "port I/O: reads a device register directly, past the kernel's drivers",
	x86asm.INSB:    "port I/O: reads a device register directly, past the kernel's drivers",
	x86asm.INSW:    "port I/O: reads a device register directly, past the kernel's drivers",
	x86asm.INSD:    "port I/O: reads a device register directly, past the kernel's drivers",
	x86asm.OUT:     "port I/O: writes a device register directly (a serial port the grader reads, say)",
	x86asm.OUTSB:   "port I/O: writes a device register directly (a serial port the grader reads, say)",
	x86asm.OUTSW:   "port I/O: writes a device register directly (a serial port the grader reads, say)",
	x86asm.OUTSD:   "port I/O: writes a device register directly (a serial port the grader reads, say)",
	x86asm.WRMSR:   "writes a model-specific register (system call entry, CPU features)",
	x86asm.XSETBV:  "writes an extended control register (XCR0)",
	x86asm.HLT:     "halts the CPU",
	x86asm.LGDT:    "loads the global descriptor table",
	x86asm.LIDT:    "loads the interrupt descriptor table",
	x86asm.LLDT:    "loads the local descriptor table",
	x86asm.LTR:     "loads the task register",
	x86asm.INVLPG:  "invalidates a TLB entry (page-table tampering)",
	x86asm.INVPCID: "invalidates TLB entries (page-table tampering)",
	x86asm.WBINVD:  "writes back and invalidates every cache",
	x86asm.INVD:    "invalidates every cache without writing back (loses data)",
	x86asm.CLTS:    "writes a control register (CR0.TS)",
	x86asm.LMSW:    "writes a control register (CR0)",
}

// Unanalysed says why Privileged did not decode the module's code, or ""
// when it did.
func (m *Module) Unanalysed() string {
	if m.Machine == elf.EM_X86_64 {
		return ""
	}
	return fmt.Sprintf("instructions not analysed on %s: only x86-64 code is decoded (imports are still checked)", machineName(m.Machine))
}

func machineName(mach elf.Machine) string {
	if mach == elf.EM_AARCH64 {
		return "arm64"
	}
	return mach.String()
}

// codeRange is a stretch of a code section decoded on its own.
type codeRange struct {
	name       string // function, or the section for uncovered bytes
	start, end uint64
}

// codeRanges splits a code section into its functions and the stretches
// no function covers. Those are decoded too, from the section's point of
// view: code in top-level asm behind a label that is not a function would
// otherwise go unseen. Decoding each function from its own start keeps the
// decoder on instruction boundaries.
func (m *Module) codeRanges(shndx elf.SectionIndex, section string, size uint64) []codeRange {
	var fns []Function
	for _, f := range m.Functions {
		if f.shndx == shndx && f.Value < size {
			fns = append(fns, f)
		}
	}
	// At one address, name the function by its own name, not by the
	// init_module/cleanup_module alias module_init() gives it.
	alias := func(n string) bool { return n == "init_module" || n == "cleanup_module" }
	sort.SliceStable(fns, func(i, j int) bool {
		if fns[i].Value != fns[j].Value {
			return fns[i].Value < fns[j].Value
		}
		return !alias(fns[i].Name) && alias(fns[j].Name)
	})
	var out []codeRange
	pos := uint64(0)
	for _, f := range fns {
		if f.Value < pos {
			continue // an alias or overlapping symbol: already decoded
		}
		if f.Value > pos {
			out = append(out, codeRange{name: section, start: pos, end: f.Value})
		}
		end := size // a symbol's size is the student's to forge: no overflow past the section
		if f.Size < size-f.Value {
			end = f.Value + max(f.Size, 1)
		}
		out = append(out, codeRange{name: f.Name, start: f.Value, end: end})
		pos = end
	}
	if pos < size {
		out = append(out, codeRange{name: section, start: pos, end: size})
	}
	return out
}

// isEndbr reports whether code starts with ENDBR64 or ENDBR32 (F3 0F 1E
// FA/FB), which begins every function on IBT kernels (debian-6.12) and
// which x86asm does not know: stepping over it byte by byte would decode
// its last byte as CLI.
func isEndbr(code []byte) bool {
	return len(code) >= 4 && code[0] == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && (code[3] == 0xfa || code[3] == 0xfb)
}

// privileged says why inst is flagged, or "".
func privileged(inst x86asm.Inst) string {
	if why, ok := privilegedOps[inst.Op]; ok {
		return why
	}
	if inst.Op != x86asm.MOV {
		return ""
	}
	if r, ok := inst.Args[0].(x86asm.Reg); ok {
		switch {
		case r >= x86asm.CR0 && r <= x86asm.CR15:
			return "writes a control register (" + r.String() + ": write protection, paging, SMEP/SMAP)"
		case r >= x86asm.DR0 && r <= x86asm.DR7:
			return "writes a debug register (" + r.String() + ": hardware breakpoints)"
		}
	}
	return ""
}
