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
