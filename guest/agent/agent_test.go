package agent

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// fakeSys scripts step results and the log records each step "prints".
type fakeSys struct {
	results map[string]Result        // by step name
	logs    map[string][]kmsg.Record // printed during the step
	pending []kmsg.Record
	ran     []string
	taint   uint64
	params  []string
	started []string
	stopped []string
	snaps   int
	levels  []int

	holds      map[string]bool // workloads whose address space is never freed
	leakReport string          // non-empty: the kernel has kmemleak
	scans      int
}

func (f *fakeSys) Release() string          { return "6.1.0-test" }
func (f *fakeSys) UptimeUS() uint64         { return 1000 }
func (f *fakeSys) Taint() uint64            { return f.taint }
func (f *fakeSys) LoadSupport(string) error { return nil }
func (f *fakeSys) RunStep(s plan.Step, _ time.Duration, poll func() bool) Result {
	f.ran = append(f.ran, s.Name())
	f.params = append(f.params, s.Params)
	f.pending = append(f.pending, f.logs[s.Name()]...)
	f.taint |= 1 << 12
	if r, ok := f.results[s.Name()]; ok {
		return r
	}
	if poll() {
		return Result{Status: plan.Killed}
	}
	return Result{Status: plan.OK}
}
func (f *fakeSys) StartWorkload(w plan.Workload) (map[string]string, func() func() bool, error) {
	if w.Kind == "broken" {
		return nil, nil, errors.New("cannot start")
	}
	f.started = append(f.started, w.Name)
	return map[string]string{"pid": "42", "comm": w.Args["comm"]}, func() func() bool {
		f.stopped = append(f.stopped, w.Name)
		return func() bool { return !f.holds[w.Name] }
	}, nil
}
func (f *fakeSys) ProcFacts(pid int) map[string]string {
	f.snaps++
	return map[string]string{"vmrss_kb": strconv.Itoa(100 + f.snaps/2)} // grows between the two reads of a step
}
func (f *fakeSys) Loaded() []string   { return []string{"m"} }
func (f *fakeSys) ConsoleLevel(l int) { f.levels = append(f.levels, l) }
func (f *fakeSys) Drain() ([]kmsg.Record, int) {
	r := f.pending
	f.pending = nil
	return r, 0
}

func steps(mods ...string) []plan.Step {
	var s []plan.Step
	for _, m := range mods {
		s = append(s, plan.Step{Module: m, Action: plan.Insmod, Path: "/lkm/" + m + ".ko"},
			plan.Step{Module: m, Action: plan.Rmmod, Path: "/lkm/" + m + ".ko"})
	}
	return s
}

func runAgent(t *testing.T, sys *fakeSys, p *plan.Plan) []plan.Record {
	t.Helper()
	var out bytes.Buffer
	if err := (&Agent{Sys: sys, Plan: p, Out: &out}).Run(); err != nil {
		t.Fatal(err)
	}
	var recs []plan.Record
	if err := plan.ReadRecords(&out, p.Nonce, func(r plan.Record) { recs = append(recs, r) }, nil); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestAgentReportsEveryStepAndDone(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{
		"insmod a": {{Seq: 1, Text: "Hello"}},
		"rmmod a":  {{Seq: 2, Text: "Bye"}},
	}}
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: steps("a")})
	kinds := ""
	for _, r := range recs {
		kinds += string(r.Kind) + " "
	}
	if kinds != "ready begin end begin end done " {
		t.Fatalf("record kinds: %s", kinds)
	}
	if recs[2].Log[0].Text != "Hello" || recs[4].Log[0].Text != "Bye" {
		t.Fatalf("logs not attributed to their steps: %+v %+v", recs[2].Log, recs[4].Log)
	}
	if recs[2].TaintBefore != 0 || recs[2].TaintAfter == 0 {
		t.Fatalf("taint not read around the step: %+v", recs[2])
	}
}

