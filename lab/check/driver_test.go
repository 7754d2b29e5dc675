package check

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/guest/agent"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// A guest without QEMU: the real agent, on a fake kernel whose printk
// goes both to /dev/kmsg and to a console, talking to the real driver
// over pipes. What a hostile module does to the channel is done by the
// test's hooks.

type fakeKernel struct {
	mu      sync.Mutex
	now     uint64
	seq     uint64
	pending []kmsg.Record
	console []string
	more    chan struct{}
	// prints says what each step prints, by step name; hook runs inside
	// a step (a module doing something to the guest).
	prints map[string][]string
	hook   func(step plan.Step)
	block  map[string]bool // steps that never return
}

func newFakeKernel() *fakeKernel {
	return &fakeKernel{now: 1_000_000, more: make(chan struct{}), prints: map[string][]string{}, block: map[string]bool{}}
}

func (k *fakeKernel) printk(facility int, text string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now += 10
	k.seq++
	k.pending = append(k.pending, kmsg.Record{Seq: k.seq, Facility: facility, TimeUS: k.now, Text: text})
	k.console = append(k.console, kmsg.Record{TimeUS: k.now, Text: text}.String())
	close(k.more)
	k.more = make(chan struct{})
}

// consoleOnly shows a line on the console that /dev/kmsg never had.
func (k *fakeKernel) consoleOnly(text string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.console = append(k.console, kmsg.Record{TimeUS: k.now, Text: text}.String())
}

func (k *fakeKernel) Release() string { return "6.1.0-fake" }
func (k *fakeKernel) UptimeUS() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now++
	return k.now
}
func (k *fakeKernel) Taint() uint64            { return 1 << 12 }
func (k *fakeKernel) LoadSupport(string) error { return nil }
func (k *fakeKernel) RunStep(s plan.Step, timeout time.Duration, poll func() bool) agent.Result {
	for _, l := range k.prints[s.Name()] {
		k.printk(0, l)
	}
	if k.hook != nil {
		k.hook(s)
	}
	if k.block[s.Name()] {
		time.Sleep(timeout)
		return agent.Result{Status: plan.Hung, Error: "did not return"}
	}
	poll()
	return agent.Result{Status: plan.OK}
}
func (k *fakeKernel) Drain() ([]kmsg.Record, int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.pending
	k.pending = nil
	return r, 0
}
func (k *fakeKernel) StartWorkload(w plan.Workload) (map[string]string, func() func() bool, error) {
	return map[string]string{"pid": "42"}, func() func() bool { return func() bool { return true } }, nil
}
func (k *fakeKernel) ProcFacts(int) map[string]string   { return nil }
func (k *fakeKernel) Loaded() []string                  { return nil }
func (k *fakeKernel) ConsoleLevel(int)                  {}
func (k *fakeKernel) LeakClear() bool                   { return false }
func (k *fakeKernel) LeakScan() (string, string, error) { return "", "", nil }
func (k *fakeKernel) Mark(text string)                  { k.printk(1, text) }
func (k *fakeKernel) Sections(string) map[string]uint64 { return nil }
func (k *fakeKernel) Unload(string) error               { return nil }
func (k *fakeKernel) PidFloor(int)                      {}
func (k *fakeKernel) KernelBusy() bool                  { return false }
func (k *fakeKernel) lines(from int) ([]string, <-chan struct{}) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.console[min(from, len(k.console)):]...), k.more
}

// pipeGuest is the session of a guest run in-process.
type pipeGuest struct {
	io.Reader
	io.Writer
	k      *fakeKernel
	exited chan struct{}
}

func (g *pipeGuest) Running() error                               { return nil }
func (g *pipeGuest) Save(string) error                            { return nil }
func (g *pipeGuest) Status() string                               { return "running" }
func (g *pipeGuest) Console(from int) ([]string, <-chan struct{}) { return g.k.lines(from) }
func (g *pipeGuest) Exited() <-chan struct{}                      { return g.exited }

// guestIO is what a hostile module in the fake guest can reach: the
// record channel, and the nonce of the command in flight (read from the
// agent's memory, which a kernel module can do).
type guestIO struct {
	ch    io.Writer
	mu    sync.Mutex
	nonce string
}

func (g *guestIO) current() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.nonce
}

