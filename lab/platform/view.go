package platform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/result"
)

// entry is one test in a platform's list: a task, the steps of a task
// shown at another visibility than the task's, or the tasks a student
// may not see, summed up.
type entry struct {
	name, number string
	score, max   int
	ok           bool // nothing it covers lost points
	visibility   assign.Visibility
	message      string // one line: why it lost points
	output       string // the details, plain text
	file         string
	verdict      result.Verdict
	ms           int64
}

// hiddenName names the entry that sums up what a student may not see.
const hiddenName = "hidden tests"

// task is a graded task with its definition in the assignment.
type task struct {
	def assign.Task // zero when the assignment has no task of that name
	res grade.TaskResult
	num int // 1-based, in the result's (the assignment's) order
}

func tasksOf(a *assign.Assignment, r *grade.Result) []task {
	ts := make([]task, len(r.Tasks))
	for i, tr := range r.Tasks {
		ts[i] = task{res: tr, num: i + 1}
		for _, d := range a.Tasks {
			if d.Name == tr.Name {
				ts[i].def = d
			}
		}
	}
	return ts
}

// stepVisibility is the visibility of the task's i-th step.
func (t task) stepVisibility(i int) assign.Visibility {
	if t.res.Module != nil && t.def.Loaded != nil && len(t.res.Module.Steps) != len(t.def.Loaded.Steps) {
		return t.def.Visibility.Or() // not the spec's steps: no override can name them
	}
	return t.def.VisibilityOf(i)
}

// byVisibility is for a platform that knows visibility (Gradescope): an
// entry per task at the task's visibility, with the details of the steps
// at that visibility, and for a task some of whose steps are hidden more,
// an entry of no points per such visibility with their details, which
// the platform shows when it may.
func byVisibility(a *assign.Assignment, r *grade.Result) []entry {
	var es []entry
	for _, t := range tasksOf(a, r) {
		tv := t.def.Visibility.Or()
		e := t.entry(func(i int) bool { return t.stepVisibility(i) == tv })
		e.visibility = tv
		es = append(es, e)
		sub := 0
		for _, v := range []assign.Visibility{assign.AfterDueDate, assign.AfterPublished, assign.Hidden} {
			if v != tv && t.hasSteps(v) {
				sub++
				es = append(es, t.more(v, fmt.Sprintf("%d.%d", t.num, sub)))
			}
		}
	}
	return es
}

// more is the entry, worth no points, of a task's steps at visibility v:
// their details only, for the audience that may see them.
func (t task) more(v assign.Visibility, number string) entry {
	show := func(i int) bool { return t.stepVisibility(i) == v }
	var b strings.Builder
	msg, _ := t.steps(&b, show, false)
	e := entry{name: t.res.Name + ": steps shown " + strings.ReplaceAll(string(v), "_", " "), number: number,
		visibility: v, verdict: t.res.Verdict, ok: msg == "", file: t.res.File}
	if v == assign.Hidden {
		e.name = t.res.Name + ": hidden steps"
	}
	e.output = t.redact(orText(b.String(), "Every one of these steps passed.\n"), show)
	e.message = clip(t.redact(msg, show), 1<<10)
	return e
}

// hasSteps reports whether any step of the task has visibility v.
func (t task) hasSteps(v assign.Visibility) bool {
	if t.res.Module == nil {
		return false
	}
	for i := range t.res.Module.Steps {
		if t.stepVisibility(i) == v {
			return true
		}
	}
	return false
}

// forStudent is for a platform that shows results at once (PrairieLearn,
// Classroom, Autolab, CodeGrade): the visible tasks with their visible
// steps, then one entry summing up every task a student may not see yet,
// with no details. A due date or a publication that lkmlab cannot wait
// for counts as hidden: staff have everything in report.md.
func forStudent(a *assign.Assignment, r *grade.Result) []entry {
	var es []entry
	hidden := entry{name: hiddenName, number: "hidden", ok: true, visibility: assign.Hidden, verdict: result.Pass}
	n := 0
	for _, t := range tasksOf(a, r) {
		if t.def.Visibility.Or() != assign.Visible {
			n++
			hidden.score += t.res.Earned.Total()
			hidden.max += t.res.Max.Total()
			hidden.ok = hidden.ok && t.res.Earned.Total() == t.res.Max.Total()
			continue
		}
		es = append(es, t.entry(func(i int) bool { return t.stepVisibility(i) == assign.Visible }))
	}
	if n > 0 {
		hidden.output = fmt.Sprintf("%d task(s) whose feedback is not shown here.", n)
		if !hidden.ok {
			hidden.verdict = result.Fail
			hidden.message = "points lost in tasks whose feedback is not shown here"
		}
		es = append(es, hidden)
	}
	return es
}

