// Package symbol maps a frame of a kernel report, "func+0x1c/0x1000 [mod]",
// to the module's source line, through the .ko's debug info.
//
// A .ko is a relocatable object: each section (.text, .init.text, ...)
// starts at address 0, so an offset means nothing without its section.
// debug/elf finds the function's section and value; binutils' addr2line,
// which reads the line table section by section (-j), gives the line.
package symbol

import (
	"context"
	"debug/elf"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Location is where a frame's code comes from.
type Location struct {
	Func string
	File string
	Line int
}

func (l Location) String() string { return fmt.Sprintf("%s:%d (%s)", l.File, l.Line, l.Func) }

// Frame is a parsed "func+0xoff/0xlen [mod]".
type Frame struct {
	Func   string
	Offset uint64
	Module string
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
	return Frame{Func: m[1], Offset: off, Module: m[3]}, true
}

// Locate finds f's source line in the module file ko.
func Locate(ctx context.Context, ko string, f Frame) (Location, error) {
	sec, addr, err := find(ko, f)
	if err != nil {
		return Location{}, err
	}
	if _, err := exec.LookPath("addr2line"); err != nil {
		return Location{}, fmt.Errorf("locate %s: addr2line not found: apt-get install binutils", f.Func)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "addr2line", "-e", ko, "-j", sec, "-f", fmt.Sprintf("%#x", addr)).Output()
	if err != nil {
		return Location{}, fmt.Errorf("locate %s: addr2line: %w", f.Func, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		return Location{}, fmt.Errorf("locate %s: addr2line said %q", f.Func, out)
	}
	file, lineStr, _ := strings.Cut(lines[1], ":")
	lineStr, _, _ = strings.Cut(lineStr, " ") // "12 (discriminator 1)"
	n, err := strconv.Atoi(lineStr)
	if err != nil || file == "??" {
		return Location{}, fmt.Errorf("locate %s: no line information (was the module built without debug info?)", f.Func)
	}
	return Location{Func: lines[0], File: file, Line: n}, nil
}

// find returns the section holding f's function and the address within it.
func find(ko string, f Frame) (string, uint64, error) {
	ef, err := elf.Open(ko)
	if err != nil {
		return "", 0, fmt.Errorf("locate %s: %w", f.Func, err)
	}
	defer ef.Close()
	syms, err := ef.Symbols()
	if err != nil {
		return "", 0, fmt.Errorf("locate %s: symbols of %s: %w", f.Func, ko, err)
	}
	for _, s := range syms {
		if s.Name != f.Func || elf.ST_TYPE(s.Info) != elf.STT_FUNC || int(s.Section) >= len(ef.Sections) {
			continue
		}
		return ef.Sections[s.Section].Name, s.Value + f.Offset, nil
	}
	return "", 0, fmt.Errorf("locate %s: no function %s in %s", f.Func, f.Func, ko)
}
