package ko

import (
	"debug/elf"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The byte strings below are hand-assembled x86-64 (checked against
// objdump), not taken from a module: they pin what each instruction
// decodes to. The real modules are in build_test.go.
func TestScanFlagsPrivilegedInstructions(t *testing.T) {
	for _, tc := range []struct {
		name string
		code []byte
		want []string // "offset:text" of each finding; an operand-less text matches any operands
	}{
		{"out dx, al", []byte{0x90, 0xee, 0xc3}, []string{"1:out dx, al"}},
		{"in al, dx", []byte{0xec}, []string{"0:in al, dx"}},
		{"out imm8", []byte{0xe6, 0x80}, []string{"0:out 0x80, al"}},
		{"string port I/O", []byte{0x6e, 0x6d}, []string{"0:outsb", "1:insd"}},
		{"write cr0", []byte{0x0f, 0x22, 0xc0}, []string{"0:mov cr0, rax"}},
		{"write cr4", []byte{0x0f, 0x22, 0xe7}, []string{"0:mov cr4, rdi"}},
		{"write dr7", []byte{0x0f, 0x23, 0xf8}, []string{"0:mov dr7, rax"}},
		{"wrmsr", []byte{0x0f, 0x30}, []string{"0:wrmsr"}},
		{"hlt", []byte{0xf4}, []string{"0:hlt"}},
		{"descriptor tables", []byte{0x0f, 0x01, 0x10, 0x0f, 0x01, 0x18, 0x0f, 0x00, 0xd0, 0x0f, 0x00, 0xd8}, []string{"0:lgdt", "3:lidt", "6:lldt", "9:ltr"}},
		{"tlb and caches", []byte{0x0f, 0x01, 0x38, 0x0f, 0x09, 0x0f, 0x08}, []string{"0:invlpg", "3:wbinvd", "5:invd"}},
		{"cr0 by other means", []byte{0x0f, 0x06, 0x0f, 0x01, 0xf0, 0x0f, 0x01, 0xd1}, []string{"0:clts", "2:lmsw", "5:xsetbv"}},
		// What legitimate modules contain: local_irq_save() is pushf;
		// pop; cli, a page walk may read cr3, rdmsr reads.
		{"irq save and restore", []byte{0x9c, 0x58, 0xfa, 0xfb}, nil},
		{"read cr3", []byte{0x0f, 0x20, 0xd8}, nil},
		{"rdmsr", []byte{0x0f, 0x32}, nil},
		{"port opcode inside an immediate", []byte{0xb8, 0xee, 0xec, 0xf4, 0x00}, nil},
		{"relocated call", []byte{0xe8, 0, 0, 0, 0, 0xc3}, nil},
		{"endbr64 is one instruction", []byte{0xf3, 0x0f, 0x1e, 0xfa, 0xc3}, nil},
		// jmp +2 into "mov ax, 0x90ee": the hidden bytes are out dx, al; nop.
		{"jump into an instruction", []byte{0xeb, 0x02, 0x66, 0xb8, 0xee, 0x90, 0xc3}, []string{"0:jmp", "4:out dx, al"}},
	} {
		got := scanSection(tc.code, []codeRange{{name: "f", start: 0, end: uint64(len(tc.code))}}, ".text")
		var have []string
		for _, in := range got {
			if in.Function != "f" || in.Section != ".text" || in.Why == "" {
				t.Errorf("%s: finding %+v: want function f, section .text, a reason", tc.name, in)
			}
			have = append(have, fmt.Sprintf("%d:%s", in.Offset, in.Text))
		}
		if !matchFindings(have, tc.want) {
			t.Errorf("%s: found %q, want %q", tc.name, have, tc.want)
		}
	}
}

// matchFindings reports whether each finding starts with its want.
func matchFindings(have, want []string) bool {
	if len(have) != len(want) {
		return false
	}
	for i := range want {
		if !strings.HasPrefix(have[i], want[i]) {
			return false
		}
	}
	return true
}

func TestHiddenFindingsNameTheirFunction(t *testing.T) {
	// f: jmp into g's mov; g: mov ax, 0x90ee (hiding out dx, al); ret.
	code := []byte{0xeb, 0x02, 0x66, 0xb8, 0xee, 0x90, 0xc3}
	ranges := []codeRange{{name: "f", start: 0, end: 2}, {name: "g", start: 2, end: 7}}
	got := scanSection(code, ranges, ".text")
	var where []string
	for _, in := range got {
		where = append(where, in.Where())
	}
	if want := []string{"f+0x0", "g+0x2"}; !reflect.DeepEqual(where, want) {
		t.Fatalf("findings at %q, want %q (%+v)", where, want, got)
	}
	if !strings.Contains(got[1].Why, "hidden") {
		t.Errorf("hidden out: why = %q, want it to say hidden", got[1].Why)
	}
}

func TestCodeRangesCoverTheSection(t *testing.T) {
	const text, other = 3, 4 // section indices; both sections are named .init.text
	m := &Module{Functions: []Function{
		{Name: "init_module", Value: 8, Size: 4, shndx: text},
		{Name: "f", Value: 0, Size: 4, shndx: text},
		{Name: "g_init", Value: 8, Size: 4, shndx: text},
		{Name: "inner", Value: 9, Size: 1, shndx: text}, // inside g_init
		{Name: "same_name_other_section", Value: 2, Size: 4, shndx: other},
	}}
	got := m.codeRanges(text, ".init.text", 16)
	want := []codeRange{{"f", 0, 4}, {".init.text", 4, 8}, {"g_init", 8, 12}, {".init.text", 12, 16}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("codeRanges = %+v, want %+v", got, want)
	}
	// A forged size cannot reach past the section (nor wrap around).
	m = &Module{Functions: []Function{{Name: "f", Value: 4, Size: ^uint64(0), shndx: text}}}
	got = m.codeRanges(text, ".text", 16)
	want = []codeRange{{".text", 0, 4}, {"f", 4, 16}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("codeRanges with a forged size = %+v, want %+v", got, want)
	}
}

func TestUnanalysedNamesTheMachine(t *testing.T) {
	if s := (&Module{Machine: 62}).Unanalysed(); s != "" { // EM_X86_64
		t.Errorf("x86-64: Unanalysed = %q, want empty", s)
	}
	if s := (&Module{Machine: 183}).Unanalysed(); !strings.Contains(s, "not analysed on arm64") { // EM_AARCH64
		t.Errorf("arm64: Unanalysed = %q", s)
	}
}

// testSec is a section of a hand-made module: code when fn is set.
type testSec struct {
	name, fn string
	code     []byte
}

// scanModule scans hand-made sections as Privileged scans a module's:
// relocations (sorted by section and offset) applied, then followed.
func scanModule(secs []testSec, rs []reloc) []Instruction {
	s := newScanner()
	for i, ts := range secs {
		s.names = append(s.names, ts.name)
		s.sizes = append(s.sizes, uint64(len(ts.code)))
		if ts.fn == "" {
			continue
		}
		code := slices.Clone(ts.code)
		applyKnown(code, i, relocsOf(rs, i))
		s.add(i, ts.name, code, []codeRange{{name: ts.fn, start: 0, end: uint64(len(code))}}, relocsOf(rs, i))
	}
	return s.guarded(rs)
}

func wheres(got []Instruction) []string {
	var out []string
	for _, in := range got {
		out = append(out, in.Where()+" "+in.Text)
	}
	return out
}

// movabs rax, 0x90909090fdebf4fa; ret: the constant is cli; hlt; jmp .-3.
var hiddenHalt = []byte{0x48, 0xb8, 0xfa, 0xf4, 0xeb, 0xfd, 0x90, 0x90, 0x90, 0x90, 0xc3}

func TestScanFollowsRelocations(t *testing.T) {
	pad := testSec{".text", "pad", hiddenHalt}
	data := testSec{".data", "", make([]byte, 16)}
	// lea rdi, [rip+0] (its displacement relocated); call rdi; ret.
	lea := testSec{".init.text", "init", []byte{0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xff, 0xd7, 0xc3}}
	// jmp rel32 (relocated), the displacement zero in the file.
	jmp := testSec{".text.hop", "hop", []byte{0xe9, 0, 0, 0, 0}}
	halt := []string{"pad+0x3 hlt", "pad+0x4 jmp .-0x3"}
	for _, tc := range []struct {
		name string
		secs []testSec
		rs   []reloc
		want []string
	}{
		{"a pointer in data into an instruction", []testSec{pad, data},
			[]reloc{{sec: 1, off: 8, typ: elf.R_X86_64_64, symSec: 0, addend: 2, sym: ".text"}},
			[]string{"pad+0x0 mov rax, 0x90909090fdebf4fa", "pad+0x3 hlt", "pad+0x4 jmp .-0x3"}},
		{"a relative pointer in data", []testSec{pad, data},
			[]reloc{{sec: 1, off: 4, typ: elf.R_X86_64_PC32, symSec: 0, addend: 2, sym: ".text"}},
			[]string{"pad+0x0 mov rax, 0x90909090fdebf4fa", "pad+0x3 hlt", "pad+0x4 jmp .-0x3"}},
		{"the address taken by code (lea)", []testSec{pad, lea},
			[]reloc{{sec: 1, off: 3, typ: elf.R_X86_64_PC32, symSec: 0, addend: 2 - 4, sym: ".text"}},
			append(slices.Clone(halt), "init+0x0 lea rdi, ptr [rip]")},
		{"a jump into another section", []testSec{pad, jmp},
			[]reloc{{sec: 1, off: 1, typ: elf.R_X86_64_PC32, symSec: 0, addend: 2 - 4, sym: ".text"}},
			append(slices.Clone(halt), "hop+0x0 jmp .+0x0")},
		{"a jump to a function's start", []testSec{pad, jmp},
			[]reloc{{sec: 1, off: 1, typ: elf.R_X86_64_PLT32, symSec: 0, value: 0, addend: -4, sym: "pad"}}, nil},
		{"a call to the kernel", []testSec{pad, jmp},
			[]reloc{{sec: 1, off: 1, typ: elf.R_X86_64_PLT32, symSec: symKernel, addend: -4, sym: "_printk"}}, nil},
		{"a pointer to the end of code", []testSec{pad, data},
			[]reloc{{sec: 1, off: 0, typ: elf.R_X86_64_64, symSec: 0, value: uint64(len(hiddenHalt)), sym: "end"}}, nil},
		{"a pointer past the end of code", []testSec{pad, data},
			[]reloc{{sec: 1, off: 0, typ: elf.R_X86_64_64, symSec: 0, addend: 64, sym: ".text"}},
			[]string{".data+0x0 (address outside its section)"}},
		{"a relocation past its section", []testSec{pad, data},
			[]reloc{{sec: 1, off: 1 << 40, typ: elf.R_X86_64_64, symSec: symKernel, sym: "jiffies"}},
			[]string{".data+0x10 (relocation past its section)"}},
		{"an ORC entry inside an instruction", []testSec{{".text", "f", []byte{0xff, 0x15, 0, 0, 0, 0, 0xc3}}, data},
			[]reloc{{sec: 1, off: 0, typ: elf.R_X86_64_PC32, symSec: 0, addend: 1, sym: ".text"}}, nil},
		// Eight zero bytes (add [rax], al, four times) the loader
		// overwrites with cli; hlt; jmp: symbol 0's value is its addend.
		{"code written by a relocation", []testSec{{".text", "f", make([]byte, 9)}},
			[]reloc{{sec: 0, off: 0, typ: elf.R_X86_64_64, symSec: symAbs, addend: 0x0090fdebf4fa, sym: "symbol 0"}},
			[]string{"f+0x0 cli", "f+0x1 hlt"}},
	} {
		if strings.HasPrefix(tc.name, "an ORC") {
			tc.secs[1].name = ".orc_unwind_ip"
		}
		got := scanModule(tc.secs, tc.rs)
		if have := wheres(got); !reflect.DeepEqual(have, tc.want) {
			t.Errorf("%s: found %q, want %q", tc.name, have, tc.want)
		}
		for _, in := range got {
			if in.Why == "" {
				t.Errorf("%s: %s has no reason", tc.name, in.Where())
			}
		}
	}
}

func TestScanOverlappingStreams(t *testing.T) {
	// jmp into a mov's immediate, where a hidden jmp goes on into a
	// movabs's constant, where the hlt is: two levels of hiding.
	code := []byte{
		0xeb, 0x01, // 0: jmp 3
		0xb8, 0x90, 0xeb, 0x05, 0x90, // 2: mov eax, imm32; hidden: 3: nop; 4: jmp 0xb
		0x48, 0xb8, 0x90, 0x90, 0xf4, 0x90, 0x90, 0x90, 0x90, 0x90, // 7: movabs; hidden: 0xb: hlt
		0xc3,
	}
	got := scanSection(code, []codeRange{{name: "f", start: 0, end: uint64(len(code))}}, ".text")
	if have, want := wheres(got), []string{"f+0x0 jmp .+0x1", "f+0x4 jmp .+0x5", "f+0xb hlt"}; !reflect.DeepEqual(have, want) {
		t.Errorf("found %q, want %q", have, want)
	}
}

func TestScanIsBounded(t *testing.T) {
	defer func(n int) { maxHidden = n }(maxHidden)
	maxHidden = 8
	// Ten mov ax, imm16 and a pointer into the middle of each.
	var code []byte
	var rs []reloc
	for i := range 10 {
		code = append(code, 0x66, 0xb8, 0x90, 0x90)
		rs = append(rs, reloc{sec: 1, off: uint64(8 * i), typ: elf.R_X86_64_64, symSec: 0, addend: int64(4*i + 2), sym: ".text"})
	}
	got := scanModule([]testSec{{".text", "f", code}, {".data", "", make([]byte, 80)}}, rs)
	if len(got) == 0 || got[len(got)-1].Text != "(too much hidden code)" {
		t.Errorf("past the bound: %q, want it to end with a refusal", wheres(got))
	}
}