func TestAgentSkipsRestOfModuleAfterAFailedStep(t *testing.T) {
	for _, st := range []plan.Status{plan.Killed, plan.Hung, plan.Failed} {
		t.Run(string(st), func(t *testing.T) {
			sys := &fakeSys{results: map[string]Result{"insmod bad": {Status: st}}}
			recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: steps("bad", "good")})
			want := []string{"insmod bad", "insmod good", "rmmod good"}
			if len(sys.ran) != len(want) {
				t.Fatalf("ran %q, want %q", sys.ran, want)
			}
			var skipped int
			for _, r := range recs {
				if r.Kind == plan.End && r.Status == plan.Skipped {
					skipped++
				}
			}
			if skipped != 1 || recs[len(recs)-1].Kind != plan.Done {
				t.Fatalf("want 1 skipped step and a final done: %+v", recs)
			}
		})
	}
}

func TestAgentCapsLogPerStep(t *testing.T) {
	flood := make([]kmsg.Record, MaxLogRecords+10)
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod f": flood}}
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: steps("f")[:1]})
	end := recs[2]
	if len(end.Log) != MaxLogRecords || end.Dropped != 10 {
		t.Fatalf("got %d records, %d dropped", len(end.Log), end.Dropped)
	}
	if len(sys.levels) != 2 || sys.levels[0] != 5 || sys.levels[1] != 8 {
		t.Fatalf("console levels %v: a flood must quiet the console and the step's end restore it", sys.levels)
	}
}

func TestAgentGoesOnAfterAnExpectedFailure(t *testing.T) {
	sys := &fakeSys{results: map[string]Result{"insmod m": {Status: plan.Failed, Errno: "EINVAL"}}}
	st := steps("m")
	st[0].Expect = "EINVAL"
	runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: st})
	if len(sys.ran) != 2 {
		t.Fatalf("ran %q: a step after an expected failure must run", sys.ran)
	}
}

func TestModuleName(t *testing.T) {
	for in, want := range map[string]string{"/lkm/hello.ko": "hello", "my-mod.ko": "my_mod", "x.ko.xz": "x"} {
		if got := ModuleName(in); got != want {
			t.Errorf("ModuleName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAgentKillsStepWhoseThreadDied(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod o": {
		{Seq: 1, Text: "BUG: kernel NULL pointer dereference, address: 0000000000000000"},
		{Seq: 2, Text: "Oops: 0000 [#1] PREEMPT SMP NOPTI"},
	}}}
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: steps("o")})
	if recs[2].Status != plan.Killed || len(recs[2].Log) != 2 {
		t.Fatalf("insmod: status %s with %d log records, want killed with 2", recs[2].Status, len(recs[2].Log))
	}
	if recs[3].Status != plan.Skipped {
		t.Fatalf("rmmod after a killed insmod: %s, want skipped", recs[3].Status)
	}
}

func TestTaskDiedIgnoresLookalikes(t *testing.T) {
	for text, want := range map[string]bool{
		"Oops: 0002 [#1] PREEMPT SMP NOPTI":                                                  true,
		"invalid opcode: 0000 [#2] PREEMPT SMP":                                              true,
		"general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP": true,
		"WARNING: CPU: 0 PID: 1 at mod.c:3 f+0x1/0x2":                                        false,
		"my module says Oops: nothing":                                                       false,
	} {
		if got := taskDied([]kmsg.Record{{Text: text}}); got != want {
			t.Errorf("taskDied(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestAgentWorkloadsFactsAndParams(t *testing.T) {
	sys := &fakeSys{}
	st := steps("m", "n")
	st[0].Start = []plan.Workload{{Name: "w", Kind: plan.Spin, Args: map[string]string{"comm": "spin-1"}}}
	st[0].Params = "pid={w.pid} name={w.comm}"
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: st})
	if sys.params[0] != "pid=42 name=spin-1" {
		t.Fatalf("params %q", sys.params[0])
	}
	end := recs[2]
	if end.Facts["w.pid"] != "42" || end.Facts["w.vmrss_kb"] != "100|101" || end.Loaded[0] != "m" {
		t.Fatalf("facts %v loaded %v", end.Facts, end.Loaded)
	}
	if recs[4].Facts["w.pid"] != "42" {
		t.Fatalf("the workload must live through the module's later steps: %v", recs[4].Facts)
	}
	if len(sys.stopped) != 1 || sys.stopped[0] != "w" {
		t.Fatalf("stopped %v, want [w] once", sys.stopped)
	}
}

func TestAgentWorkloadErrorsFailTheStep(t *testing.T) {
	for name, st := range map[string]plan.Step{
		"start":   {Module: "m", Action: plan.Insmod, Start: []plan.Workload{{Name: "w", Kind: "broken"}}},
		"unknown": {Module: "m", Action: plan.Insmod, Params: "pid={x.pid}"},
	} {
		t.Run(name, func(t *testing.T) {
			sys := &fakeSys{}
			recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: []plan.Step{st}})
			if recs[2].Status != plan.Failed || !strings.HasPrefix(recs[2].Error, "harness: ") || len(sys.ran) != 0 {
				t.Fatalf("end %+v, ran %v", recs[2], sys.ran)
			}
		})
	}
}