// entry renders the task with the details of the steps show allows.
func (t task) entry(show func(step int) bool) entry {
	tr := t.res
	e := entry{name: tr.Name, number: strconv.Itoa(t.num), score: tr.Earned.Total(), max: tr.Max.Total(),
		file: tr.File, verdict: tr.Verdict}
	var b strings.Builder
	if tr.File != "" {
		fmt.Fprintf(&b, "file: %s\n", tr.File)
	}
	fmt.Fprintf(&b, "points: %d/%d (%s)\n", e.score, e.max, partsLine(tr.Earned, tr.Max))
	switch m := tr.Module; {
	case m == nil:
		e.message = tr.Problem
		if tr.Problem != "" {
			fmt.Fprintf(&b, "\n%s\n", tr.Problem)
		}
	case m.Error != "":
		e.message = m.Problem()
		fmt.Fprintf(&b, "\n%s: %s\n%s\n", tr.Name, tr.Verdict, indent(m.Error))
	default:
		e.message, _ = t.steps(&b, show, true)
	}
	e.ok = e.score == e.max
	if e.message == "" && !e.ok {
		e.message = "points lost in steps whose feedback is not shown here"
	}
	e.output = t.redact(b.String(), show)
	e.message = clip(t.redact(firstLine(e.message), show), 1<<10)
	for _, s := range stepsOf(tr) {
		e.ms += s.MS
	}
	return e
}

// steps writes the details of each step show allows that did not pass or
// left something behind, and returns the first one's problem; with count,
// it says how many others there are.
func (t task) steps(b *strings.Builder, show func(int) bool, count bool) (first string, withheld int) {
	for i, s := range t.res.Module.Steps {
		if s.Verdict == result.Pass && len(s.Findings) == 0 {
			continue
		}
		if !show(i) {
			withheld++
			continue
		}
		if first == "" {
			first = s.Name + ": " + orText(firstLine(s.Reason), string(s.Verdict))
			if s.Reason == "" && len(s.Findings) > 0 {
				first = s.Name + ": " + s.Findings[0].Text
			}
		}
		stepDetails(b, s)
	}
	if withheld > 0 && count {
		fmt.Fprintf(b, "\n%d step(s) whose feedback is not shown here did not pass, or left something behind.\n", withheld)
	}
	return first, withheld
}

// stepDetails is what report.md says of a step, in plain text.
func stepDetails(b *strings.Builder, s result.Step) {
	fmt.Fprintf(b, "\n%s: %s\n", s.Name, s.Verdict)
	if s.Reason != "" {
		b.WriteString(indent(s.Reason) + "\n")
	}
	for _, f := range s.Findings {
		fmt.Fprintf(b, "  left behind (%s): %s\n", f.Kind, f.Text)
	}
	if len(s.Diff) > 0 {
		b.WriteString("  expected (-) and printed (+):\n" + indent(strings.Join(s.Diff, "\n")) + "\n")
	}
	if len(s.Log) > 0 {
		log := s.Log[:min(len(s.Log), 40)]
		b.WriteString("  kernel log of the step:\n" + indent(strings.Join(log, "\n")) + "\n")
		if len(s.Log) > len(log) {
			fmt.Fprintf(b, "  (%d more lines)\n", len(s.Log)-len(log))
		}
	}
}

// redact replaces the names of the steps show does not allow: a shown
// step's reason may name one (skipped after it crashed, say).
func (t task) redact(s string, show func(int) bool) string {
	for i, st := range stepsOf(t.res) {
		if !show(i) && st.Name != "" {
			s = strings.ReplaceAll(s, st.Name, "(a step not shown here)")
		}
	}
	return s
}

func stepsOf(tr grade.TaskResult) []result.Step {
	if tr.Module == nil {
		return nil
	}
	return tr.Module.Steps
}

// part is one part of a task's points.
type part struct {
	name        string
	earned, max int
}

// parts lists the parts a task can earn, in the order reports give them.
func parts(earned, max assign.Points) []part {
	all := []part{{"build", earned.Build, max.Build}, {"load", earned.Load, max.Load}, {"output", earned.Output, max.Output},
		{"truth", earned.Truth, max.Truth}, {"unload", earned.Unload, max.Unload}, {"robust", earned.Robust, max.Robust},
		{"warnings", earned.Warnings, max.Warnings}, {"style", earned.Style, max.Style}}
	var ps []part
	for _, p := range all {
		if p.max > 0 {
			ps = append(ps, p)
		}
	}
	return ps
}

func partsLine(earned, max assign.Points) string {
	var s []string
	for _, p := range parts(earned, max) {
		s = append(s, fmt.Sprintf("%s %d/%d", p.name, p.earned, p.max))
	}
	return strings.Join(s, ", ")
}

// summary is what a student sees of the whole submission: a problem that
// kept it from being graded, how each visible task's file was found (a
// hidden task's name is not for students), and what was not graded.
func summary(a *assign.Assignment, r *grade.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d/%d points\n", r.Assignment, r.Total, r.Max)
	if r.Problem != "" {
		fmt.Fprintf(&b, "\n%s\n", r.Problem)
	}
	if picks := visiblePicks(a, r.Picks); len(picks) > 0 {
		b.WriteString("\nHow each task's file was found:\n")
		for _, p := range picks {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\nFiles not graded:\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	return b.String()
}

// visiblePicks leaves out the notes on tasks that are not visible. The
// notes are text ("picked F for TASK: why", "no file for TASK: ..."), so
// a note is a task's when it names it so.
func visiblePicks(a *assign.Assignment, picks []string) []string {
	var out []string
	for _, p := range picks {
		hidden := false
		for _, t := range a.Tasks {
			if t.Visibility.Or() != assign.Visible && strings.Contains(p, " for "+t.Name+": ") {
				hidden = true
			}
		}
		if !hidden {
			out = append(out, p)
		}
	}
	return out
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
