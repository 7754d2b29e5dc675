package verdict

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/leak"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

func logOf(lines ...string) []kmsg.Record {
	var rs []kmsg.Record
	for i, l := range lines {
		rs = append(rs, kmsg.Record{Seq: uint64(i), TimeUS: 2000, Text: l})
	}
	return rs
}

func TestJudge(t *testing.T) {
	hello := spec.Step{Action: "insmod", Output: []string{"Hello World from a module"}}
	begin := &plan.Record{Kind: plan.Begin, UptimeUS: 1_000_000}
	oopsConsole := kmsg.ParseLines("[    1.500000] Hello World from a module\n" +
		"[    1.600000] Kernel panic - not syncing: boom\n")
	for _, tc := range []struct {
		name   string
		in     Input
		want   result.Verdict
		reason string
	}{
		{"pass", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("hello: loading out-of-tree module taints kernel.", "Hello World from a module")}}, result.Pass, ""},
		{"leaked", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("Hello World from a module")}, Leaks: []leak.Object{{Size: 1024, Comm: "insmod", PID: 7,
			Backtrace: []string{"__kmalloc+0x4c/0x90", "hello_init+0x31/0x50 [hello]"}, Modules: []string{"hello"}}}},
			result.Fail, "kmemleak: memory allocated during the step was never freed: 1 leaked object (1024 bytes)"},
		{"held", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("Hello World from a module")}, Held: []string{"workload h (heap, pid 9) ended, but its address space was never freed"}},
			result.Fail, "address space leak: workload h (heap, pid 9)"},
		{"wrong output", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("Hello world")}}, result.Fail, "output differs"},
		{"no output", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK}}, result.Fail, "output differs"},
		{"errno", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.Failed, Errno: "ENOMEM",
			Error: "cannot allocate memory"}}, result.Fail, "insmod returned ENOMEM"},
		{"expected errno", Input{Spec: spec.Step{Action: "insmod", Error: "EINVAL"}, Begin: begin,
			End: &plan.Record{Status: plan.Failed, Errno: "EINVAL"}}, result.Pass, ""},
		{"expected errno missing", Input{Spec: spec.Step{Action: "insmod", Error: "EINVAL"}, Begin: begin,
			End: &plan.Record{Status: plan.OK}}, result.Fail, "expects it to fail with EINVAL"},
		{"hung", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.Hung, Error: "insmod did not return within 3s"}},
			result.Timeout, "did not return"},
		{"killed", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.Killed,
			Log: logOf("BUG: kernel NULL pointer dereference, address: 0000000000000000", "Oops: 0000 [#1] SMP")}},
			result.Crash, "NULL pointer dereference"},
		{"warning with right output", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK, TaintAfter: 1 << 9,
			Log: logOf("Hello World from a module", "WARNING: CPU: 0 PID: 9 at /m/m.c:5 m_init+0x1/0x2 [m]")}},
			result.Crash, "WARNING"},
		{"a printed panic is output", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("Hello World from a module", "Kernel panic - not syncing: Fatal exception")}},
			result.Fail, "output differs"},
		{"a printed warning is output", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			Log: logOf("Hello World from a module", "WARNING: CPU: 0 PID: 9 at /m/m.c:5 m_init+0x1/0x2 [m]")}},
			result.Fail, "output differs"},
		{"skipped", Input{Spec: hello, Skip: "an earlier step of this module crashed"}, result.Skipped, "earlier step"},
		{"tampered", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK, Log: logOf("Hello World from a module")},
			Tamper: []string{"a end record for step 9 during step 0"}}, result.Integrity, "step 9"},
		{"halted", Input{Spec: hello, Begin: begin, Halted: "reboot: System halted",
			Console: kmsg.ParseLines("[    1.500000] reboot: System halted\n")}, result.Crash, "System halted"},
		{"probe that errs otherwise passes", Input{Spec: spec.Step{Action: "insmod", Probe: true, Error: "EINVAL"}, Begin: begin,
			End: &plan.Record{Status: plan.Failed, Errno: "ESRCH"}}, result.Pass, "documents EINVAL"},
		{"probe that loads and unloads passes", Input{Spec: spec.Step{Action: "insmod", Probe: true, Error: "EINVAL"}, Begin: begin,
			End: &plan.Record{Status: plan.OK, Cleanup: "unloaded"}}, result.Pass, "succeeded"},
		{"probe that cannot be unloaded fails", Input{Spec: spec.Step{Action: "insmod", Probe: true}, Begin: begin,
			End: &plan.Record{Status: plan.OK, Cleanup: "could not unload: EBUSY"}}, result.Fail, "could not unload"},
		{"probe that oopses crashes", Input{Spec: spec.Step{Action: "insmod", Probe: true}, Begin: begin, End: &plan.Record{Status: plan.Killed,
			Log: logOf("BUG: kernel NULL pointer dereference, address: 0000000000000000", "Oops: 0000 [#1] SMP")}},
			result.Crash, "NULL pointer"},
		{"loose truth", Input{Spec: spec.Step{Action: "insmod", Output: []string{`re:PID: (?P<pid>\d+)`}, Truth: []string{"pid == w.pid"},
			Loose: []string{"printed(w.pid)"}}, Begin: begin, End: &plan.Record{Status: plan.OK, Log: logOf("process 13 wins"),
			Facts: map[string]string{"w.pid": "13"}}}, result.Fail, "the values it prints are right"},
		{"no terminator is a crash", Input{Spec: hello, Begin: begin, Console: oopsConsole}, result.Crash, "boom"},
		{"no terminator at host timeout", Input{Spec: hello, Begin: begin, HostDeadline: true,
			Console: kmsg.ParseLines("[    1.500000] Hello World from a module\n")}, result.Timeout, "step's deadline"},
		{"never began", Input{Spec: hello}, result.Crash, "before this step began"},
		{"harness error", Input{Spec: spec.Step{Action: "insmod"}, Begin: begin, End: &plan.Record{Status: plan.Failed,
			Error: "harness: start workload m (map): mmap"}}, result.Fail, "insmod failed: harness: start workload"},
		{"new taint", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK, TaintBefore: 1 << 12,
			TaintAfter: 1<<12 | 1<<9, Log: logOf("Hello World from a module")}}, result.Fail, "tainted the kernel: W"},
		{"out-of-tree taint is fine", Input{Spec: hello, Begin: begin, End: &plan.Record{Status: plan.OK,
			TaintAfter: 1<<12 | 1<<13, Log: logOf("Hello World from a module")}}, result.Pass, ""},
		{"left loaded after failed insmod", Input{Spec: spec.Step{Action: "insmod", Error: "EINVAL"}, KernelName: "m",
			Begin: begin, End: &plan.Record{Status: plan.Failed, Errno: "EINVAL", Loaded: []string{"m"}}}, result.Fail, "still loaded"},
		{"left loaded after rmmod", Input{Spec: spec.Step{Action: "rmmod"}, KernelName: "m",
			Begin: begin, End: &plan.Record{Status: plan.OK, Loaded: []string{"pvpanic", "m"}}}, result.Fail, "still loaded"},
		{"truth", Input{Spec: spec.Step{Action: "insmod", Output: []string{`re:PID: (?P<pid>\d+)`}, Truth: []string{"pid == w.pid"}},
			Begin: begin, End: &plan.Record{Status: plan.OK, Log: logOf("PID: 12"), Facts: map[string]string{"w.pid": "13"}}},
			result.Fail, "truth: pid == w.pid does not hold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Judge(tc.in)
			if tc.name == "no terminator is a crash" && !got.OutputOK {
				// What it printed before the oops is judged: a timer left
				// armed may have panicked the guest right after the step.
				t.Fatalf("no terminator: output_ok false for a step that printed its line before the oops")
			}
			if tc.name == "loose truth" && (!got.TruthOK || got.OutputOK) {
				t.Fatalf("loose truth: truth_ok %v output_ok %v", got.TruthOK, got.OutputOK)
			}
			if got.Verdict != tc.want || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("Judge = %s %q, want %s containing %q", got.Verdict, got.Reason, tc.want, tc.reason)
			}
		})
	}
}

