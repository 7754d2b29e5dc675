package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lkmlab/lkmlab/lab/result"
)

// WriteKTAP writes the report in KTAP version 1 (the kernel's
// Documentation/dev-tools/ktap.rst): one test per module, with its steps
// as a nested, indented subtest. Skipped steps carry SKIP, hung ones
// TIMEOUT, crashes and build errors ERROR; reasons and diffs follow as
// "#" diagnostic lines.
func WriteKTAP(w io.Writer, r *result.Report) error {
	var tests []*KTAPTest
	for _, m := range r.Modules {
		t := ktapTest(m.Name, m.Verdict, m.Error, nil)
		for _, s := range m.Steps {
			t.Subtests = append(t.Subtests, ktapTest(s.Name, s.Verdict, s.Reason, s.Diff))
		}
		tests = append(tests, t)
	}
	return EncodeKTAP(w, fmt.Sprintf("lkmlab: kernel %s (%s), accel %s, seed %d", r.Kernel, r.Release, r.Accel.Name, r.Seed), tests)
}

// ktapTest maps a verdict to a KTAP result.
func ktapTest(name string, v result.Verdict, reason string, diff []string) *KTAPTest {
	t := &KTAPTest{Name: name, OK: v == result.Pass || v == result.Skipped}
	first, rest, _ := strings.Cut(strings.TrimSpace(reason), "\n")
	switch v {
	case result.Skipped:
		t.Directive, t.Reason = "SKIP", first
	case result.Timeout:
		t.Directive, t.Reason = "TIMEOUT", first
	case result.Crash, result.BuildError:
		t.Directive, t.Reason = "ERROR", string(v)
		t.Diag = append(t.Diag, first)
	default:
		if first != "" {
			t.Diag = append(t.Diag, first)
		}
	}
	for _, l := range strings.Split(rest, "\n") {
		if strings.TrimSpace(l) != "" {
			t.Diag = append(t.Diag, strings.TrimSpace(l))
		}
	}
	t.Diag = append(t.Diag, diff...)
	return t
}

// EncodeKTAP writes tests as a KTAP version 1 document, subtests
// indented four spaces under a "# Subtest:" line, as KUnit does.
func EncodeKTAP(w io.Writer, header string, tests []*KTAPTest) error {
	var b strings.Builder
	b.WriteString("KTAP version 1\n")
	if header != "" {
		fmt.Fprintf(&b, "# %s\n", header)
	}
	encodeLevel(&b, "", tests)
	_, err := io.WriteString(w, b.String())
	return err
}

func encodeLevel(b *strings.Builder, indent string, tests []*KTAPTest) {
	fmt.Fprintf(b, "%s1..%d\n", indent, len(tests))
	for i, t := range tests {
		if len(t.Subtests) > 0 {
			fmt.Fprintf(b, "%s    KTAP version 1\n%s    # Subtest: %s\n", indent, indent, PlainLine(t.Name))
			encodeLevel(b, indent+"    ", t.Subtests)
		}
		for _, d := range t.Diag {
			fmt.Fprintf(b, "%s# %s\n", indent, PlainLine(d))
		}
		status := "not ok"
		if t.OK {
			status = "ok"
		}
		line := fmt.Sprintf("%s%s %d %s", indent, status, i+1, ktapName(t.Name))
		if t.Directive != "" {
			line += " # " + strings.TrimSpace(t.Directive+" "+strings.ReplaceAll(PlainLine(t.Reason), "#", ""))
		}
		b.WriteString(line + "\n")
	}
}

// ktapName keeps a test name free of the "#" that starts a directive.
func ktapName(s string) string { return strings.ReplaceAll(PlainLine(s), "#", "_") }

// KTAPTest is one KTAP test: what EncodeKTAP writes.
type KTAPTest struct {
	Name      string
	OK        bool
	Directive string   // "SKIP", "TIMEOUT", "ERROR", ... or ""
	Reason    string   // after the directive (written, not parsed)
	Diag      []string // diagnostic lines before the result (written, not parsed)
	Subtests  []*KTAPTest
}
