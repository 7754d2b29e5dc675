package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lkmlab/lkmlab/lab/result"
)

// compilerLine is a gcc diagnostic: "path/file.c:12:5: error: message".
var compilerLine = regexp.MustCompile(`^\s*([^:\s]+\.[ch]):(\d+):(\d+): (error|warning): (.*)$`)

// sourceRef is a failure's location: "path/file.c:12 (func)".
var sourceRef = regexp.MustCompile(`^(\S+):(\d+) \(`)

// WriteGitHub writes GitHub Actions workflow commands: compiler errors and
// kernel failures as annotations on the module's source lines, other
// failed steps as plain error annotations.
func WriteGitHub(w io.Writer, r *result.Report) error {
	var b strings.Builder
	for _, m := range r.Modules {
		for _, l := range strings.Split(m.Error, "\n") {
			if c := compilerLine.FindStringSubmatch(l); c != nil {
				fmt.Fprintf(&b, "::%s file=%s,line=%s,col=%s,title=%s::%s\n", c[4], prop(c[1]), c[2], c[3],
					prop("build "+m.Name), data(c[5]))
			}
		}
		for _, s := range m.Steps {
			writeStepAnnotation(&b, m.Name, s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeStepAnnotation(b *strings.Builder, module string, s result.Step) {
	if s.Verdict == result.Pass || s.Verdict == result.Skipped {
		return
	}
	title := prop(fmt.Sprintf("%s: %s", s.Name, s.Verdict))
	for _, f := range s.Failures {
		if c := sourceRef.FindStringSubmatch(f.Source); c != nil {
			fmt.Fprintf(b, "::error file=%s,line=%s,title=%s::%s\n", prop(c[1]), c[2], title, data(f.Error()))
			return
		}
	}
	msg := s.Reason
	if len(s.Diff) > 0 {
		msg += "\n" + strings.Join(s.Diff, "\n")
	}
	fmt.Fprintf(b, "::error title=%s::%s\n", title, data(msg))
}

// Annotation is a GitHub annotation on a line of a file: a compiler
// warning or a style complaint, say.
type Annotation struct {
	Level string // "error", "warning" or "notice"; "" is "warning"
	File  string
	Line  int
	Title string
	Text  string
}

// WriteAnnotations writes annotations as workflow commands, every field
// escaped (file names and messages are student text).
func WriteAnnotations(w io.Writer, as []Annotation) error {
	var b strings.Builder
	for _, a := range as {
		level := a.Level
		if level != "error" && level != "notice" {
			level = "warning"
		}
		fmt.Fprintf(&b, "::%s file=%s", level, prop(a.File))
		if a.Line > 0 {
			fmt.Fprintf(&b, ",line=%d", a.Line)
		}
		fmt.Fprintf(&b, ",title=%s::%s\n", prop(a.Title), data(a.Text))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// data and prop escape a workflow command's message and properties as the
// runner unescapes them (actions/runner ActionCommand): a line break would
// end the command and let the rest of a student's text start another, and
// in a property ':' and ',' would end the value.
func data(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func prop(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteSummary writes the verdict table as Markdown, for
// $GITHUB_STEP_SUMMARY.
func WriteSummary(w io.Writer, r *result.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### lkmlab: kernel %s (%s), %s\n\n", MarkdownText(r.Kernel), MarkdownText(r.Release), MarkdownText(r.Accel.Name))
	b.WriteString("| module | step | verdict | ms | why |\n|---|---|---|---:|---|\n")
	for _, m := range r.Modules {
		if len(m.Steps) == 0 {
			fmt.Fprintf(&b, "| %s | build | %s | | %s |\n", MarkdownText(m.Name), mark(m.Verdict), MarkdownText(m.Problem()))
		}
		for _, s := range m.Steps {
			why, _, _ := strings.Cut(s.Reason, "\n")
			if s.Verdict == result.Pass {
				why = ""
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %s |\n", MarkdownText(m.Name), MarkdownText(s.Name), mark(s.Verdict), s.MS, MarkdownText(why))
		}
	}
	_, err := io.WriteString(w, b.String()+"\n")
	return err
}

func mark(v result.Verdict) string {
	if v == result.Pass {
		return "✅ pass"
	}
	if v == result.Skipped {
		return "⏭ skipped"
	}
	return "❌ " + MarkdownText(string(v))
}
