package symbol

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
)

// MaxFrames is how many distinct frames one LocateAll call places; the
// rest get no Location.
const MaxFrames = 64

// Timeout bounds one LocateAll call, all its addr2line runs together.
const Timeout = 5 * time.Second

// maxAddr2lineOutput bounds what is read of addr2line's answer: file names
// come from the module's debug info, which a student's build wrote.
const maxAddr2lineOutput = 1 << 20

// Locate finds f's source line in the module file ko.
func Locate(ctx context.Context, ko string, f Frame) (Location, error) {
	locs, errs, err := locateAll(ctx, ko, []Frame{f})
	if err != nil {
		return Location{}, err
	}
	return locs[0], errs[0]
}

// LocateAll finds the source lines of frames in the module file ko:
// locs[i] is frames[i]'s, the zero Location where it has none (no such
// function, no line information, past MaxFrames). The error is for the
// call as a whole: an unreadable ko, no addr2line, the deadline.
func LocateAll(ctx context.Context, ko string, frames []Frame) ([]Location, error) {
	locs, _, err := locateAll(ctx, ko, frames)
	return locs, err
}

// query is one distinct address to ask addr2line about.
type query struct {
	sec  string
	addr uint64
	at   []int // the indexes of the frames it answers
}

func locateAll(ctx context.Context, ko string, frames []Frame) ([]Location, []error, error) {
	locs, errs := make([]Location, len(frames)), make([]error, len(frames))
	if len(frames) == 0 {
		return locs, errs, nil
	}
	bySec, err := plan(ko, frames, errs)
	if err != nil {
		return nil, nil, err
	}
	if len(bySec) == 0 {
		return locs, errs, nil
	}
	tool, err := addr2lineFor(ko)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	secs := make([]string, 0, len(bySec))
	for s := range bySec {
		secs = append(secs, s)
	}
	sort.Strings(secs)
	for _, sec := range secs {
		if err := ask(ctx, tool, ko, sec, bySec[sec], frames, locs, errs); err != nil {
			return locs, errs, err
		}
	}
	return locs, errs, nil
}

// plan finds each frame's section and address, merging equal frames and
// stopping at MaxFrames distinct ones; it fills errs for frames it cannot
// place.
func plan(ko string, frames []Frame, errs []error) (map[string][]*query, error) {
	funcs, err := functions(ko)
	if err != nil {
		return nil, err
	}
	bySec := map[string][]*query{}
	seen := map[Frame]*query{}
	for i, f := range frames {
		if q := seen[f]; q != nil {
			q.at = append(q.at, i)
			continue
		}
		fn, ok := funcs[f.Func]
		switch {
		case !ok:
			errs[i] = fmt.Errorf("locate %s: no function %s in %s", f.Func, f.Func, ko)
		case len(seen) == MaxFrames:
			errs[i] = fmt.Errorf("locate %s: past the first %d distinct frames", f.Func, MaxFrames)
		default:
			addr := fn.value + f.Offset
			if f.Return && f.Offset > 0 {
				addr-- // inside the call instruction
			}
			q := &query{sec: fn.sec, addr: addr, at: []int{i}}
			seen[f] = q
			bySec[q.sec] = append(bySec[q.sec], q)
		}
	}
	return bySec, nil
}

// crossAddr2line names, by a module's ELF machine, the binutils that
// apply that architecture's relocations to its debug info: the host's
// addr2line reads an arm64 .ko's functions but finds no line ("?"),
// since the line table's addresses are relocations it cannot apply.
var crossAddr2line = map[elf.Machine]struct{ tool, pkg string }{
	elf.EM_AARCH64: {"aarch64-linux-gnu-addr2line", "binutils-aarch64-linux-gnu"},
	elf.EM_X86_64:  {"x86_64-linux-gnu-addr2line", "binutils-x86-64-linux-gnu"},
}

// addr2lineFor returns the addr2line that reads ko: the host's for the
// host's architecture, else the cross binutils' one.
func addr2lineFor(ko string) (string, error) {
	ef, err := elf.Open(ko)
	if err != nil {
		return "", fmt.Errorf("locate in %s: %w", ko, err)
	}
	m := ef.Machine
	ef.Close()
	if c, ok := crossAddr2line[m]; ok && m != hostMachine() {
		if _, err := exec.LookPath(c.tool); err != nil {
			return "", fmt.Errorf("locate in %s: %s not found: apt-get install %s", ko, c.tool, c.pkg)
		}
		return c.tool, nil
	}
	if _, err := exec.LookPath("addr2line"); err != nil {
		return "", fmt.Errorf("locate in %s: addr2line not found: apt-get install binutils", ko)
	}
	return "addr2line", nil
}

