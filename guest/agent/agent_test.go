package agent

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
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

	marks      []string
	held       []kmsg.Record            // printed without a newline: read only after the next record
	heldBack   map[string][]kmsg.Record // by step name: lines the step leaves open
	unloaded   []string
	dies       map[string]bool // steps whose oops is real: the kernel taints D
	floors     []int
	holds      map[string]bool // workloads whose address space is never freed
	leakReport string          // non-empty: the kernel has kmemleak
	scans      int
	busy       int           // KernelBusy answers true this many more times
	late       []kmsg.Record // printed once the kernel is no longer busy
}

func (f *fakeSys) Release() string          { return "6.1.0-test" }
func (f *fakeSys) UptimeUS() uint64         { return 1000 }
func (f *fakeSys) Taint() uint64            { return f.taint }
func (f *fakeSys) LoadSupport(string) error { return nil }
func (f *fakeSys) RunStep(s plan.Step, _ time.Duration, poll func() bool) Result {
	f.ran = append(f.ran, s.Name())
	f.params = append(f.params, s.Params)
	f.pending = append(f.pending, f.logs[s.Name()]...)
	f.held = append(f.held, f.heldBack[s.Name()]...)
	f.taint |= 1 << 12
	if f.dies[s.Name()] {
		f.taint |= taintDie
	}
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

func (f *fakeSys) Mark(text string) {
	f.marks = append(f.marks, text)
	f.pending = append(f.pending, f.held...) // a new record ends the open line
	f.held = nil
}
func (f *fakeSys) Sections(string) map[string]uint64 {
	return map[string]uint64{".text": 0xffffffffc0001000}
}
func (f *fakeSys) PidFloor(n int) { f.floors = append(f.floors, n) }
func (f *fakeSys) KernelBusy() bool {
	if f.busy > 0 {
		f.busy--
		return true
	}
	f.pending, f.late = append(f.pending, f.late...), nil
	return false
}
func (f *fakeSys) Unload(m string) error {
	f.unloaded = append(f.unloaded, m)
	return nil
}

func steps(mods ...string) []plan.Step {
	var s []plan.Step
	for _, m := range mods {
		s = append(s, plan.Step{Module: m, Action: plan.Insmod, Path: "/lkm/" + m + ".ko"},
			plan.Step{Module: m, Action: plan.Rmmod, Path: "/lkm/" + m + ".ko"})
	}
	return s
}

// answer is one framed record and the nonce it carried.
type answer struct {
	nonce string
	plan.Record
}

// script is what a host that runs every step sends: each step, the end of
// each module after its last step, then finish, each with its own nonce.
func script(p *plan.Plan, args map[int]map[string]map[string]string) []plan.Command {
	var cmds []plan.Command
	nonce := func() string { return fmt.Sprintf("%024x", len(cmds)+1) }
	for i, st := range p.Steps {
		cmds = append(cmds, plan.Command{Op: plan.OpStep, Step: i, Nonce: nonce(), Args: args[i]})
		if i+1 == len(p.Steps) || p.Steps[i+1].Module != st.Module {
			cmds = append(cmds, plan.Command{Op: plan.OpEndModule, Module: st.Module, Nonce: nonce()})
		}
	}
	return append(cmds, plan.Command{Op: plan.OpFinish, Nonce: nonce()})
}

func runAgent(t *testing.T, sys *fakeSys, p *plan.Plan) []answer {
	return runScript(t, sys, p, script(p, nil))
}

func runScript(t *testing.T, sys *fakeSys, p *plan.Plan, cmds []plan.Command) []answer {
	t.Helper()
	if p.Nonce == "" {
		p.Nonce = strings.Repeat("0", 24)
	}
	var in bytes.Buffer
	for _, c := range cmds {
		b, _ := c.Encode()
		in.Write(b)
	}
	var out bytes.Buffer
	a := &Agent{Sys: sys, Plan: p, Out: &out, In: bufio.NewReader(&in)}
	if err := a.Run(); err != nil {
		t.Fatal(err)
	}
	var got []answer
	for _, l := range strings.Split(out.String(), "\n") {
		if f, ok := plan.ParseLine(l); ok {
			got = append(got, answer{f.Nonce, f.Record})
		} else if l != "" {
			t.Fatalf("junk on the channel: %q", l)
		}
	}
	return got
}

func kindsOf(as []answer) string {
	var k []string
	for _, a := range as {
		k = append(k, string(a.Kind))
	}
	return strings.Join(k, " ")
}

func TestAgentAnswersEachCommandWithItsNonce(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{
		"insmod a": {{Seq: 1, Text: "Hello"}},
		"rmmod a":  {{Seq: 2, Text: "Bye"}},
	}}
	p := &plan.Plan{Steps: steps("a")}
	cmds := script(p, nil)
	recs := runScript(t, sys, p, cmds)
	if k := kindsOf(recs); k != "ready begin end begin end module-end done" {
		t.Fatalf("record kinds: %s", k)
	}
	want := []string{p.Nonce, cmds[0].Nonce, cmds[0].Nonce, cmds[1].Nonce, cmds[1].Nonce, cmds[2].Nonce, cmds[3].Nonce}
	for i, r := range recs {
		if r.nonce != want[i] {
			t.Fatalf("record %d (%s) marked %s, want %s", i, r.Kind, r.nonce, want[i])
		}
	}
	if recs[2].Log[0].Text != "Hello" || recs[4].Log[0].Text != "Bye" {
		t.Fatalf("logs not attributed to their steps: %+v %+v", recs[2].Log, recs[4].Log)
	}
	if recs[2].TaintBefore != 0 || recs[2].TaintAfter == 0 || recs[2].Sections[".text"] == 0 {
		t.Fatalf("taint or sections not read around the step: %+v", recs[2].Record)
	}
	if len(sys.marks) != 6 || sys.marks[0] != plan.ReadyMark || sys.marks[1] != plan.BeginMark(0) || sys.marks[5] != plan.DoneMark {
		t.Fatalf("marks %q: one at ready, two per step and one at the end", sys.marks)
	}
}

