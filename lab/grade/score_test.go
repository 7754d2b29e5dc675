package grade

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

func TestScorePartByPart(t *testing.T) {
	steps := []spec.Step{
		{Action: "insmod", Truth: []string{"pid == w.pid"}},
		{Action: "rmmod"},
		{Action: "insmod", Probe: true},
	}
	task := assign.Task{Loaded: &spec.Spec{Steps: steps},
		Points: assign.Points{Build: 1, Load: 1, Output: 2, Truth: 3, Unload: 1, Robust: 2}}
	good := func() []result.Step {
		return []result.Step{
			{Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true},
			{Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true},
			{Verdict: result.Pass, Status: "failed", Clean: true},
		}
	}
	for _, tc := range []struct {
		name  string
		edit  func(s []result.Step)
		want  assign.Points
		integ bool
	}{
		{"all", func([]result.Step) {}, pts(1, 1, 2, 3, 1, 2), false},
		{"right values in other words", func(s []result.Step) {
			s[0].Verdict, s[0].OutputOK = result.Fail, false
		}, pts(1, 1, 0, 3, 1, 2), false},
		{"a leak found on the insmod costs the unload part", func(s []result.Step) {
			s[0].Verdict, s[0].Clean = result.Fail, false
			s[0].Findings = []result.Finding{{Kind: result.AddressSpaceLeak}}
		}, pts(1, 1, 2, 3, 0, 2), false},
		{"a probe that oopses costs robustness only", func(s []result.Step) {
			s[2].Verdict = result.Crash
		}, pts(1, 1, 2, 3, 1, 0), false},
		{"leftover code that faulted later", func(s []result.Step) {
			s[1].Verdict, s[1].Cause = result.Crash, result.LeftRunning
			s[1].Findings = []result.Finding{{Kind: result.Lingering}}
		}, pts(1, 1, 2, 3, 0, 2), false},
		{"a crash on load", func(s []result.Step) {
			s[0].Verdict, s[0].Status = result.Crash, "killed"
			s[1].Verdict, s[1].Cause = result.Skipped, result.AfterFailed
		}, pts(1, 0, 0, 0, 0, 2), false},
		{"integrity", func([]result.Step) {}, assign.Points{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := good()
			tc.edit(s)
			m := result.Module{Steps: s}
			m.Summarize()
			if tc.integ {
				m.Verdict = result.Integrity
			}
			if got := Score(task, m); got != tc.want {
				t.Fatalf("score = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func pts(build, load, output, truth, unload, robust int) assign.Points {
	return assign.Points{Build: build, Load: load, Output: output, Truth: truth, Unload: unload, Robust: robust}
}

// TestScoreNothingToRemove: an rmmod skipped because its insmod failed
// cleanly costs nothing; the failed insmod costs the load part alone, and
// unload needs some rmmod to have removed the module.
func TestScoreNothingToRemove(t *testing.T) {
	task := assign.Task{Loaded: &spec.Spec{Steps: []spec.Step{
		{Action: "insmod", Truth: []string{"pid == w.pid"}}, {Action: "rmmod"},
		{Action: "insmod", Truth: []string{"pid == w.pid"}}, {Action: "rmmod"},
	}}, Points: assign.Points{Build: 1, Load: 1, Output: 2, Truth: 3, Unload: 1}}
	ok := result.Step{Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true}
	efault := result.Step{Verdict: result.Fail, Cause: result.WrongResult, Status: "failed", Errno: "EFAULT",
		OutputOK: true, TruthOK: true, Clean: true}
	notLoaded := result.Step{Verdict: result.Skipped, Cause: result.AfterFailed}
	crashed := result.Step{Verdict: result.Crash, Cause: result.KernelFailure, Status: "killed"}
	for _, tc := range []struct {
		name  string
		steps []result.Step
		want  assign.Points
	}{
		{"all loads", []result.Step{ok, ok, ok, ok}, pts(1, 1, 2, 3, 1, 0)},
		{"one insmod fails with the wrong errno", []result.Step{ok, ok, efault, notLoaded}, pts(1, 0, 2, 3, 1, 0)},
		{"its lines are wrong too", []result.Step{ok, ok, func() result.Step { s := efault; s.OutputOK = false; return s }(), notLoaded},
			pts(1, 0, 0, 3, 1, 0)},
		{"never loads", []result.Step{efault, notLoaded, efault, notLoaded}, pts(1, 0, 2, 3, 0, 0)},
		{"an rmmod skipped after a crash", []result.Step{ok, ok, crashed, notLoaded}, pts(1, 0, 0, 0, 0, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := result.Module{Steps: tc.steps}
			m.Summarize()
			if got := Score(task, m); got != tc.want {
				t.Fatalf("score = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestProblemSaysWhatToReview: a dual-use import is said beside the first
// problem, or alone when the task lost nothing, and costs nothing.
func TestProblemSaysWhatToReview(t *testing.T) {
	review := []result.Finding{{Kind: result.NeedsReview, Text: "dual-use get_user_pages_remote at imports"}}
	fail := result.Step{Name: "insmod mapper", Verdict: result.Fail, Reason: "truth: state == \"not mapped\" does not hold\nmore"}
	for _, tc := range []struct {
		name string
		m    result.Module
		want string
	}{
		{"lost points", result.Module{Verdict: result.Fail, Steps: []result.Step{fail}, Findings: review},
			"insmod mapper: truth: state == \"not mapped\" does not hold (needs review: dual-use get_user_pages_remote at imports)"},
		{"lost nothing", result.Module{Verdict: result.Pass, Steps: []result.Step{{Verdict: result.Pass}}, Findings: review},
			"needs review: dual-use get_user_pages_remote at imports"},
		{"nothing to review", result.Module{Verdict: result.Fail, Steps: []result.Step{fail}},
			"insmod mapper: truth: state == \"not mapped\" does not hold"},
	} {
		if got := Problem(tc.m); got != tc.want {
			t.Errorf("%s: Problem = %q, want %q", tc.name, got, tc.want)
		}
	}
	task := assign.Task{Loaded: &spec.Spec{Steps: []spec.Step{{Action: "insmod"}}}, Points: assign.Points{Build: 1, Load: 1, Output: 2}}
	m := result.Module{Verdict: result.Pass, Findings: review,
		Steps: []result.Step{{Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true}}}
	if got := Score(task, m); got != (assign.Points{Build: 1, Load: 1, Output: 2}) {
		t.Errorf("score with a review note = %+v, want every point", got)
	}
}
