package grade

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/report"
)

// maxStaticShown bounds the findings report.md lists per task; the rest
// are counted.
const maxStaticShown = 30

// extrasMarkdown is report.md's account of the static items (points and
// the lines each finding is on) and of the flake guard's reruns.
func extrasMarkdown(r *Result, e *Extras) string {
	var b strings.Builder
	staticMarkdown(&b, r, e)
	var reran []string
	for _, t := range r.Tasks {
		if ru, ok := e.Runs[t.Name]; ok && ru.Runs > 1 {
			reran = append(reran, t.Name)
		}
	}
	if len(reran) > 0 {
		b.WriteString("\n## Reruns\n\nA task that lost points for what may be chance (a value off, a timeout) ran again in a fresh VM with new random values; it is forgiven only when every rerun earned full points.\n\n")
		for _, name := range reran {
			ru := e.Runs[name]
			fmt.Fprintf(&b, "- %s: lost points in %d of %d runs; kept run %d (seed %d)", md(name), ru.Failed, ru.Runs, ru.Kept+1, ru.Seeds[ru.Kept])
			if len(ru.Why) > 0 {
				fmt.Fprintf(&b, ": %s", md(strings.Join(ru.Why, "; ")))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func staticMarkdown(b *strings.Builder, r *Result, e *Extras) {
	var rows []TaskResult
	for _, t := range r.Tasks {
		if t.Max.Warnings+t.Max.Style > 0 {
			rows = append(rows, t)
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## Compiler warnings and kernel style\n\nWarnings are gcc's with W=1 on your own files; style is the kernel's checkpatch.pl --strict.\n\n")
	b.WriteString("| task | warnings | style |\n|---|---|---|\n")
	for _, t := range rows {
		items := e.Static[t.Name]
		fmt.Fprintf(b, "| %s | %d/%d (%d found) | %d/%d (%d found) |\n", md(t.Name), t.Earned.Warnings, t.Max.Warnings,
			staticCount(items, Warning), t.Earned.Style, t.Max.Style, staticCount(items, Style))
	}
	for _, t := range rows {
		items := e.Static[t.Name]
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n### %s: warnings and style\n\n", md(t.Name))
		for _, s := range items[:min(len(items), maxStaticShown)] {
			fmt.Fprintf(b, "- %s:%d: %s %s", md(s.File), s.Line, md(s.Kind), md(s.Text))
			if s.Rule != "" {
				fmt.Fprintf(b, " (%s)", md(s.Rule))
			}
			b.WriteString("\n")
		}
		if len(items) > maxStaticShown {
			fmt.Fprintf(b, "- (%d more)\n", len(items)-maxStaticShown)
		}
	}
}

// Annotations are a student's static findings as GitHub annotations on
// their own lines: compiler warnings as warnings, style as notices. The
// paths are the submission's, which in a repository graded by a CI job
// are the repository's.
func Annotations(r *Result) []report.Annotation {
	var as []report.Annotation
	e := ExtrasOf(r)
	for _, t := range r.Tasks {
		for _, s := range e.Static[t.Name] {
			a := report.Annotation{Level: "warning", File: s.File, Line: s.Line, Title: "warnings: " + t.Name, Text: s.Text}
			if s.Kind == Style {
				a.Level, a.Title = "notice", "style: "+t.Name
			}
			if s.Rule != "" {
				a.Text += " (" + s.Rule + ")"
			}
			as = append(as, a)
		}
	}
	return as
}