// sniff passes the host's commands on and remembers the last nonce.
type sniff struct {
	r io.Reader
	g *guestIO
}

func (s sniff) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	for _, l := range strings.Split(string(p[:n]), "\n") {
		if i := strings.Index(l, `"nonce":"`); i >= 0 {
			s.g.mu.Lock()
			s.g.nonce = l[i+9 : i+9+24]
			s.g.mu.Unlock()
		}
	}
	return n, err
}

// runGuest runs plan p's modules through the driver and the agent; setup
// lets a test install a hostile module's hook.
func runGuest(t *testing.T, k *fakeKernel, p *plan.Plan, isolate bool, setup func(*guestIO)) (*driver, []kmsg.Line) {
	t.Helper()
	hostR, guestW := io.Pipe()
	guestR, hostW := io.Pipe()
	g := &pipeGuest{Reader: hostR, Writer: hostW, k: k, exited: make(chan struct{})}
	gio := &guestIO{ch: &lockedWriter{w: guestW}}
	if setup != nil {
		setup(gio)
	}
	a := &agent.Agent{Sys: k, Plan: p, Out: gio.ch, In: bufio.NewReader(sniff{guestR, gio})}
	go func() {
		_ = a.Run()
		guestW.Close()
		close(g.exited)
	}()
	d := &driver{p: p, owners: make([]int, len(p.Steps)), isolate: isolate, logf: t.Logf}
	if err := d.drive(g); err != nil {
		t.Fatalf("drive: %v", err)
	}
	hostW.Close()
	lines, _ := k.lines(0)
	return d, kmsg.ParseLines(strings.Join(lines, "\n"))
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func twoModules() *plan.Plan {
	var st []plan.Step
	for _, m := range []string{"a", "b"} {
		st = append(st, plan.Step{Module: m, Action: plan.Insmod, Path: "/lkm/" + m + ".ko"},
			plan.Step{Module: m, Action: plan.Rmmod, Path: "/lkm/" + m + ".ko"})
	}
	return &plan.Plan{Nonce: plan.NewNonce(), Steps: st}
}

func TestDriverHonestRun(t *testing.T) {
	k := newFakeKernel()
	k.prints["insmod a"] = []string{"hello from a"}
	p := twoModules()
	d, console := runGuest(t, k, p, false, nil)
	if d.recs.done == nil || len(d.recs.end) != 4 || len(d.recs.tamper) != 0 {
		t.Fatalf("done %v, %d ends, tamper %v", d.recs.done, len(d.recs.end), d.recs.tamper)
	}
	if w := witness(p, d.recs, console); len(w) != 0 {
		t.Fatalf("the witness disagrees with an honest run: %v", w)
	}
}

// TestDriverIsolatesEveryModule: grading gives each module a VM of its
// own; the first module's run still ends in order (leak scan, Done), and
// the next module's steps never run in that VM.
func TestDriverIsolatesEveryModule(t *testing.T) {
	k := newFakeKernel()
	p := twoModules()
	d, _ := runGuest(t, k, p, true, nil)
	if d.recs.done == nil || d.recs.end[1] == nil || d.recs.begin[2] != nil || d.recs.end[2] != nil {
		t.Fatalf("done %v, a's rmmod %v, b's insmod begin %v end %v: want a's run finished in order and b not run",
			d.recs.done, d.recs.end[1], d.recs.begin[2], d.recs.end[2])
	}
}

func TestDriverCatchesForgedRecords(t *testing.T) {
	defer func(c time.Duration) { consoleCatchUp = c }(consoleCatchUp)
	consoleCatchUp = 10 * time.Millisecond
	for _, tc := range []struct {
		name  string
		forge func(nonce string) string
		want  string
	}{
		{"a later step with the current nonce", func(n string) string {
			return "@@lkmlab " + n + ` {"kind":"end","step":3,"status":"ok"}` + "\n"
		}, "for step 3 during step 0"},
		{"a nonce never sent", func(string) string {
			return "@@lkmlab " + plan.NewNonce() + ` {"kind":"done"}` + "\n"
		}, "not the current command's"},
		{"a partial marker", func(string) string { return "@@lkmlab " }, "no agent writes"},
		{"an answer before its time", func(n string) string {
			return "@@lkmlab " + n + ` {"kind":"module-end"}` + "\n"
		}, "owes a end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newFakeKernel()
			d, _ := runGuest(t, k, twoModules(), true, func(g *guestIO) {
				k.hook = func(s plan.Step) {
					if s.Name() == "insmod a" {
						fmt.Fprint(g.ch, tc.forge(g.current()))
					}
				}
			})
			got := strings.Join(d.recs.tamper[0], "; ")
			if !strings.Contains(got, tc.want) {
				t.Fatalf("tampering during insmod a: %q, want %q", got, tc.want)
			}
			if d.recs.done != nil || d.recs.end[2] != nil {
				t.Fatalf("the run went on after tampering: done %v, b's insmod %v", d.recs.done, d.recs.end[2])
			}
		})
	}
}

