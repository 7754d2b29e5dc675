package check

import (
	"debug/elf"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
)

// A module can leave work behind that runs after its rmmod (a timer, a
// work item) and faults in its freed code while another module's step
// runs. The kernel then names no module, or the one last unloaded; the
// step it interrupted is innocent. The host knows where each module's code
// sat (the section addresses the agent read after insmod, the section
// sizes from the .ko), so a fault whose instruction pointer falls in a
// module's code is charged to that module, and the interrupted module runs
// again in a fresh VM.

// codeRange is where one section of a module's code sat in the guest.
type codeRange struct {
	owner      int // position in pending
	loadedAt   int // the step (in plan order) whose insmod put it there
	start, end uint64
}

// codeRanges lists the executable sections of every module the VM loaded.
func codeRanges(v *vmPlan, recs *records) []codeRange {
	pending, owners := v.pending, v.owners
	var out []codeRange
	sizes := map[int]map[string]uint64{}
	for si, e := range recs.end {
		if e == nil || len(e.Sections) == 0 {
			continue
		}
		o := owners[si]
		if sizes[o] == nil {
			sizes[o] = loadedSections(pending[o].ko)
		}
		for name, addr := range e.Sections {
			if n := sizes[o][name]; n > 0 {
				out = append(out, codeRange{owner: o, loadedAt: si, start: addr, end: addr + n})
			}
		}
	}
	return out
}

// loadedSections reads the sizes of the sections of a .ko the kernel
// loads: its code, and its data (a timer_list in a module's .bss is what a
// timer left armed faults on).
func loadedSections(ko string) map[string]uint64 {
	f, err := elf.Open(ko)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]uint64{}
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Size > 0 {
			out[s.Name] = s.Size
		}
	}
	return out
}

// faultAddr finds the addresses a report blames: the faulting
// instruction's ("RIP: 0010:0xffffffffc0a1b010", code no symbol covers: a
// freed module; the pc of an arm64 report) and the address it could not
// reach ("unable to handle page fault for address: ffffffffc04343c8": the
// kernel's timer code reading a timer_list in a freed module's data).
var faultAddr = regexp.MustCompile(`(?:RIP: 0010:|pc : |page fault for address: |paging request at virtual address )(?:0x)?([0-9a-f]{16})\b`)

// culprit returns the module whose code or data a failure touched, or -1.
// The kernel hands a freed module's addresses to the next module it
// loads, so several may have sat there: the culprit is the one of ranges
// loaded there last (give it the ranges loaded by the failing step: a
// module unloaded earlier cannot fault in code a later load replaced).
// Only the addresses count, never a module name in the text: a module can
// print a report naming another.
func culprit(f *kmsg.Failure, ranges []codeRange) int {
	for _, l := range f.Lines {
		for _, m := range faultAddr.FindAllStringSubmatch(l, -1) {
			addr, err := strconv.ParseUint(m[1], 16, 64)
			if err != nil {
				continue
			}
			last := codeRange{owner: -1, loadedAt: -1}
			for _, r := range ranges {
				if addr >= r.start && addr < r.end && r.loadedAt > last.loadedAt {
					last = r
				}
			}
			if last.owner >= 0 {
				return last.owner
			}
		}
	}
	return -1
}

// attributeCrashes moves each kernel failure in one module's step that ran
// in another module's code to that module, and returns the positions of
// the modules whose steps were interrupted (to run again).
func attributeCrashes(v *vmPlan, recs *records, r *result.Report) []int {
	return attribute(v, codeRanges(v, recs), r)
}

func attribute(v *vmPlan, ranges []codeRange, r *result.Report) []int {
	pending := v.pending
	names := make([]string, len(pending))
	for i, b := range pending {
		names[i] = kernelName(b.ko)
	}
	var victims []int
	for vi, b := range pending {
		m := &r.Modules[b.index]
		for si, gi := range moduleSteps(v, vi) {
			if si >= len(m.Steps) {
				break
			}
			s := &m.Steps[si]
			if s.Verdict != result.Crash && s.Verdict != result.Timeout {
				continue
			}
			for _, f := range s.Failures {
				c := culprit(f, loadedBy(ranges, gi))
				if c < 0 || c == vi && !leftover(v.p.Steps[gi], s, f) {
					continue
				}
				if c == vi {
					leftRunning(s, m.Name, "after its rmmod returned", f)
					break
				}
				charge(&r.Modules[pending[c].index], f, s.Name)
				s.Verdict, s.Cause = result.Skipped, result.Interrupted
				s.Reason = fmt.Sprintf("interrupted: code of %s (loaded earlier) faulted during this step; this module runs again in a fresh VM", names[c])
				victims = append(victims, vi)
				break
			}
		}
	}
	return victims
}

// loadedBy keeps the ranges that step, or a step before it, loaded.
func loadedBy(ranges []codeRange, step int) []codeRange {
	var out []codeRange
	for _, r := range ranges {
		if r.loadedAt <= step {
			out = append(out, r)
		}
	}
	return out
}

// moduleSteps lists, in order, the plan positions of module vi's steps.
func moduleSteps(v *vmPlan, vi int) []int {
	var out []int
	for gi, o := range v.owners {
		if o == vi {
			out = append(out, gi)
		}
	}
	return out
}

// leftover reports whether a fault f in the step's own module's code is
// code it left running: the step is an rmmod, and it returned (so the
// module's code was freed) or the fault found the module's page gone (not
// present: freed, since a loaded module's pages are all mapped), and
// something of it (a thread, a timer) ran on. A thread that wakes the
// moment its module is freed faults before the rmmod's result is sent.
func leftover(st plan.Step, s *result.Step, f *kmsg.Failure) bool {
	if st.Action != plan.Rmmod {
		return false
	}
	if s.Status == string(plan.OK) {
		return true
	}
	for _, l := range f.Lines {
		if strings.Contains(l, "- not-present page") || strings.Contains(l, "translation fault") {
			return true
		}
	}
	return false
}

// charge gives module m the failure its leftover code caused: on its last
// step that ran, which is when it should have cleaned up.
func charge(m *result.Module, f *kmsg.Failure, during string) {
	last := -1
	for i, s := range m.Steps {
		if s.Ran() {
			last = i
		}
	}
	if last < 0 {
		return
	}
	s := &m.Steps[last]
	s.Failures = append(s.Failures, f)
	leftRunning(s, m.Name, "during "+during, f)
	m.Summarize()
}

// leftRunning marks step s, module name's last, as the one that left code
// running, which faulted when says with failure f. The module ran to its
// end, so the step keeps the parts it earned but unload (its finding).
func leftRunning(s *result.Step, name, when string, f *kmsg.Failure) {
	s.Verdict, s.Cause = result.Crash, result.LeftRunning
	s.Findings = append(s.Findings, result.Finding{Kind: result.Lingering,
		Text: "code of " + name + " ran after its rmmod, " + when})
	s.Reason = fmt.Sprintf("%s left code running that faulted later, %s (a timer, work item or thread not stopped at rmmod):\n%s",
		name, when, strings.TrimSpace(f.Error()))
}
