package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/verdict"
)

// WriteKTAP writes the report in KTAP version 1 (the kernel's
// Documentation/dev-tools/ktap.rst): one test per module, with its steps
// as a nested, indented subtest. Skipped steps carry SKIP, hung ones
// TIMEOUT, crashes and build errors ERROR; reasons and diffs follow as
// "#" diagnostic lines.
func WriteKTAP(w io.Writer, r *check.Report) error {
	var b strings.Builder
	b.WriteString("KTAP version 1\n")
	fmt.Fprintf(&b, "# lkmlab: kernel %s (%s), accel %s, seed %d\n", r.Kernel, r.Release, r.Accel.Name, r.Seed)
	fmt.Fprintf(&b, "1..%d\n", len(r.Modules))
	for i, m := range r.Modules {
		b.WriteString("    KTAP version 1\n")
		fmt.Fprintf(&b, "    # Subtest: %s\n", m.Name)
		fmt.Fprintf(&b, "    1..%d\n", len(m.Steps))
		for j, s := range m.Steps {
			writeResult(&b, "    ", j+1, s.Name, s.Verdict, s.Reason)
			for _, d := range s.Diff {
				fmt.Fprintf(&b, "    # %s\n", d)
			}
		}
		writeResult(&b, "", i+1, m.Name, m.Verdict, m.Error)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeResult(b *strings.Builder, indent string, n int, name string, v verdict.Verdict, reason string) {
	first, rest, _ := strings.Cut(strings.TrimSpace(reason), "\n")
	first = strings.ReplaceAll(first, "#", "")
	status, directive := "ok", ""
	switch v {
	case verdict.Pass:
	case verdict.Skipped:
		directive = " # SKIP " + first
	case verdict.Timeout:
		status, directive = "not ok", " # TIMEOUT "+first
	case verdict.Crash, verdict.BuildError:
		status, directive = "not ok", " # ERROR "+string(v)
	default:
		status = "not ok"
	}
	if v != verdict.Skipped && v != verdict.Timeout && first != "" {
		fmt.Fprintf(b, "%s# %s\n", indent, first)
	}
	for _, l := range strings.Split(rest, "\n") {
		if strings.TrimSpace(l) != "" {
			fmt.Fprintf(b, "%s# %s\n", indent, strings.TrimSpace(l))
		}
	}
	fmt.Fprintf(b, "%s%s %d %s%s\n", indent, status, n, ktapName(name), strings.TrimRight(directive, " "))
}

// ktapName keeps a test name free of the "#" that starts a directive.
func ktapName(s string) string { return strings.ReplaceAll(s, "#", "_") }
