package grader

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/static"
)

func TestScoreStatic(t *testing.T) {
	task := assign.Task{Name: "heap", Points: assign.Points{Build: 1, Warnings: 2, Style: 3}}
	items := []static.Item{{Kind: static.Warning, File: "a.c", Line: 3}, {Kind: static.Style, File: "a.c", Line: 1},
		{Kind: static.Style, File: "a.c", Line: 9}}
	for _, c := range []struct {
		verdict          result.Verdict
		a                assign.Assignment
		warnings, styles int
	}{
		{result.Pass, assign.Assignment{}, 1, 1},
		{result.Fail, assign.Assignment{Static: assign.Static{StyleCost: 2}}, 1, 0},
		{result.Integrity, assign.Assignment{}, 0, 0},
	} {
		tr := grade.TaskResult{Name: "heap", Verdict: c.verdict}
		x := &grade.Extras{}
		staticJob{a: &c.a}.score(&tr, task, items, x)
		if tr.Earned.Warnings != c.warnings || tr.Earned.Style != c.styles {
			t.Errorf("%s: warnings %d style %d, want %d and %d", c.verdict, tr.Earned.Warnings, tr.Earned.Style, c.warnings, c.styles)
		}
		if len(x.Static["heap"]) != 3 {
			t.Errorf("%s: recorded %+v", c.verdict, x.Static)
		}
	}
}