func TestAgentReadsALastLineWithoutNewlineInItsStep(t *testing.T) {
	sys := &fakeSys{heldBack: map[string][]kmsg.Record{"insmod a": {{Seq: 1, Text: "no newline"}}}}
	recs := runAgent(t, sys, &plan.Plan{Steps: steps("a")})
	if l := recs[2].Log; len(l) != 1 || l[0].Text != "no newline" || len(recs[4].Log) != 0 {
		t.Fatalf("insmod log %+v, rmmod log %+v: the held-back line belongs to the insmod", l, recs[4].Log)
	}
}

func TestAgentCleansUpAProbeThatLoaded(t *testing.T) {
	sys := &fakeSys{}
	st := steps("m")[:1]
	st[0].Cleanup = true
	recs := runAgent(t, sys, &plan.Plan{Steps: st})
	if recs[2].Cleanup != "unloaded" || len(sys.unloaded) != 1 || sys.unloaded[0] != "m" {
		t.Fatalf("cleanup %q, unloaded %v", recs[2].Cleanup, sys.unloaded)
	}
}

func TestAgentRefusesAStepThatDoesNotExist(t *testing.T) {
	p := &plan.Plan{Steps: steps("a")}
	recs := runScript(t, &fakeSys{}, p, []plan.Command{{Op: plan.OpStep, Step: 7, Nonce: strings.Repeat("7", 24)},
		{Op: plan.OpFinish, Nonce: strings.Repeat("8", 24)}})
	if k := kindsOf(recs); k != "ready fatal done" {
		t.Fatalf("record kinds: %s", k)
	}
}

