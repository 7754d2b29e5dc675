// Package ko reads what a built kernel module says about itself: a .ko file
// -> its modinfo (parameters and their types, dependencies), the symbols it
// imports, its sections, and the privileged instructions in its code; and
// checks it against an assignment's policy before any boot.
//
// Everything is read with debug/elf from the file itself, no external tool:
// the grader runs it on modules built from untrusted sources, so a malformed
// file is an error, never a crash.
package ko

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"sort"
	"strings"
)

// maxSize bounds the .ko read into memory. A module with full debug info is
// a few MB; the grader's build sandbox caps files at 64 MiB.
const maxSize = 256 << 20

// Module is what a .ko file declares, imports and contains.
type Module struct {
	// Path is the file read.
	Path string
	// Name is the name the kernel gives the module: the one in
	// .gnu.linkonce.this_module, else modinfo name=.
	Name string
	// Machine is the ELF machine (elf.EM_X86_64, elf.EM_AARCH64).
	Machine elf.Machine
	// ModInfo holds the .modinfo section's key=value strings; a key may
	// repeat (parm=, alias=).
	ModInfo map[string][]string
	// Params are the module's parameters, in declaration order.
	Params []Param
	// Depends are the modules it needs loaded first (modinfo depends=).
	Depends []string
	// VerMagic is the kernel version and options it was built for.
	VerMagic string
	// Imports are the symbols it takes from the kernel (undefined in the
	// .ko), sorted, each once.
	Imports []string
	// Sections are the ELF sections, in file order.
	Sections []Section
	// Functions are the functions it defines, by section then address.
	Functions []Function

	file *elf.File
	raw  []byte       // the file: sections are read from it as the kernel reads them
	syms []elf.Symbol // the symbol table, without the null symbol 0
}

// Param is a module parameter: module_param writes modinfo
// parmtype=NAME:TYPE, MODULE_PARM_DESC (optional) parm=NAME:DESC.
type Param struct {
	Name string `json:"name"`
	Type string `json:"type"`           // int, uint, long, ulong, charp, bool, ...; array params read "array of int"
	Desc string `json:"desc,omitempty"` // empty without MODULE_PARM_DESC
}

// Section is an ELF section of the module.
type Section struct {
	Name  string
	Size  uint64
	Flags elf.SectionFlag
}

// Function is a function the module defines (an STT_FUNC symbol).
type Function struct {
	Name    string
	Section string
	Value   uint64 // offset in its section
	Size    uint64

	shndx elf.SectionIndex // two sections may share a name
}

// Open reads a .ko file once: modinfo, symbols, sections, functions.
// The code is decoded lazily, by Privileged.
func Open(path string) (m *Module, err error) {
	defer func() {
		// debug/elf is hardened but the input is hostile: a parser
		// panic must cost the student a verdict, not the grader a crash.
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("read module %s: malformed ELF file (%v)", path, r)
		}
	}()
	b, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("read module: %w", err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("read module %s: %w (not an ELF file: is it a built .ko?)", path, err)
	}
	m = &Module{Path: path, Machine: f.Machine, file: f, raw: b}
	if err := m.readModInfo(); err != nil {
		return nil, fmt.Errorf("read module %s: %w", path, err)
	}
	if err := m.readSymbols(); err != nil {
		return nil, fmt.Errorf("read module %s: %w", path, err)
	}
	m.Name = m.thisModuleName()
	if m.Name == "" {
		m.Name = m.info("name")
	}
	return m, nil
}

func readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxSize {
		return nil, fmt.Errorf("%s: %d bytes, more than a kernel module holds (limit %d)", path, st.Size(), maxSize)
	}
	return os.ReadFile(path)
}

// readModInfo parses .modinfo: NUL-separated key=value strings, padded
// with NULs between entries.
func (m *Module) readModInfo() error {
	sec := m.file.Section(".modinfo")
	if sec == nil {
		return fmt.Errorf("no .modinfo section (not a kernel module: build it with Kbuild, obj-m := NAME.o)")
	}
	b, err := m.bytes(sec)
	if err != nil {
		return err
	}
	m.ModInfo = parseModInfo(b)
	m.Params = params(m.ModInfo)
	if d := m.info("depends"); d != "" {
		m.Depends = strings.Split(d, ",")
	}
	m.VerMagic = m.info("vermagic")
	return nil
}

