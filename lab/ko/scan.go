package ko

import (
	"debug/elf"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// maxHidden bounds the instructions decoded off the linear disassembly
// (from addresses inside other instructions), over the whole module. An
// honest module has none; each byte is decoded from at most once, so the
// work is bounded by the code's size anyway, and this keeps it small.
var maxHidden = 1 << 18 // a variable for the tests

// maxFindings bounds the findings listed for one module: a hostile one
// may point ten thousand relocations into its code.
const maxFindings = 256

// Privileged decodes the module's code and returns the privileged
// instructions in it, in section and address order. Only x86-64 code is
// decoded; Unanalysed says why not for other machines.
//
// Each function is decoded from its start, and so are the stretches no
// function covers. Every other place code may start is decoded too: the
// target of each direct branch (read from its relocation when it has one,
// in whatever section it lands) and each address the module takes of its
// own code (every relocation whose symbol and addend land in a code
// section, from code or data). A start inside a decoded instruction (no
// compiler makes one; it hides code from a plain disassembly) is reported
// itself, at the instruction taking the address or, for an address stored
// in data, at the instruction it lands in; the code there is decoded until
// it meets a boundary already decoded, and its own branches and addresses
// are followed in turn.
//
// The code decoded is the code the kernel runs: the relocations whose
// value the module fixes itself (symbol 0 or absolute, or PC-relative
// within a section) are applied first, and a relocation that rewrites
// more of an instruction than an operand, or lands outside its section,
// is reported, since what runs is then not what the file shows.
//
// An instruction can still be hidden (an address computed at run time, an
// indirect jump through one, code made at run time), so an empty result
// is evidence, not proof: the VM is the containment; this is the first
// line, for a person to review.
func (m *Module) Privileged() []Instruction {
	if m.file == nil || m.Machine != elf.EM_X86_64 {
		return nil
	}
	var out []Instruction
	rs, err := m.relocs()
	if err != nil {
		out = append(out, Instruction{Function: "relocations", Section: "relocations", Text: "(unanalysable)",
			Why: "relocations the check cannot follow (" + err.Error() + "): review it by hand"})
		rs = nil
	}
	s := newScanner()
	for i, sec := range m.file.Sections {
		s.names = append(s.names, sec.Name)
		s.sizes = append(s.sizes, sec.Size)
		// The loader makes every allocated section with this flag
		// executable, whatever its type.
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type == elf.SHT_NOBITS {
			continue
		}
		code, err := m.bytes(sec)
		if err != nil {
			out = append(out, Instruction{Function: sec.Name, Section: sec.Name, Text: "(unreadable)",
				Why: "code the check cannot read: " + err.Error()})
			continue
		}
		code = slices.Clone(code)
		own := relocsOf(rs, i)
		applyKnown(code, i, own)
		s.add(i, sec.Name, code, m.codeRanges(elf.SectionIndex(i), sec.Name, uint64(len(code))), own)
	}
	return append(out, s.guarded(rs)...)
}

// relocsOf is the stretch of rs (sorted by section) patching section sec.
func relocsOf(rs []reloc, sec int) []reloc {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].sec >= sec })
	j := sort.Search(len(rs), func(i int) bool { return rs[i].sec > sec })
	return rs[i:j]
}

// scanSection scans one code section on its own, without relocations.
func scanSection(code []byte, ranges []codeRange, section string) []Instruction {
	s := newScanner()
	s.names, s.sizes = []string{section}, []uint64{uint64(len(code))}
	s.add(0, section, code, ranges, nil)
	return s.guarded(nil)
}

// decoded is an instruction at its offset in the section.
type decoded struct {
	off  int
	inst x86asm.Inst
}

func (d decoded) end() int { return d.off + d.inst.Len }

// codeSec is a code section being decoded.
type codeSec struct {
	idx    int
	name   string
	code   []byte
	ranges []codeRange
	relocs []reloc      // patching it, by offset
	main   []decoded    // the linear decoding of its ranges, by offset
	starts map[int]bool // where main starts an instruction
	seen   map[int]bool // where any stream decoded from
	hidden map[int]bool // where a hidden stream started
}