func TestAgentIsolateStopsAfterACrash(t *testing.T) {
	sys := &fakeSys{results: map[string]Result{"insmod a": {Status: plan.Killed}}}
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Isolate: true, Steps: steps("a", "b")})
	last := recs[len(recs)-1]
	if len(sys.ran) != 1 || last.Kind != plan.Done || !last.Early {
		t.Fatalf("ran %v, last record %+v: want only a's insmod, then an early done", sys.ran, last)
	}
	var ends []int
	for _, r := range recs {
		if r.Kind == plan.End {
			ends = append(ends, r.Step)
		}
	}
	if len(ends) != 2 || ends[0] != 0 || ends[1] != 1 {
		t.Fatalf("end records for steps %v, want a's two (b's are left to a new VM)", ends)
	}
}

func (f *fakeSys) LeakClear() bool { return f.leakReport != "" }
func (f *fakeSys) LeakScan() (string, string, error) {
	f.scans++
	return f.leakReport, "now at 1000000 nsecs\njiffies: 4294667396", nil
}

func TestAgentScansForLeaksAfterTheSteps(t *testing.T) {
	defer func(d time.Duration) { leakMinAge = d }(leakMinAge)
	leakMinAge = 0
	sys := &fakeSys{leakReport: "unreferenced object 0xffff888003a1c000 (size 1024):\n"}
	recs := runAgent(t, sys, &plan.Plan{Nonce: "n", Steps: steps("a")})
	kinds := ""
	for _, r := range recs {
		kinds += string(r.Kind) + " "
	}
	if kinds != "ready begin end begin end leaks done " || sys.scans != 1 {
		t.Fatalf("record kinds: %s (%d scans)", kinds, sys.scans)
	}
	if l := recs[5]; l.Report != sys.leakReport || !strings.Contains(l.Clock, "jiffies: ") {
		t.Fatalf("leaks record: %+v", l)
	}
	if recs := runAgent(t, &fakeSys{}, &plan.Plan{Nonce: "n", Steps: steps("a")}); recs[len(recs)-2].Kind == plan.Leaks {
		t.Fatal("a kernel without kmemleak got a leak scan")
	}
}

func TestAgentReportsAddressSpacesThatOutliveTheirModule(t *testing.T) {
	p := &plan.Plan{Nonce: "n", Steps: append(steps("a"), steps("b")...)}
	p.Steps[0].Start = []plan.Workload{{Name: "h", Kind: plan.Heap}}
	p.Steps[2].Start = []plan.Workload{{Name: "g", Kind: plan.Heap}}
	recs := runAgent(t, &fakeSys{holds: map[string]bool{"h": true}}, p)
	kinds := ""
	for _, r := range recs {
		kinds += string(r.Kind) + " "
	}
	// a's workload is checked when a's last step is done, before b begins.
	if kinds != "ready begin end begin end held begin end begin end done " {
		t.Fatalf("record kinds: %s", kinds)
	}
	if h := recs[5]; h.Step != 0 || !strings.Contains(h.Error, "workload h") || !strings.Contains(h.Error, "mmput") {
		t.Fatalf("held record: %+v", h)
	}
}