func TestModuleVerdictIsWorstStep(t *testing.T) {
	m := result.Module{Steps: []result.Step{{Verdict: result.Pass}, {Verdict: result.Timeout, Name: "insmod x", Reason: "slow\nmore"}, {Verdict: result.Skipped}}}
	m.Summarize()
	if m.Verdict != result.Timeout || m.Problem() != "insmod x: slow" {
		t.Fatalf("verdict %s problem %q", m.Verdict, m.Problem())
	}
	b := result.Module{Verdict: result.BuildError, Error: "build x: make: exit status 2\n  x.c:1: error"}
	b.Summarize()
	if b.Verdict != result.BuildError || b.Problem() != "build x: make: exit status 2" {
		t.Fatalf("build error module: %s %q", b.Verdict, b.Problem())
	}
}

func TestJudgeCapsAFloodOfFailures(t *testing.T) {
	var log []string
	for i := 0; i < 300; i++ {
		log = append(log, fmt.Sprintf("BUG: kernel NULL pointer dereference, address: %016x", i), "Oops: 0002 [#1] SMP")
	}
	got := Judge(Input{Spec: spec.Step{Action: "insmod"}, Begin: &plan.Record{}, End: &plan.Record{Status: plan.OK, TaintAfter: 1 << 7, Log: logOf(log...)}})
	if got.Verdict != result.Crash || len(got.Failures) > MaxFailures || got.FailuresOmitted == 0 {
		t.Fatalf("verdict %s with %d failures, %d omitted", got.Verdict, len(got.Failures), got.FailuresOmitted)
	}
}

func TestJudgeLeavesTheAgentsMarksOut(t *testing.T) {
	log := logOf("Hello World from a module", "lkmlab: end of step 0")
	log[1].Facility = 1
	got := Judge(Input{Spec: spec.Step{Action: "insmod", Output: []string{"Hello World from a module"}}, Begin: &plan.Record{},
		End: &plan.Record{Status: plan.OK, Log: log}})
	if got.Verdict != result.Pass || len(got.Log) != 1 {
		t.Fatalf("verdict %s, log %q", got.Verdict, got.Log)
	}
}