func TestAgentCapsLogPerStep(t *testing.T) {
	flood := make([]kmsg.Record, MaxLogRecords+10)
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod f": flood}}
	recs := runAgent(t, sys, &plan.Plan{Steps: steps("f")[:1]})
	end := recs[2]
	if len(end.Log) != MaxLogRecords || end.Dropped != 10 {
		t.Fatalf("got %d records, %d dropped", len(end.Log), end.Dropped)
	}
	if len(sys.levels) != 2 || sys.levels[0] != 5 || sys.levels[1] != 8 {
		t.Fatalf("console levels %v: a flood must quiet the console and the step's end restore it", sys.levels)
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
	sys := &fakeSys{dies: map[string]bool{"insmod o": true}, logs: map[string][]kmsg.Record{"insmod o": {
		{Seq: 1, Text: "BUG: kernel NULL pointer dereference, address: 0000000000000000"},
		{Seq: 2, Text: "Oops: 0000 [#1] PREEMPT SMP NOPTI"},
	}}}
	recs := runAgent(t, sys, &plan.Plan{Steps: steps("o")})
	if recs[2].Status != plan.Killed || len(recs[2].Log) != 2 {
		t.Fatalf("insmod: status %s with %d log records, want killed with 2", recs[2].Status, len(recs[2].Log))
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
	st[0].Start = []plan.Workload{{Name: "w", Kind: plan.Spin}}
	st[0].Params = "pid={w.pid} name={w.comm}"
	p := &plan.Plan{Steps: st}
	recs := runScript(t, sys, p, script(p, map[int]map[string]map[string]string{0: {"w": {"comm": "spin-1"}}}))
	if sys.params[0] != "pid=42 name=spin-1" {
		t.Fatalf("params %q", sys.params[0])
	}
	end := recs[2]
	if end.Facts["w.pid"] != "42" || end.Facts["w.vmrss_kb"] != "100" || end.Facts["w.vmrss_kb_after"] != "101" || end.Loaded[0] != "m" {
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
			recs := runAgent(t, sys, &plan.Plan{Steps: []plan.Step{st}})
			if recs[2].Status != plan.Failed || !strings.HasPrefix(recs[2].Error, "harness: ") || len(sys.ran) != 0 {
				t.Fatalf("end %+v, ran %v", recs[2], sys.ran)
			}
		})
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
	recs := runAgent(t, sys, &plan.Plan{Steps: steps("a")})
	kinds := ""
	for _, r := range recs {
		kinds += string(r.Kind) + " "
	}
	if kinds != "ready begin end begin end module-end leaks done " || sys.scans != 1 {
		t.Fatalf("record kinds: %s (%d scans)", kinds, sys.scans)
	}
	if l := recs[6]; l.Report != sys.leakReport || !strings.Contains(l.Clock, "jiffies: ") {
		t.Fatalf("leaks record: %+v", l)
	}
	if recs := runAgent(t, &fakeSys{}, &plan.Plan{Steps: steps("a")}); recs[len(recs)-2].Kind == plan.Leaks {
		t.Fatal("a kernel without kmemleak got a leak scan")
	}
}

func TestAgentReportsAddressSpacesThatOutliveTheirModule(t *testing.T) {
	p := &plan.Plan{Steps: append(steps("a"), steps("b")...)}
	p.Steps[0].Start = []plan.Workload{{Name: "h", Kind: plan.Heap}}
	p.Steps[2].Start = []plan.Workload{{Name: "g", Kind: plan.Heap}}
	recs := runAgent(t, &fakeSys{holds: map[string]bool{"h": true}}, p)
	kinds := ""
	for _, r := range recs {
		kinds += string(r.Kind) + " "
	}
	// a's workload is checked when a ends, before b begins.
	if kinds != "ready begin end begin end module-end begin end begin end module-end done " {
		t.Fatalf("record kinds: %s", kinds)
	}
	h := recs[5].Held
	if len(h) != 1 || h[0].Step != 0 || !strings.Contains(h[0].What, "workload h") || !strings.Contains(h[0].What, "mmput") {
		t.Fatalf("held: %+v", h)
	}
	if len(recs[10].Held) != 0 {
		t.Fatalf("b's workload was freed: %+v", recs[10].Held)
	}
}

func TestAgentIgnoresAnOopsHeaderTheKernelDidNotWrite(t *testing.T) {
	sys := &fakeSys{logs: map[string][]kmsg.Record{"insmod o": {{Seq: 1, Text: "Oops: 0002 [#1] PREEMPT SMP NOPTI"}}}}
	recs := runAgent(t, sys, &plan.Plan{Steps: steps("o")})
	if recs[2].Status != plan.OK {
		t.Fatalf("insmod: %s: a printed header without taint D is the module's text", recs[2].Status)
	}
}

// TestQuietWaitsForRunnableKernelThreads: after its minimum, the quiet
// wait goes on while a kernel thread is runnable, and takes in what that
// thread prints once it has run (a module's thread on a slow guest).
func TestQuietWaitsForRunnableKernelThreads(t *testing.T) {
	late := kmsg.Record{Seq: 7, Text: "PID: 12 has max heap usage with: 4096"}
	f := &fakeSys{busy: 3, late: []kmsg.Record{late}}
	c := &collector{sys: f}
	c.quiet(0)
	if f.busy != 0 || len(c.log) != 1 || c.log[0].Text != late.Text {
		t.Fatalf("quiet left busy=%d and collected %v: want the thread's line, printed once it ran", f.busy, c.log)
	}
}