// unwindOnly are the sections whose addresses of code the kernel reads
// to unwind the stack, never to run it. The ORC table has an entry for
// each instruction of an alternative's replacement, at its offset in the
// original instruction: pv_ops calls (local_irq_save()) have them inside
// the 6-byte call the file holds. The code at such an address is decoded
// all the same (a privileged instruction found there is reported), but
// the address itself is not: it is no evidence of hidden code.
var unwindOnly = map[string]bool{".orc_unwind_ip": true}

// place is an offset in a section, by index.
type place struct{ sec, off int }

// scanner decodes every code section of a module and follows every place
// code may start.
type scanner struct {
	names []string // of every section, by index
	sizes []uint64
	code  map[int]*codeSec
	order []*codeSec
	work  []place // hidden starts to decode
	found map[place]Instruction
	more  int  // findings not listed past maxFindings
	steps int  // hidden decoding steps so far
	over  bool // maxHidden reached
}

func newScanner() *scanner {
	return &scanner{code: map[int]*codeSec{}, found: map[place]Instruction{}}
}

func (s *scanner) add(idx int, name string, code []byte, ranges []codeRange, rs []reloc) {
	c := &codeSec{idx: idx, name: name, code: code, ranges: ranges, relocs: rs,
		starts: map[int]bool{}, seen: map[int]bool{}, hidden: map[int]bool{}}
	s.code[idx] = c
	s.order = append(s.order, c)
}

// guarded is run, turning a decoder panic (the code is the student's) into
// a finding for a person rather than a grader crash.
func (s *scanner) guarded(rs []reloc) (out []Instruction) {
	defer func() {
		if r := recover(); r != nil {
			name := "code"
			if len(s.order) > 0 {
				name = s.order[0].name
			}
			out = append(out, Instruction{Function: name, Section: name, Text: "(undecodable)",
				Why: fmt.Sprintf("the decoder failed on this code (%v): review it by hand", r)})
		}
	}()
	return s.run(rs)
}

func (s *scanner) run(rs []reloc) []Instruction {
	for _, c := range s.order {
		for _, r := range c.ranges {
			c.main = append(c.main, decodeRange(c.code[:r.end], int(r.start), c.starts)...)
		}
		for o := range c.starts {
			c.seen[o] = true
		}
		for _, d := range c.main {
			if why := privileged(d.inst); why != "" {
				s.flag(place{c.idx, d.off}, x86asm.IntelSyntax(d.inst, 0, nil), why)
			}
		}
	}
	for _, r := range rs {
		s.checkPatch(r)
	}
	// Addresses taken by data, or by code bytes no instruction covers
	// (checkPatch reported those).
	for _, r := range rs {
		if c := s.code[r.sec]; c == nil || c.containing(int64(r.off)) == nil {
			s.fromReloc(r, nil)
		}
	}
	for _, c := range s.order {
		for _, d := range c.main {
			s.targetsOf(c, d)
		}
	}
	for len(s.work) > 0 && !s.over {
		p := s.work[len(s.work)-1]
		s.work = s.work[:len(s.work)-1]
		s.follow(s.code[p.sec], p.off)
	}
	return s.findings()
}

// containing returns the instruction of the linear decoding holding off.
func (c *codeSec) containing(off int64) *decoded {
	i := sort.Search(len(c.main), func(i int) bool { return int64(c.main[i].end()) > off })
	if i < len(c.main) && int64(c.main[i].off) <= off {
		return &c.main[i]
	}
	return nil
}

// checkPatch reports a relocation the loader applies outside its section
// (it checks no bounds), or to code beyond one instruction's operand.
func (s *scanner) checkPatch(r reloc) {
	w := uint64(r.width())
	if w == 0 {
		return // the loader refuses the module
	}
	if size := s.sizes[r.sec]; r.off > size || w > size-r.off {
		s.flag(place{r.sec, int(min(r.off, size))}, "(relocation past its section)",
			fmt.Sprintf("the loader writes %d bytes at %s+%#x (%s), outside the section: it patches memory the check cannot name", w, s.names[r.sec], r.off, r))
		return
	}
	c := s.code[r.sec]
	if c == nil {
		return
	}
	d := c.containing(int64(r.off))
	if d == nil || r.off+w > uint64(d.end()) || !operandOnly(c.code, *d, int(r.off), int(w)) {
		text, at := "(relocated bytes)", int(r.off)
		if d != nil {
			text, at = x86asm.IntelSyntax(d.inst, 0, nil), d.off
		}
		s.flag(place{c.idx, at}, text, fmt.Sprintf("the loader rewrites code at %s+%#x (%s) beyond an instruction's operand: what runs is not what the file shows", c.name, r.off, r))
	}
}