func parseModInfo(b []byte) map[string][]string {
	out := map[string][]string{}
	for _, kv := range strings.Split(string(b), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// info is the first value of key, or "".
func (m *Module) info(key string) string {
	if v := m.ModInfo[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// params joins parmtype= (module_param always writes it) with parm=
// (only MODULE_PARM_DESC does). A parm= without parmtype= describes no
// parameter the kernel would accept, so it is left out.
func params(info map[string][]string) []Param {
	desc := map[string]string{}
	for _, p := range info["parm"] {
		n, d, _ := strings.Cut(p, ":")
		desc[n] = d
	}
	var out []Param
	seen := map[string]bool{}
	for _, p := range info["parmtype"] {
		n, t, _ := strings.Cut(p, ":")
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, Param{Name: n, Type: t, Desc: desc[n]})
	}
	return out
}

// Param returns the parameter named name, if the module declares it.
func (m *Module) Param(name string) (Param, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// readSymbols fills Sections, Imports and Functions.
func (m *Module) readSymbols() error {
	for _, s := range m.file.Sections {
		if s.Type != elf.SHT_NULL {
			m.Sections = append(m.Sections, Section{Name: s.Name, Size: s.Size, Flags: s.Flags})
		}
	}
	syms, err := m.file.Symbols()
	if err != nil {
		return fmt.Errorf("read symbols: %w", err)
	}
	m.syms = syms
	imports := map[string]bool{}
	for _, s := range syms {
		switch {
		case s.Section == elf.SHN_UNDEF && s.Name != "":
			imports[s.Name] = true
		case elf.ST_TYPE(s.Info) == elf.STT_FUNC && int(s.Section) < len(m.file.Sections) && s.Section != elf.SHN_UNDEF:
			m.Functions = append(m.Functions, Function{Name: s.Name, Section: m.file.Sections[s.Section].Name,
				Value: s.Value, Size: s.Size, shndx: s.Section})
		}
	}
	for s := range imports {
		m.Imports = append(m.Imports, s)
	}
	sort.Strings(m.Imports)
	sort.SliceStable(m.Functions, func(i, j int) bool {
		a, b := m.Functions[i], m.Functions[j]
		if a.shndx != b.shndx {
			return a.shndx < b.shndx
		}
		return a.Value < b.Value
	})
	return nil
}

// thisModuleName reads struct module's name from .gnu.linkonce.this_module:
// it follows enum module_state and struct list_head, at 24 on 64-bit and
// 12 on 32-bit kernels, and is what lsmod and rmmod know the module as.
func (m *Module) thisModuleName() string {
	sec := m.file.Section(".gnu.linkonce.this_module")
	if sec == nil {
		return ""
	}
	b, err := m.bytes(sec)
	off := 24
	if m.file.Class == elf.ELFCLASS32 {
		off = 12
	}
	if err != nil || len(b) <= off {
		return ""
	}
	b = b[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) > 56 { // MODULE_NAME_LEN - 1
		b = b[:56]
	}
	return string(b)
}

// bytes returns a section's bytes as they are in the file, which is what
// the kernel's loader copies. debug/elf's Data would decompress an
// SHF_COMPRESSED section: the kernel does not, so reading through it
// would analyse code the kernel never runs.
func (m *Module) bytes(sec *elf.Section) ([]byte, error) {
	if sec.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	if sec.Offset > uint64(len(m.raw)) || sec.FileSize > uint64(len(m.raw))-sec.Offset {
		return nil, fmt.Errorf("section %s: %d bytes at %d, past the end of the file", sec.Name, sec.FileSize, sec.Offset)
	}
	return m.raw[sec.Offset : sec.Offset+sec.FileSize], nil
}

// Section returns the section named name, if the module has it.
func (m *Module) Section(name string) (Section, bool) {
	for _, s := range m.Sections {
		if s.Name == name {
			return s, true
		}
	}
	return Section{}, false
}