// hostMachine is the ELF machine of the host's own code.
func hostMachine() elf.Machine {
	if runtime.GOARCH == "arm64" {
		return elf.EM_AARCH64
	}
	return elf.EM_X86_64
}

// function is where a function symbol is.
type function struct {
	sec   string
	value uint64
}

// functions reads ko's function symbols.
func functions(ko string) (map[string]function, error) {
	ef, err := elf.Open(ko)
	if err != nil {
		return nil, fmt.Errorf("locate in %s: %w", ko, err)
	}
	defer ef.Close()
	syms, err := ef.Symbols()
	if err != nil {
		return nil, fmt.Errorf("locate in %s: read symbols: %w", ko, err)
	}
	funcs := map[string]function{}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || int(s.Section) >= len(ef.Sections) {
			continue
		}
		if _, dup := funcs[s.Name]; !dup {
			funcs[s.Name] = function{sec: ef.Sections[s.Section].Name, value: s.Value}
		}
	}
	return funcs, nil
}

// ask runs one addr2line for all queries of one section.
func ask(ctx context.Context, tool, ko, sec string, qs []*query, frames []Frame, locs []Location, errs []error) error {
	argv := []string{tool, "-e", ko, "-j", sec, "-a", "-f", "-i"}
	for _, q := range qs {
		argv = append(argv, "0x"+strconv.FormatUint(q.addr, 16))
	}
	out := &capped{max: maxAddr2lineOutput}
	if _, err := command.Run(ctx, argv, command.Options{Stdout: out, Env: []string{"LC_ALL=C"}}); err != nil {
		var ce *command.Error
		if errors.As(err, &ce) && (ce.How == command.TimedOut || ce.How == command.Canceled) {
			return fmt.Errorf("locate in %s: addr2line gave no answer within %v: %w", ko, Timeout, err)
		}
		return fmt.Errorf("locate in %s: %w", ko, err)
	}
	answers := splitAnswers(strings.Split(strings.TrimRight(out.String(), "\n"), "\n"), qs)
	for j, q := range qs {
		loc, err := parseAnswer(answers[j])
		for _, i := range q.at {
			if err != nil {
				errs[i] = fmt.Errorf("locate %s: %w", frames[i].Func, err)
				continue
			}
			locs[i] = loc
		}
	}
	return nil
}

// splitAnswers cuts addr2line -a -f -i output into one answer per
// query: each starts with the query's address, "0x" and 16 hex digits,
// followed by function and "file:line" pairs, innermost first. An address
// line is looked for only where a pair would start, so a file named like
// an address cannot end an answer early.
func splitAnswers(lines []string, qs []*query) [][]string {
	answers := make([][]string, len(qs))
	j := -1 // the answer being read
	for _, l := range lines {
		atPair := j < 0 || len(answers[j])%2 == 0
		if atPair && j+1 < len(qs) && l == fmt.Sprintf("0x%016x", qs[j+1].addr) {
			j++
			continue
		}
		if j >= 0 {
			answers[j] = append(answers[j], l)
		}
	}
	return answers
}

// parseAnswer reads one answer of addr2line -f -i: function and
// "file:line" (or "file:line (discriminator N)") pairs, innermost first.
func parseAnswer(lines []string) (Location, error) {
	var chain []Location
	for i := 0; i+1 < len(lines); i += 2 {
		file, lineStr, _ := strings.Cut(lines[i+1], ":")
		lineStr, _, _ = strings.Cut(lineStr, " ")
		n, err := strconv.Atoi(lineStr)
		if err != nil || file == "??" || n <= 0 {
			break
		}
		chain = append(chain, Location{Func: lines[i], File: file, Line: n})
	}
	if len(chain) == 0 {
		return Location{}, errors.New("no line information (was the module built without debug info?)")
	}
	loc := chain[0]
	if len(chain) > 1 {
		loc.Inlined = chain[1:]
	}
	return loc, nil
}

// capped keeps the first max bytes written to it.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