// operandOnly reports whether the w bytes at off in d are an operand: any
// value there decodes to the same instruction, of the same length.
func operandOnly(code []byte, d decoded, off, w int) bool {
	b := slices.Clone(code[d.off:d.end()])
	for _, fill := range []byte{0x00, 0xff, 0x5a} {
		for i := off - d.off; i < off-d.off+w; i++ {
			b[i] = fill
		}
		in, err := x86asm.Decode(b, 64)
		if err != nil || in.Len != d.inst.Len || in.Op != d.inst.Op {
			return false
		}
	}
	return true
}

// fromReloc follows the address r makes when it lands in code; by is the
// instruction holding it, nil for an address stored in data. A
// PC-relative value counts from the end of the instruction holding it (of
// the field itself in data: the kernel's tables add it to its own place).
func (s *scanner) fromReloc(r reloc, by *decoded) {
	c := s.code[r.symSec]
	if c == nil {
		return
	}
	t := int64(r.value) + r.addend
	if r.pcRelative() && s.code[r.sec] != nil {
		if by != nil {
			t += int64(by.end()) - int64(r.off)
		} else {
			t += int64(r.width()) // a rel32 ends its instruction
		}
	}
	s.reach(c, t, place{r.sec, int(r.off)}, by)
}

// targetsOf follows what instruction d of c names: the addresses its
// relocations make, else its direct branch's target in c.
func (s *scanner) targetsOf(c *codeSec, d decoded) {
	i := sort.Search(len(c.relocs), func(i int) bool { return c.relocs[i].off >= uint64(d.off) })
	relocated := false
	for ; i < len(c.relocs) && c.relocs[i].off < uint64(d.end()); i++ {
		relocated = true
		s.fromReloc(c.relocs[i], &d)
	}
	if rel, ok := branchRel(d.inst); ok && !relocated {
		s.reach(c, int64(d.end())+int64(rel), place{c.idx, d.off}, &d)
	}
}

// reach notes that code may start at off in c, as from (by, if an
// instruction) says.
func (s *scanner) reach(c *codeSec, off int64, from place, by *decoded) {
	if off < 0 || off > int64(len(c.code)) {
		s.flagFrom(from, by, "(address outside its section)",
			fmt.Sprintf("names %s%+#x, outside that section's %d bytes: the loader places sections side by side, so it reaches code the check cannot name", c.name, off, len(c.code)))
		return
	}
	o := int(off)
	if o == len(c.code) || c.starts[o] {
		return
	}
	switch {
	case by == nil && unwindOnly[s.names[from.sec]]:
		// Decoded, but not reported: see unwindOnly.
	case by != nil:
		why := "takes the address " + c.name + fmt.Sprintf("+%#x", o) + ", inside an instruction: code a plain disassembly does not show"
		if _, ok := branchRel(by.inst); ok {
			why = "branches into the middle of an instruction, to code a plain disassembly does not show"
			if from.sec != c.idx {
				why = fmt.Sprintf("branches into the middle of an instruction (%s+%#x), to code a plain disassembly does not show", c.name, o)
			}
		}
		s.flag(place{from.sec, by.off}, x86asm.IntelSyntax(by.inst, 0, nil), why)
	default:
		why := fmt.Sprintf("an address the module stores (%s+%#x) points inside this instruction, at %s+%#x: code a plain disassembly does not show",
			s.names[from.sec], from.off, c.name, o)
		if d := c.containing(off); d != nil {
			s.flag(place{c.idx, d.off}, x86asm.IntelSyntax(d.inst, 0, nil), why)
		} else {
			s.flag(place{c.idx, o}, "(address into code)", why)
		}
	}
	if !c.seen[o] && !c.hidden[o] {
		c.hidden[o] = true
		s.work = append(s.work, place{c.idx, o})
	}
}

