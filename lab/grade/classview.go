package grade

import (
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/overview"
	"github.com/lkmlab/lkmlab/lab/result"
)

// classFiles the overview links to when they are in the output folder.
var classFiles = []string{"grades.csv", "summary.json", "junit.xml", "regrades.json", "similarity.html"}

// classView is what lab/overview shows of the class in out.
func classView(out string, a *assign.Assignment, rs []*Result) overview.Class {
	c := overview.Class{Assignment: a.Name}
	for _, t := range a.Tasks {
		c.Tasks = append(c.Tasks, overview.Task{Name: t.Name, Max: t.Points.Total()})
	}
	for _, f := range classFiles {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			c.Files = append(c.Files, f)
		}
	}
	for _, r := range rs {
		report, _ := os.ReadFile(filepath.Join(StudentDir(out, r.Student), reportFile))
		s := overview.Student{Name: r.Student, Total: r.Total, Max: r.Max, Problem: r.Problem,
			Report: string(report), Folder: "students/" + r.Student}
		e := ExtrasOf(r)
		for _, t := range r.Tasks {
			sc := overview.Score{Task: t.Name, Earned: t.Earned.Total(), Max: t.Max.Total(), Verdict: string(t.Verdict),
				Cause: string(firstCause(t)), Lost: lostParts(t), Problem: t.Problem, StaticItems: len(e.Static[t.Name])}
			if ru, ok := e.Runs[t.Name]; ok {
				sc.Runs, sc.FailedRuns = ru.Runs, ru.Failed
			}
			s.Tasks = append(s.Tasks, sc)
		}
		c.Students = append(c.Students, s)
	}
	return c
}

// firstCause is the typed cause of the first step that did not pass, or
// the module's own (a build error, a policy violation).
func firstCause(t TaskResult) result.Cause {
	if t.Module == nil {
		return result.CauseNone
	}
	for _, s := range t.Module.Steps {
		if s.Verdict != result.Pass && s.Verdict != result.Skipped && s.Cause != result.CauseNone {
			return s.Cause
		}
	}
	for _, s := range t.Module.Steps {
		if len(s.Findings) > 0 {
			return result.LeftBehind
		}
	}
	return t.Module.Cause
}

// lostParts names the parts of a task's points it did not earn in full.
func lostParts(t TaskResult) []string {
	var lost []string
	earned := pointParts(t.Earned)
	for i, p := range pointParts(t.Max) {
		if earned[i].Now < p.Now {
			lost = append(lost, p.Part)
		}
	}
	return lost
}
