package grader

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

func seedTask(t *testing.T, name string) assign.Task {
	t.Helper()
	for _, task := range assign.Default().Tasks {
		if task.Name == name {
			return task
		}
	}
	t.Fatalf("no seed task %s", name)
	return assign.Task{}
}

// heapRun is a judged run of the seed heap task: insmod with the given
// verdict and cause (pass when v is pass), then a clean rmmod.
func heapRun(v result.Verdict, c result.Cause) result.Module {
	ok := v == result.Pass
	insmod := result.Step{Name: "insmod heap", Verdict: v, Cause: c, Status: "ok", Clean: true,
		OutputOK: ok || c == result.Untrue, TruthOK: ok}
	if v == result.Timeout || v == result.Crash {
		insmod.Status, insmod.OutputOK = "", false
	}
	rmmod := result.Step{Name: "rmmod heap", Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true}
	m := result.Module{Name: "heap", Steps: []result.Step{insmod, rmmod}}
	m.Summarize()
	return m
}

func TestChance(t *testing.T) {
	heap := seedTask(t, "heap")
	for _, c := range []struct {
		m    result.Module
		want string
	}{
		{heapRun(result.Fail, result.Untrue), "insmod heap: a value was untrue"},
		{heapRun(result.Timeout, result.GuestTimeout), "insmod heap: timed out"},
		{heapRun(result.Crash, result.KernelFailure), ""},
		{heapRun(result.Fail, result.OutputDiffers), ""},
		{heapRun(result.Pass, result.CauseNone), ""},
		{result.Module{Name: "heap", Verdict: result.BuildError}, ""},
	} {
		if got := strings.Join(chance(heap, c.m), "; "); got != c.want {
			t.Errorf("chance(a %s run) = %q, want %q", c.m.Verdict, got, c.want)
		}
	}
	size := seedTask(t, "size")
	probe := result.Module{Name: "size", Steps: make([]result.Step, len(size.Loaded.Steps))}
	for i, s := range size.Loaded.Steps {
		probe.Steps[i] = result.Step{Name: "step", Verdict: result.Pass}
		if s.Probe {
			probe.Steps[i] = result.Step{Name: "probe", Verdict: result.Timeout, Cause: result.GuestTimeout}
		}
	}
	if got := chance(size, probe); len(got) != 0 {
		t.Errorf("a probe that hung is rerun: %v", got)
	}
}

// script is a stand-in for check.Run: each call returns the next module
// and seed, and leaves a console log in the work folder as a VM does.
type script struct {
	mods  []result.Module
	calls int
}

func (s *script) run(ctx context.Context, tgs []check.Target, co check.Options) (*result.Report, error) {
	s.calls++
	os.MkdirAll(co.WorkDir, 0o755)
	os.WriteFile(filepath.Join(co.WorkDir, "console-1.log"), []byte("boot\n"), 0o644)
	m := s.mods[min(s.calls-1, len(s.mods)-1)]
	return &result.Report{Modules: []result.Module{m}, Seed: uint64(100 + s.calls)}, nil
}

func TestGuardRerunsWhatMayBeChance(t *testing.T) {
	heap := seedTask(t, "heap")
	untrue, timeout, pass := heapRun(result.Fail, result.Untrue), heapRun(result.Timeout, result.HostTimeout), heapRun(result.Pass, "")
	crash := heapRun(result.Crash, result.KernelFailure)
	for _, c := range []struct {
		name      string
		first     result.Module
		reruns    []result.Module
		allowed   int
		wantCalls int
		wantRuns  string // runs/failed/kept, "" for no record
		wantFinal result.Verdict
	}{
		{"untrue, then right every time", untrue, []result.Module{pass, pass}, 2, 2, "3/1/2", result.Pass},
		{"a failed rerun ends the reruns", untrue, []result.Module{untrue, pass}, 3, 1, "2/2/0", result.Fail},
		{"a guess right once is not forgiven", untrue, []result.Module{pass, untrue}, 2, 2, "3/2/0", result.Fail},
		{"timeout every time", timeout, []result.Module{timeout}, 2, 1, "2/2/0", result.Timeout},
		{"a timeout forgiven", timeout, []result.Module{pass}, 1, 1, "2/1/1", result.Pass},
		{"no reruns allowed", untrue, nil, 0, 0, "", result.Fail},
		{"a crash is the module's", crash, []result.Module{pass}, 3, 0, "", result.Crash},
		{"full points the first time", pass, nil, 3, 0, "", result.Pass},
		{"a worse rerun is not kept", untrue, []result.Module{crash}, 1, 1, "2/2/0", result.Fail},
	} {
		t.Run(c.name, func(t *testing.T) {
			work := t.TempDir()
			s := &script{mods: c.reruns}
			g := guard{run: s.run, co: check.Options{WorkDir: work}, reruns: c.allowed}
			mods, runs, err := g.apply(context.Background(), []check.Target{{Name: "heap"}}, []assign.Task{heap},
				&result.Report{Modules: []result.Module{c.first}, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if s.calls != c.wantCalls {
				t.Errorf("%d reruns, want %d", s.calls, c.wantCalls)
			}
			ru, ok := runs["heap"]
			got := ""
			if ok {
				got = itoa(ru.Runs) + "/" + itoa(ru.Failed) + "/" + itoa(ru.Kept)
				if len(ru.Seeds) != ru.Runs || ru.Seeds[0] != 7 {
					t.Errorf("seeds %v for %d runs", ru.Seeds, ru.Runs)
				}
			}
			if got != c.wantRuns {
				t.Errorf("runs/failed/kept %q, want %q", got, c.wantRuns)
			}
			if mods[0].Verdict != c.wantFinal {
				t.Errorf("graded by a %s run, want %s", mods[0].Verdict, c.wantFinal)
			}
			if logs, _ := filepath.Glob(filepath.Join(work, "console-rerun-heap-*-1.log")); len(logs) != c.wantCalls {
				t.Errorf("kept %d rerun console logs, want %d", len(logs), c.wantCalls)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