// flagFrom reports at the instruction by, or at the place from when the
// address is stored in data.
func (s *scanner) flagFrom(from place, by *decoded, text, why string) {
	if by != nil {
		s.flag(place{from.sec, by.off}, x86asm.IntelSyntax(by.inst, 0, nil), why)
		return
	}
	s.flag(from, text, fmt.Sprintf("an address the module stores (%s+%#x) ", s.names[from.sec], from.off)+why)
}

// follow decodes a hidden stream from off until it meets code already
// decoded, and follows its branches and addresses.
func (s *scanner) follow(c *codeSec, from int) {
	for off := from; off < len(c.code) && (off == from || !c.seen[off]); {
		if s.steps >= maxHidden {
			s.over = true
			return
		}
		s.steps++
		c.seen[off] = true
		if isEndbr(c.code[off:]) {
			off += 4
			continue
		}
		inst, err := x86asm.Decode(c.code[off:], 64)
		if err != nil || inst.Len == 0 {
			off++
			continue
		}
		if why := privileged(inst); why != "" {
			s.flag(place{c.idx, off}, x86asm.IntelSyntax(inst, 0, nil), why+" (hidden inside other instructions)")
		}
		s.targetsOf(c, decoded{off, inst})
		off += inst.Len
	}
}

// flag records a finding; the first at a place stands.
func (s *scanner) flag(p place, text, why string) {
	if _, ok := s.found[p]; ok {
		return
	}
	if len(s.found) >= maxFindings {
		s.more++
		return
	}
	name, off := s.names[p.sec], uint64(max(p.off, 0))
	if c := s.code[p.sec]; c != nil {
		i := sort.Search(len(c.ranges), func(i int) bool { return int(c.ranges[i].end) > p.off })
		if i < len(c.ranges) && p.off >= int(c.ranges[i].start) {
			name, off = c.ranges[i].name, off-c.ranges[i].start
		}
	}
	s.found[p] = Instruction{Function: name, Section: s.names[p.sec], Offset: off, Text: text, Why: why}
}

// findings lists the findings by section, then offset.
func (s *scanner) findings() []Instruction {
	ps := make([]place, 0, len(s.found))
	for p := range s.found {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].sec != ps[j].sec {
			return ps[i].sec < ps[j].sec
		}
		return ps[i].off < ps[j].off
	})
	out := make([]Instruction, 0, len(ps)+2)
	for _, p := range ps {
		out = append(out, s.found[p])
	}
	if s.more > 0 {
		out = append(out, Instruction{Function: "code", Section: "code", Text: "(more findings)",
			Why: fmt.Sprintf("%d more findings, not listed", s.more)})
	}
	if s.over {
		out = append(out, Instruction{Function: "code", Section: "code", Text: "(too much hidden code)",
			Why: fmt.Sprintf("more than %d instructions hidden inside other instructions: the check stopped following them; review it by hand", maxHidden)})
	}
	return out
}

// decodeRange decodes code[from:] linearly, marking each instruction's
// start. A byte the decoder does not know is stepped over; on compiled
// code the decoder is back on the real boundaries within a few bytes.
func decodeRange(code []byte, from int, starts map[int]bool) []decoded {
	var out []decoded
	for off := from; off < len(code); {
		if isEndbr(code[off:]) {
			starts[off] = true
			off += 4
			continue
		}
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil || inst.Len == 0 {
			off++
			continue
		}
		starts[off] = true
		out = append(out, decoded{off, inst})
		off += inst.Len
	}
	return out
}

// branchRel is a direct branch's displacement, from the end of the
// instruction, as the file holds it (zero when a relocation fills it).
func branchRel(inst x86asm.Inst) (int64, bool) {
	for _, a := range inst.Args {
		if r, ok := a.(x86asm.Rel); ok {
			return int64(r), true
		}
	}
	return 0, false
}
