package agent

import "strings"

// faultHeadline starts the kernel's report of an injected failure; the
// stack of the allocation follows (dump_stack).
const faultHeadline = "FAULT_INJECTION: forcing a failure."

// classify tells from the kernel log lines of a load where its injected
// allocation failure happened: the first fault report's stack runs
// through do_one_initcall when the module's init made the allocation,
// through do_init_module when the kernel did after init, and through
// neither while the kernel was still loading the module.
func classify(lines []string) site {
	for i, l := range lines {
		if strings.TrimSpace(l) != faultHeadline {
			continue
		}
		where := siteBefore
		for _, f := range lines[i+1:] {
			t := strings.TrimSpace(f)
			switch {
			case t == "</TASK>" || t == faultHeadline:
				return where
			case strings.HasPrefix(t, "do_one_initcall+"):
				return siteInit
			case strings.HasPrefix(t, "do_init_module+"):
				where = siteAfter
			}
		}
		return where
	}
	return siteUnknown
}
