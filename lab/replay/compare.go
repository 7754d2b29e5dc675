package replay

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Outcome is a replayed step beside the report's.
type Outcome struct {
	Ref      Ref
	Was, Now result.Step
	Report   *Report
	Kernel   *kernel.Kernel
	Seed     uint64
	Ran      []string // the modules (tasks) the replay ran, in order
	// Same says the verdict, its cause and every value the host drew
	// (names, sizes, addresses asked for, pids) are the report's.
	Same bool
	// Values are the step's facts, compared one by one.
	Values []Value
}

// Value is one fact of the step, then and now.
type Value struct {
	Name, Was, Now string
	// Measured facts are read by the guest from the machine (physical
	// addresses, resident sizes, kernel stacks): they may differ from
	// run to run without saying anything about the module.
	Measured bool
}

// measured are the facts the guest reads from the machine rather than
// the host draws (see plan.Facts).
var measured = map[string]bool{"phys": true, "pfn": true, "huge_phys": true, "vmsize_kb": true, "vmrss_kb": true,
	"addrs": true, "pid1_stack": true, "pid1_stack_error": true, "thread_size": true}

func isMeasured(fact string) bool {
	_, name, _ := strings.Cut(fact, ".")
	return measured[name] || strings.HasSuffix(name, "_after")
}

// compare fills Values and Same.
func (o *Outcome) compare() {
	names := map[string]bool{}
	for k := range o.Was.Facts {
		names[k] = true
	}
	for k := range o.Now.Facts {
		names[k] = true
	}
	o.Values = nil
	o.Same = o.Was.Verdict == o.Now.Verdict && o.Was.Cause == o.Now.Cause
	for k := range names {
		v := Value{Name: k, Was: o.Was.Facts[k], Now: o.Now.Facts[k], Measured: isMeasured(k)}
		if !v.Measured && v.Was != v.Now {
			o.Same = false
		}
		o.Values = append(o.Values, v)
	}
	sort.Slice(o.Values, func(i, j int) bool { return o.Values[i].Name < o.Values[j].Name })
}

// Write prints the outcome for a person.
func (o *Outcome) Write(w io.Writer) {
	r := o.Report
	what := "modules"
	if r.Grade {
		what = "tasks"
	}
	fmt.Fprintf(w, "replay of %s (%s) from %s: kernel %s, seed %d, %s %s\n\n", o.Ref, o.Now.Name, r.where(), o.Kernel.Name, o.Seed,
		what, strings.Join(o.Ran, " "))
	if !r.saved() {
		o.writeNow(w)
		return
	}
	if r.Release != "" && o.Kernel.Release != r.Release || r.BuildID != "" && o.Kernel.BuildID != "" && o.Kernel.BuildID != r.BuildID {
		fmt.Fprintf(w, "note: the report ran on %s (build-id %s), this kernel is %s (build-id %s): values repeat on the same kernel build only\n\n",
			r.Release, short(r.BuildID), o.Kernel.Release, short(o.Kernel.BuildID))
	}
	fmt.Fprintf(w, "  %-22s %-28s %s\n", "", "NOW", "REPORT")
	fmt.Fprintf(w, "  %-22s %-28s %s%s\n", "verdict", verdict(o.Now), verdict(o.Was), mark(verdict(o.Now) == verdict(o.Was), false))
	for _, v := range o.Values {
		fmt.Fprintf(w, "  %-22s %-28s %s%s\n", v.Name, orDash(v.Now), orDash(v.Was), mark(v.Now == v.Was, v.Measured))
	}
	if o.Now.Reason != "" {
		fmt.Fprintf(w, "\n%s\n", indent(o.Now.Reason))
	}
	for _, d := range o.Now.Diff {
		fmt.Fprintf(w, "    %s\n", d)
	}
	if o.Same {
		fmt.Fprintln(w, "\nsame verdict and values as the report")
	} else {
		fmt.Fprintln(w, "\nthe replay differs from the report (marked !=)")
	}
}

func verdict(s result.Step) string {
	v := strings.ToUpper(string(s.Verdict))
	if s.Cause != "" {
		v += " (" + string(s.Cause) + ")"
	}
	return v
}

func mark(same, measured bool) string {
	switch {
	case same:
		return ""
	case measured:
		return "   (measured by the guest: may differ)"
	}
	return "   !="
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func short(s string) string { return s[:min(len(s), 12)] }

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

// writeNow prints the step with no report to hold it against.
func (o *Outcome) writeNow(w io.Writer) {
	fmt.Fprintf(w, "  %-22s %s\n", "verdict", verdict(o.Now))
	for _, v := range o.Values {
		fmt.Fprintf(w, "  %-22s %s\n", v.Name, orDash(v.Now))
	}
	if o.Now.Reason != "" {
		fmt.Fprintf(w, "\n%s\n", indent(o.Now.Reason))
	}
	for _, d := range o.Now.Diff {
		fmt.Fprintf(w, "    %s\n", d)
	}
}