func TestWitnessCatchesARecordThatDisagreesWithTheConsole(t *testing.T) {
	k := newFakeKernel()
	k.prints["insmod a"] = []string{"hello from a"}
	k.hook = func(s plan.Step) {
		if s.Name() == "insmod a" {
			k.consoleOnly("BUG: kernel NULL pointer dereference, address: 0000000000000000")
		}
	}
	p := twoModules()
	d, console := runGuest(t, k, p, false, nil)
	w := witness(p, d.recs, console)
	if len(w[0]) == 0 || !strings.Contains(w[0][0], "leaves out") {
		t.Fatalf("witness %v: the console showed a line the record left out", w)
	}
	d.recs.end[1].Log = append(d.recs.end[1].Log, kmsg.Record{TimeUS: 5, Text: "Bye from a module"})
	if w := witness(p, d.recs, console); len(w[1]) == 0 || !strings.Contains(w[1][0], "never showed") {
		t.Fatalf("witness %v: the record claims a line the console never showed", w)
	}
}

func TestDriverEndsAGuestThatStopsAnswering(t *testing.T) {
	defer func(g, b time.Duration) { stepGrace, beginWithin = g, b }(stepGrace, beginWithin)
	stepGrace, beginWithin = 50*time.Millisecond, 50*time.Millisecond
	k := newFakeKernel()
	k.block["insmod a"] = true
	p := twoModules()
	p.Steps[0].Timeout = plan.Duration(time.Hour) // the guest's own timeout never fires
	hostR, guestW := io.Pipe()
	guestR, hostW := io.Pipe()
	g := &pipeGuest{Reader: hostR, Writer: hostW, k: k, exited: make(chan struct{})}
	go func() {
		a := &agent.Agent{Sys: k, Plan: p, Out: guestW, In: bufio.NewReader(guestR)}
		a.Prepare()
		ready, _ := plan.Frame(p.Nonce, plan.Record{Kind: plan.Ready})
		guestW.Write(ready)
		io.Copy(io.Discard, guestR) // a frozen guest: reads, never answers
	}()
	p.Steps[0].Timeout = plan.Duration(10 * time.Millisecond)
	d := &driver{p: p, owners: make([]int, 4), isolate: true, logf: t.Logf}
	if err := d.drive(g); err != nil {
		t.Fatal(err)
	}
	if !d.recs.deadline[0] {
		t.Fatalf("deadline %v: the host must end a step that does not answer", d.recs.deadline)
	}
	hostW.Close()
	guestW.Close()
}

