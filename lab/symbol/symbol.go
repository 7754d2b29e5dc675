// Package symbol maps a frame of a kernel report, "func+0x1c/0x1000 [mod]",
// to the module's source line, through the .ko's debug info.
//
// A .ko is a relocatable object: each section (.text, .init.text, ...)
// starts at address 0, so an offset means nothing without its section.
// debug/elf finds the function's section and value; binutils' addr2line,
// which reads the line table section by section (-j), gives the line.
//
// A flood of oops-like lines must not cost minutes after the VM is gone:
// LocateAll asks one addr2line per section (a module's frames are nearly
// always all in .text) for all of a module's frames at once, under one
// deadline, for at most MaxFrames distinct frames.
package symbol

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Location is where a frame's code comes from: the innermost function
// (an inlined one, such as kmalloc, when the address lies in its inlined
// code) and, in Inlined, the functions it was inlined into, innermost
// first, up to the one the symbol names.
type Location struct {
	Func    string
	File    string
	Line    int
	Inlined []Location
}

// Within returns the innermost place of l's inline chain whose file
// starts with dir (a module's own source, not a kernel header it
// inlined), else l itself.
func (l Location) Within(dir string) Location {
	own := filepath.Clean(dir) + string(filepath.Separator)
	for _, c := range append([]Location{l}, l.Inlined...) {
		if strings.HasPrefix(filepath.Clean(c.File), own) {
			c.Inlined = nil
			return c
		}
	}
	return l
}

func (l Location) String() string { return fmt.Sprintf("%s:%d (%s)", l.File, l.Line, l.Func) }

// Found reports whether l names a source line.
func (l Location) Found() bool { return l.Line > 0 }

// Frame is a parsed "func+0xoff/0xlen [mod]".
type Frame struct {
	Func   string
	Offset uint64
	Module string
	// Return says Offset is a return address (a call trace's frame, not
	// the faulting instruction): the call is the byte before it, which
	// may belong to the previous source line.
	Return bool
}

var frameRE = regexp.MustCompile(`([A-Za-z0-9_.$]+)\+0x([0-9a-f]+)/0x[0-9a-f]+ \[([A-Za-z0-9_-]+)\]`)

// ParseFrame finds a module frame in a report line ("RIP: 0010:f+0x1c/0x1000
// [oops]", or a call trace line).
func ParseFrame(line string) (Frame, bool) {
	m := frameRE.FindStringSubmatch(line)
	if m == nil {
		return Frame{}, false
	}
	off, err := strconv.ParseUint(m[2], 16, 64)
	if err != nil {
		return Frame{}, false
	}
	return Frame{Func: m[1], Offset: off, Module: m[3], Return: !atInstruction(line)}, true
}

// atInstruction reports whether a report line names the instruction that
// trapped or warned (x86's RIP line, arm64's pc line, a WARNING's "at")
// rather than a return address (a call trace, arm64's lr, lockdep's
// "at:" of an acquired lock).
func atInstruction(line string) bool {
	t := strings.TrimSpace(line)
	return strings.Contains(t, "RIP: ") || strings.HasPrefix(t, "pc : ") || strings.HasPrefix(t, "WARNING: CPU: ")
}
