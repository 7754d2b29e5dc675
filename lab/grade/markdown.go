package grade

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/report"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Markdown renders a student's report: the points per task, then for each
// task that lost points the steps, the diff, the kernel log and the
// compiler's errors. Everything but the grader's own words is student
// text, escaped (report.MarkdownText) or fenced (report.MarkdownFence)
// so it never renders as markup.
func Markdown(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %d / %d\n\n", md(r.Student), r.Total, r.Max)
	if r.Problem != "" {
		fmt.Fprintf(&b, "**%s**\n\n", md(r.Problem))
	}
	pointsTable(&b, r.Tasks)
	for _, t := range r.Tasks {
		if t.Kernel != "" {
			fmt.Fprintf(&b, "\n%s was graded on %s: its module does not build on %s, the assignment's kernel (code for another kernel version).\n",
				md(t.Name), md(t.Kernel), orDash(md(r.Kernel)))
		}
	}
	if len(r.Picks) > 0 {
		b.WriteString("\nHow each task's file was found:\n\n")
		for _, p := range r.Picks {
			fmt.Fprintf(&b, "- %s\n", md(p))
		}
	}
	for _, t := range r.Tasks {
		if t.Earned.Total() < t.Max.Total() {
			taskDetails(&b, t, replayCommand(r))
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\n## Files not graded\n\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "- %s\n", md(s))
		}
	}
	return b.String()
}

// pointsTable is the points per task and part; warnings and style have
// columns only where a task scores them.
func pointsTable(b *strings.Builder, tasks []TaskResult) {
	parts := []string{"build", "load", "output", "truth", "unload", "robust"}
	for _, t := range tasks {
		if t.Max.Warnings > 0 {
			parts = append(parts, "warnings")
			break
		}
	}
	for _, t := range tasks {
		if t.Max.Style > 0 {
			parts = append(parts, "style")
			break
		}
	}
	fmt.Fprintf(b, "| task | file | %s | points |\n|---|---|%s---|\n", strings.Join(parts, " | "), strings.Repeat("---|", len(parts)))
	for _, t := range tasks {
		e, m := t.Earned.Parts(), t.Max.Parts()
		fmt.Fprintf(b, "| %s | %s |", md(t.Name), orDash(md(t.File)))
		for _, p := range parts {
			fmt.Fprintf(b, " %d/%d |", e[p], m[p])
		}
		fmt.Fprintf(b, " %d/%d |\n", t.Earned.Total(), t.Max.Total())
	}
}

// md is report.MarkdownText, short for the format strings here.
func md(s string) string { return report.MarkdownText(s) }

// replayCommand reruns a student's graded run from this report's folder
// (lab/replay): result.json gives the seed, kernel and tasks.
func replayCommand(r *Result) string {
	cmd := "lkmlab check --replay result.json --submission " + report.ShellQuote(r.Source)
	if r.Assignment != "" && r.Assignment != assign.Default().Name {
		cmd += " --assignment ASSIGNMENT.yaml"
	}
	return cmd
}