// TestJudgeKeepsABoundedLog: a step that printed for a minute is judged on
// every line and keeps its head, its tail and a count.
func TestJudgeKeepsABoundedLog(t *testing.T) {
	lines := []string{"Hello World from a module"}
	for i := range 5 * MaxLogLines {
		lines = append(lines, fmt.Sprintf("noise %d", i))
	}
	s := Judge(Input{Spec: spec.Step{Action: "insmod", Output: []string{"Hello World from a module"}},
		Begin: &plan.Record{Kind: plan.Begin}, End: &plan.Record{Status: plan.OK, Log: logOf(lines...)}})
	if s.OutputOK || len(s.Log) != MaxLogLines || len(s.Diff) > MaxDiffLines {
		t.Fatalf("output ok %v, %d log lines, %d diff lines: want a failed output with %d and at most %d", s.OutputOK, len(s.Log), len(s.Diff), MaxLogLines, MaxDiffLines)
	}
	if s.Log[0] != lines[0] || s.Log[len(s.Log)-1] != lines[len(lines)-1] || !strings.Contains(strings.Join(s.Log, "\n"), "lines not kept") {
		t.Fatalf("log kept %q .. %q: want the head, the tail and a count between", s.Log[0], s.Log[len(s.Log)-1])
	}
}

// TestJudgeParts checks the parts a step earns beside its verdict: the
// format and the truth of what it printed, judged also when the insmod
// failed, when a format rule says the values are written otherwise, and
// when a failure came after the step's own lines. The logs are
// hand-written, shaped like the guest's records.
func TestJudgeParts(t *testing.T) {
	bye := spec.Step{Action: "rmmod", Output: []string{"Bye from a module"}}
	phys := spec.Step{Action: "insmod", Output: []string{`re:Physical Address: (0x)?(?P<phys>[0-9a-f]+)`},
		Truth:  []string{"hex(phys) == hex(m.phys) || phys == hex(m.phys)"},
		Format: []spec.FormatRule{{Rule: "!(phys == hex(m.phys) && hex(phys) != hex(m.phys))", Say: "the address is printed in decimal"}}}
	facts := map[string]string{"m.phys": "37a36cc"} // 58341068
	oops := []string{"BUG: unable to handle page fault for address: ffffffffc0520083", "Oops: 0010 [#1] PREEMPT SMP NOPTI",
		"RIP: 0010:0xffffffffc0520083"}
	for _, tc := range []struct {
		name              string
		want              spec.Step
		end               plan.Record
		verdict           result.Verdict
		outputOK, truthOK bool
		reason            string
	}{
		{"an unexpected errno costs the load, not what it printed", phys,
			plan.Record{Status: plan.Failed, Errno: "EFAULT", Error: "bad address", Facts: facts, Log: logOf("Physical Address: 37a36cc")},
			result.Fail, true, true, "insmod returned EFAULT"},
		{"an unexpected errno and a wrong value", phys,
			plan.Record{Status: plan.Failed, Errno: "EFAULT", Facts: facts, Log: logOf("Physical Address: 37a36cd")},
			result.Fail, true, false, "insmod returned EFAULT"},
		{"hex", phys, plan.Record{Status: plan.OK, Facts: facts, Log: logOf("Physical Address: 0x37a36cc")},
			result.Pass, true, true, ""},
		{"decimal: right, in another format", phys, plan.Record{Status: plan.OK, Facts: facts, Log: logOf("Physical Address: 58341068")},
			result.Fail, false, true, "the address is printed in decimal"},
		{"a wrong value in the format", phys, plan.Record{Status: plan.OK, Facts: facts, Log: logOf("Physical Address: 58341069")},
			result.Fail, true, false, "truth: hex(phys) == hex(m.phys)"},
		{"a license's taint is the module's declaration", bye,
			plan.Record{Status: plan.OK, TaintAfter: 1<<0 | 1<<12 | 1<<13, Log: logOf("Bye from a module")},
			result.Pass, true, true, ""},
		{"a fault after its own lines", bye,
			plan.Record{Status: plan.OK, TaintAfter: 1 << 7, Log: logOf(append([]string{"Bye from a module"}, oops...)...)},
			result.Crash, true, true, "page fault"},
		{"a fault before its own lines", bye,
			plan.Record{Status: plan.OK, TaintAfter: 1 << 7, Log: logOf(append(oops, "Bye from a module")...)},
			result.Crash, false, true, "page fault"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := tc.end
			s := Judge(Input{Spec: tc.want, Begin: &plan.Record{Kind: plan.Begin}, End: &end})
			if s.Verdict != tc.verdict || s.OutputOK != tc.outputOK || s.TruthOK != tc.truthOK || !strings.Contains(s.Reason, tc.reason) {
				t.Fatalf("Judge = %s, output %v, truth %v, %q; want %s, output %v, truth %v, a reason containing %q",
					s.Verdict, s.OutputOK, s.TruthOK, s.Reason, tc.verdict, tc.outputOK, tc.truthOK, tc.reason)
			}
		})
	}
}