// TestWitnessIsNotSilencedByClaims checks the two ways a record or a
// module could tell the witness that lines went missing: a module that
// prints the kernel's drop notice (time-stamped, so printk's, not the
// console's), and a record that claims to have dropped lines. Neither may
// make the host believe a line the console never showed, nor miss an oops
// it did show.
func TestWitnessIsNotSilencedByClaims(t *testing.T) {
	const oops = "BUG: kernel NULL pointer dereference, address: 0000000000000000"
	k := newFakeKernel()
	k.prints["insmod a"] = []string{"** 12 printk messages dropped **", "hello from a"}
	k.hook = func(s plan.Step) {
		if s.Name() == "rmmod a" {
			k.consoleOnly(oops)
		}
	}
	p := twoModules()
	d, console := runGuest(t, k, p, false, nil)
	fake := kmsg.Record{TimeUS: d.recs.end[0].Log[0].TimeUS, Text: "PID: 1 has kernel stack at ffffb5044006c000"}
	d.recs.end[0].Log = append(d.recs.end[0].Log, fake)
	d.recs.end[1].Dropped = floodLines // claims a flood to excuse the oops it left out
	d.recs.end[2].Dropped = floodLines
	d.recs.end[2].Log = append(d.recs.end[2].Log, fake)
	d.recs.end[3].Dropped = 3 // a quiet step cannot have dropped lines
	w := witness(p, d.recs, console)
	if len(w[3]) == 0 || !strings.Contains(w[3][0], "only a flood") {
		t.Fatalf("witness %v: a quiet step's record that claims dropped lines disagrees", w)
	}
	if len(w[0]) == 0 || !strings.Contains(w[0][0], "never showed") {
		t.Fatalf("witness %v: a time-stamped drop notice is the module's printk and must not excuse a forged line", w)
	}
	if !slices.ContainsFunc(d.recs.end[1].Log, func(r kmsg.Record) bool { return r.Text == oops }) {
		t.Fatalf("rmmod a's record %v: the oops the console showed must be judged though the record claims drops", d.recs.end[1].Log)
	}
	if slices.ContainsFunc(d.recs.end[2].Log, func(r kmsg.Record) bool { return r.Text == fake.Text }) || d.recs.end[2].Dropped != floodLines+1 {
		t.Fatalf("insmod b's record %v (%d dropped): a line the console never showed is not believed", d.recs.end[2].Log, d.recs.end[2].Dropped)
	}
	if len(w[1])+len(w[2]) != 0 {
		t.Fatalf("witness %v: reconciled records agree with the console", w)
	}
}

// TestWitnessHonoursTheKernelsDropNotice: the console's own notice (no
// time stamp), or the host's when it stopped keeping the console, means a
// claimed line missing from it proves nothing; the line is then not
// believed rather than called forged.
func TestWitnessHonoursTheKernelsDropNotice(t *testing.T) {
	for _, notice := range []string{"** 40 printk messages dropped **", vm.ConsoleCut} {
		k := newFakeKernel()
		k.prints["insmod a"] = []string{"hello from a"}
		p := twoModules()
		d, console := runGuest(t, k, p, false, nil)
		console = append(console, kmsg.Line{Text: notice})
		lostLine := kmsg.Record{TimeUS: d.recs.end[0].Log[0].TimeUS, Text: "a line the console skipped"}
		d.recs.end[0].Log = append(d.recs.end[0].Log, lostLine)
		if w := witness(p, d.recs, console); len(w) != 0 {
			t.Fatalf("witness %v: after %q a missing line is not tampering", w, notice)
		}
		if slices.ContainsFunc(d.recs.end[0].Log, func(r kmsg.Record) bool { return r.Text == lostLine.Text }) {
			t.Fatalf("record %v: a line the console never showed is not judged", d.recs.end[0].Log)
		}
	}
}

// TestReconcileKeepsAnOopsBehindAFlood: the lines reconcile adds are
// bounded, but a flood printed first cannot push the kernel's report out.
func TestReconcileKeepsAnOopsBehindAFlood(t *testing.T) {
	var stretch []kmsg.Line
	for i := range 3 * maxAdded {
		stretch = append(stretch, kmsg.Line{TimeUS: uint64(i), HasTime: true, Text: fmt.Sprintf("flood %d", i)})
	}
	for i, l := range []string{"BUG: kernel NULL pointer dereference, address: 0000000000000008",
		"#PF: supervisor read access in kernel mode", "Oops: 0000 [#1] PREEMPT SMP NOPTI",
		"RIP: 0010:f_init+0x10/0x30 [flood]", "---[ end trace 0000000000000000 ]---"} {
		stretch = append(stretch, kmsg.Line{TimeUS: uint64(3*maxAdded + i), HasTime: true, Text: l})
	}
	e := &plan.Record{Dropped: 1}
	reconcile(e, map[string]int{}, stretch)
	if len(e.Log) > maxAdded {
		t.Fatalf("reconcile added %d lines, more than %d", len(e.Log), maxAdded)
	}
	if !slices.ContainsFunc(e.Log, func(r kmsg.Record) bool { return strings.HasPrefix(r.Text, "BUG: kernel NULL") }) {
		t.Fatal("the oops after the flood was not added")
	}
}