func taskDetails(b *strings.Builder, t TaskResult, replay string) {
	fmt.Fprintf(b, "\n## %s: %s\n\n", md(t.Name), md(string(t.Verdict)))
	if t.Module == nil {
		fmt.Fprintf(b, "%s\n", md(t.Problem))
		return
	}
	if t.Module.Error != "" {
		fence(b, "", t.Module.Error)
	}
	for _, f := range t.Module.Findings {
		fmt.Fprintf(b, "- %s: %s\n", md(string(f.Kind)), md(f.Text))
	}
	if len(t.Module.Findings) > 0 {
		b.WriteString("\n")
	}
	for i, s := range t.Module.Steps {
		if s.Verdict == result.Pass && len(s.Findings) == 0 {
			continue
		}
		fmt.Fprintf(b, "### %s: %s\n\n", md(s.Name), md(string(s.Verdict)))
		if s.Reason != "" {
			fence(b, "", s.Reason)
		}
		if s.Params != "" {
			b.WriteString("Run with these parameters (under the module's own names):\n\n")
			fence(b, "", s.Params)
		}
		if s.Verdict != result.Pass && s.Verdict != result.Skipped {
			b.WriteString("To rerun this step with the same values, in this report's folder (the submission's path for --submission):\n\n")
			fence(b, "", report.StepReplay(replay, t.Name, i))
		}
		for _, f := range s.Findings {
			fmt.Fprintf(b, "- left behind (%s): %s\n", md(string(f.Kind)), md(f.Text))
		}
		if len(s.Findings) > 0 {
			b.WriteString("\n")
		}
		if len(s.Diff) > 0 {
			b.WriteString("Expected (-) and printed (+):\n\n")
			fence(b, "diff", strings.Join(s.Diff, "\n"))
		}
		if len(s.Log) > 0 {
			log := s.Log[:min(len(s.Log), 40)]
			b.WriteString("Kernel log of the step:\n\n")
			fence(b, "", strings.Join(log, "\n"))
			if len(s.Log) > len(log) {
				fmt.Fprintf(b, "(%d more lines)\n\n", len(s.Log)-len(log))
			}
		}
	}
}

func fence(b *strings.Builder, info, s string) {
	b.WriteString(report.MarkdownFence(info, s) + "\n")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// junit renders the class as JUnit XML: a suite per student, a case per
// task, failing when the task lost points.
func junit(rs []*Result) []byte {
	doc := report.JUnitSuites{Name: "lkmlab grade", Time: "0"}
	for _, r := range rs {
		s := report.JUnitSuite{Name: r.Student, Tests: len(r.Tasks), Time: "0"}
		for _, t := range r.Tasks {
			c := report.JUnitCase{Name: t.Name, Classname: "grade." + r.Student, Time: "0"}
			if t.Earned.Total() < t.Max.Total() {
				c.Failure = &report.JUnitMessage{Type: string(t.Verdict), Text: strings.Join(append([]string{t.Problem}, findings(t)...), "\n"),
					Message: fmt.Sprintf("%d/%d points: %s", t.Earned.Total(), t.Max.Total(), t.Problem)}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		doc.Tests, doc.Failures = doc.Tests+s.Tests, doc.Failures+s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	var b bytes.Buffer
	_ = report.EncodeJUnit(&b, doc)
	return b.Bytes()
}

// KTAP renders the class as KTAP: a test per student, its tasks as
// subtests that pass with full points.
func KTAP(a string, rs []*Result) []byte {
	var tests []*report.KTAPTest
	for _, r := range rs {
		t := &report.KTAPTest{Name: r.Student, OK: r.Total == r.Max}
		t.Diag = append(t.Diag, fmt.Sprintf("%d/%d points", r.Total, r.Max))
		for _, tr := range r.Tasks {
			st := &report.KTAPTest{Name: tr.Name, OK: tr.Earned.Total() == tr.Max.Total()}
			st.Diag = append(st.Diag, fmt.Sprintf("%d/%d points", tr.Earned.Total(), tr.Max.Total()))
			if tr.Problem != "" {
				st.Diag = append(st.Diag, tr.Problem)
			}
			t.Subtests = append(t.Subtests, st)
		}
		tests = append(tests, t)
	}
	var b bytes.Buffer
	_ = report.EncodeKTAP(&b, "lkmlab grade: "+a, tests)
	return b.Bytes()
}

// JUnit is the class's junit.xml.
func JUnit(rs []*Result) []byte { return junit(rs) }

// findings lists, for JUnit and other plain outputs, what each step of a
// task left behind.
func findings(t TaskResult) []string {
	if t.Module == nil {
		return nil
	}
	var out []string
	for _, s := range t.Module.Steps {
		for _, f := range s.Findings {
			out = append(out, s.Name+": "+f.Text)
		}
	}
	return out
}