// TestKeyComparesWhatBothSidesCanTell: a Latin-1 byte reaches the host as
// U+FFFD through the record's JSON and raw on the console; a carriage
// return inside a line survives in the record and not on the console.
func TestKeyComparesWhatBothSidesCanTell(t *testing.T) {
	for _, c := range [][2]string{
		{"Adi\uFFFDs from a module", "Adi\xe9s from a module"},
		{"Gr\uFFFD\uFFFD Gott", "Gr\xfc\xdf Gott"},
		{"PID\r  PROC", "PID  PROC"},
	} {
		if key(5, c[0]) != key(5, c[1]) {
			t.Errorf("key(%q) != key(%q): an honest line would be called forged", c[0], c[1])
		}
	}
	if key(5, "a") == key(6, "a") || key(5, "a") == key(5, "b") {
		t.Error("key no longer tells lines apart")
	}
}

// TestLingerOnlyWhileGrading: a graded module's VM lives until lingerAfter
// since the module began, so a timer it left fires there; a developer's
// check does not wait.
func TestLingerOnlyWhileGrading(t *testing.T) {
	d := &driver{isolate: true, lastBegan: time.Now()}
	if l := d.lingerFor(); l <= 0 || l > lingerAfter {
		t.Fatalf("linger %v right after the module began, want (0, %v]", l, lingerAfter)
	}
	d.lastBegan = time.Now().Add(-2 * lingerAfter)
	if l := d.lingerFor(); l != 0 {
		t.Fatalf("linger %v for a module that ran longer than %v", l, lingerAfter)
	}
	if l := (&driver{lastBegan: time.Now()}).lingerFor(); l != 0 {
		t.Fatalf("linger %v outside grading", l)
	}
	// A module whose target asks for longer (it arms timers) keeps its VM
	// that long after its last step, however long its steps took.
	d = &driver{isolate: true, lastBegan: time.Now().Add(-2 * lingerAfter), lastEnded: time.Now(), lastLinger: 3 * lingerAfter}
	if l := d.lingerFor(); l <= 2*lingerAfter || l > 3*lingerAfter {
		t.Fatalf("linger %v for a module asking for %v after its last step", l, 3*lingerAfter)
	}
}

// TestDriverWaitsOutAFakePanic: a module that prints the kernel's panic
// line and then nothing for longer than the halt grace (its answer slow
// under load) is not a stopped guest: a real panic ends QEMU.
func TestDriverWaitsOutAFakePanic(t *testing.T) {
	defer func(g time.Duration) { haltGrace = g }(haltGrace)
	haltGrace = 100 * time.Millisecond
	k := newFakeKernel()
	k.hook = func(s plan.Step) {
		if s.Name() == "insmod a" {
			time.Sleep(haltGrace / 2) // the host is waiting by now
			k.printk(0, "Kernel panic - not syncing: Fatal exception")
			time.Sleep(4 * haltGrace)
		}
	}
	d, _ := runGuest(t, k, twoModules(), false, nil)
	if d.recs.end[0] == nil || d.recs.done == nil {
		t.Fatalf("insmod a's end %v, done %v: the host ended a guest that printed a panic line", d.recs.end[0], d.recs.done)
	}
}

// TestDriverWaitsOutAFakeHaltThatGoesOnPrinting: a module that prints the
// kernel's halt line and goes on printing is not a stopped guest; the
// host waits for its answer.
func TestDriverWaitsOutAFakeHaltThatGoesOnPrinting(t *testing.T) {
	defer func(g time.Duration) { haltGrace = g }(haltGrace)
	// The module prints for three graces, a line every tenth of one.
	haltGrace = 300 * time.Millisecond
	k := newFakeKernel()
	k.hook = func(s plan.Step) {
		if s.Name() == "insmod a" {
			k.printk(0, "reboot: System halted")
			for i := range 90 {
				time.Sleep(10 * time.Millisecond)
				k.printk(0, fmt.Sprintf("flood %d", i))
			}
		}
	}
	d, _ := runGuest(t, k, twoModules(), false, nil)
	if d.recs.end[0] == nil || d.recs.done == nil {
		t.Fatalf("insmod a's end %v, done %v: the host ended a guest that was still printing", d.recs.end[0], d.recs.done)
	}
}
