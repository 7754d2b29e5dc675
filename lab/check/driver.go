package check

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// The host drives the agent one command at a time (see lab/plan): it sends
// each command's nonce only when the command starts, so a module can know
// no nonce of a command after its own; it ends the VM itself when a
// command's answer does not come in time; and it takes the guest's word
// only as long as the records keep to the protocol. Every record that does
// not (a nonce never sent, a stale one, an answer to another command, junk
// on the channel) is kept as tampering, charged to the module that was
// running, and ends the VM: what the guest says after that is not trusted.

// Deadlines for the answers to commands, beyond a step's own timeout
// (variables for the tests).
var (
	beginWithin     = 10 * time.Second
	stepGrace       = 5 * time.Second
	perWorkload     = 12 * time.Second // the agent gives a workload 10 s to report its facts
	endModuleWithin = 20 * time.Second
	finishWithin    = 40 * time.Second // a kmemleak scan waits 5 s and scans twice; plus plan.MaxLinger
	readyWithin     = 30 * time.Second
	consoleCatchUp  = time.Second
	// haltGrace is how long a guest whose console says it stopped still
	// has to answer: a module can print "System halted" itself.
	haltGrace = 3 * time.Second
)

// driver is the host's side of one VM's run; it implements vm.Driver.
type driver struct {
	p      *plan.Plan
	owners []int // step -> position of its module in the pending list
	args   map[int]map[string]map[string]string
	floors map[int]int // step -> where its workloads' pids start
	// request is sent to a parked agent (the snapshot path); saveTo, when
	// set, is where to save the guest first (a cold boot that parks).
	request []byte
	saveTo  string
	// isolate gives every module a fresh VM (grading): after its last
	// step, or at once after a step that crashed or hung.
	isolate bool
	logf    func(string, ...any)

	recs *records
	// Filled in as the run goes.
	saved   time.Duration
	saveErr error
	halted  string // the console line that showed the guest stopped
	status  string // QEMU's run state when a step missed its deadline

	lines   chan string
	stop    chan struct{} // closed when Drive returns
	console int           // console lines seen so far
	// lastBegan is when the last module's first step was sent.
	lastBegan time.Time
	// lingers holds, by position in the pending list, how long each
	// module's VM lives after its last step (Target.Linger); lastEnded and
	// lastLinger are the last module's.
	lingers    []time.Duration
	lastEnded  time.Time
	lastLinger time.Duration
	s          session
}

// session is what the driver needs of a running VM (vm.Session); tests
// give it a guest without QEMU.
type session interface {
	io.ReadWriter
	Running() error
	Save(path string) error
	Status() string
	Console(from int) ([]string, <-chan struct{})
	Exited() <-chan struct{}
}

// records are what the agent said, by kind and step, and what the host
// found wrong with it.
type records struct {
	ready, done *plan.Record
	leaks       *plan.Record
	held        map[int][]string // by step: processes whose address space outlived them
	begin, end  map[int]*plan.Record
	// deadline marks the step whose answer did not come in time.
	deadline map[int]bool
	// skipped are steps the host did not run, and why.
	skipped map[int]string
	// tamper lists, by step, the records that broke the protocol while
	// that step was the command in flight (-1: outside any step).
	tamper map[int][]string
}

func newRecords() *records {
	return &records{held: map[int][]string{}, begin: map[int]*plan.Record{}, end: map[int]*plan.Record{},
		deadline: map[int]bool{}, skipped: map[int]string{}, tamper: map[int][]string{}}
}

// errEnd ends the run early: the guest is gone, or no longer trusted.
var errEnd = errors.New("run ended")

// lingerAfter is how long after its first step began a module's VM lives
// in grading (isolate), at least: a timer a module arms at load and
// leaves at rmmod, typically a second or so ahead, fires into its freed
// code while the VM still runs, and is charged to it (it used to fire in
// the next task's step, which shared the VM).
var lingerAfter = 1500 * time.Millisecond

// lingerFor is how long the agent waits before its Done: what is left of
// lingerAfter since the last module began, or of its Target.Linger since
// its last step, whichever is later (grading only).
func (d *driver) lingerFor() time.Duration {
	if !d.isolate || d.lastBegan.IsZero() {
		return 0
	}
	l := lingerAfter - time.Since(d.lastBegan)
	if !d.lastEnded.IsZero() {
		l = max(l, d.lastLinger-time.Since(d.lastEnded))
	}
	return max(0, l)
}

// errSplit ends the run after a module's last step, in order (the leak
// scan and the Done record still come): the modules after it run in a
// fresh VM.
var errSplit = errors.New("the modules after this one run in a fresh VM")

// Drive implements vm.Driver.
func (d *driver) Drive(ctx context.Context, s *vm.Session) error { return d.drive(s) }

func (d *driver) drive(s session) error {
	d.s, d.recs = s, newRecords()
	d.lines, d.stop = make(chan string, 64), make(chan struct{})
	defer close(d.stop)
	go readLines(s, d.lines, d.stop)
	if err := d.start(); err != nil {
		return err
	}
	err := d.steps()
	if err == nil || errors.Is(err, errSplit) {
		err = d.finish(d.lingerFor())
	}
	d.catchUp()
	if errors.Is(err, errEnd) {
		return nil
	}
	return err
}

// readLines hands the channel's lines to the driver; a line longer than a
// request could be is cut (a module flooding the channel).
func readLines(s io.Reader, out chan<- string, stop <-chan struct{}) {
	defer close(out)
	br := bufio.NewReaderSize(s, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		text := string(line)
		for errors.Is(err, bufio.ErrBufferFull) {
			var more []byte
			more, err = br.ReadSlice('\n')
			if len(text) < plan.MaxRequest {
				text += string(more)
			}
		}
		if text != "" {
			select {
			case out <- strings.TrimRight(text, "\r\n"):
			case <-stop:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// start brings the agent to Ready: for a parked agent, save the guest
// (if asked) and send the request; then wait for the Ready record.
func (d *driver) start() error {
	if d.request != nil {
		if err := d.s.Running(); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if d.saveTo != "" {
			if err := d.awaitParked(); err != nil {
				return err
			}
			t := time.Now()
			if d.saveErr = d.s.Save(d.saveTo); d.saveErr == nil {
				d.saved = time.Since(t)
			}
		}
		if _, err := d.s.Write(d.request); err != nil {
			return fmt.Errorf("send request: %w", err)
		}
	}
	r, err := d.await(d.p.Nonce, -1, readyWithin, plan.Ready)
	if err != nil {
		return err
	}
	d.recs.ready = r
	return nil
}

// awaitParked waits for the agent to say it is parked. Nothing a module
// prints can come first: no module is loaded yet.
func (d *driver) awaitParked() error {
	deadline := time.After(readyWithin + 60*time.Second) // a cold boot under TCG comes first
	for {
		select {
		case l, ok := <-d.lines:
			if !ok {
				return errEnd
			}
			if l+"\n" == plan.Parked {
				return nil
			}
			d.logf("agent: %s", l)
		case <-deadline:
			return fmt.Errorf("the agent never parked")
		}
	}
}

// steps runs every step the host can run, in order.
func (d *driver) steps() error {
	broken, loaded := map[string]bool{}, map[string]bool{}
	for i, st := range d.p.Steps {
		m := st.Module
		switch {
		case broken[m]:
			d.recs.skipped[i] = "an earlier step of this module crashed, hung or broke the protocol"
		case st.Action == plan.Rmmod && !loaded[m]:
			d.recs.skipped[i] = m + " is not loaded: the insmod before it did not succeed"
		default:
			if i == 0 || d.p.Steps[i-1].Module != m {
				d.lastBegan = time.Now()
			}
			end, err := d.step(i)
			if err != nil {
				return err
			}
			d.track(st, end, broken, loaded)
			if broken[m] && d.isolate && d.laterModule(i) {
				d.endModule(m)
				return errEnd
			}
		}
		if d.lastOfModule(i) {
			// A module that was unloaded lingers as its target asks: what it
			// left pending runs in freed code. One whose rmmod failed is
			// still there, and nothing of it is freed.
			d.lastEnded, d.lastLinger = time.Now(), 0
			if o := d.owners[i]; o < len(d.lingers) && !loaded[m] {
				d.lastLinger = d.lingers[o]
			}
			if err := d.endModule(m); err != nil {
				return err
			}
			// Grading (isolate) gives every module a VM of its own: a
			// module still loaded after its last step, or one that only
			// looks unloaded (it took itself off the module list, or
			// answered for the agent), could go on running and read every
			// later command's nonce. A loaded one does not get to answer
			// the finish either.
			if d.isolate && d.laterModule(i) {
				if loaded[m] {
					d.logf("host: %s is still loaded after its last step; the modules after it run in a fresh VM", m)
					return errEnd
				}
				return errSplit
			}
		}
	}
	return nil
}

// track keeps what the host knows of the module's state after a step.
func (d *driver) track(st plan.Step, end *plan.Record, broken, loaded map[string]bool) {
	m := st.Module
	switch {
	case end.Status == plan.Killed || end.Status == plan.Hung:
		broken[m] = true
	case st.Action == plan.Insmod && end.Status == plan.OK:
		loaded[m] = end.Cleanup != "unloaded"
	case st.Action == plan.Rmmod && end.Status == plan.OK:
		loaded[m] = false
	}
}

// step runs step i: the command, then its Begin and End records, each in
// time.
func (d *driver) step(i int) (*plan.Record, error) {
	st := d.p.Steps[i]
	c := plan.Command{Op: plan.OpStep, Step: i, Nonce: plan.NewNonce(), Args: d.args[i], PidFloor: d.floors[i]}
	if err := d.send(c); err != nil {
		return nil, err
	}
	b, err := d.await(c.Nonce, i, beginWithin, plan.Begin)
	if err != nil {
		return nil, d.missed(i, err)
	}
	d.recs.begin[i] = b
	within := time.Duration(st.Timeout)
	if within <= 0 {
		within = plan.DefaultStepTimeout
	}
	within += stepGrace + time.Duration(len(st.Start))*perWorkload
	e, err := d.await(c.Nonce, i, within, plan.End)
	if err != nil {
		return nil, d.missed(i, err)
	}
	d.recs.end[i] = e
	return e, nil
}

// missed records why step i got no answer; the run is over either way.
func (d *driver) missed(i int, err error) error {
	if errors.Is(err, errLate) {
		d.recs.deadline[i] = true
		d.status = d.s.Status()
		d.logf("host: step %d (%s) did not answer in time; ending the VM", i, d.p.Steps[i].Name())
	}
	return errEnd
}

func (d *driver) endModule(m string) error {
	c := plan.Command{Op: plan.OpEndModule, Module: m, Nonce: plan.NewNonce()}
	if err := d.send(c); err != nil {
		return err
	}
	r, err := d.await(c.Nonce, d.lastStepOf(m), endModuleWithin, plan.ModuleEnd)
	if err != nil {
		return errEnd
	}
	for _, h := range r.Held {
		if h.Step >= 0 && h.Step < len(d.p.Steps) && d.p.Steps[h.Step].Module == m {
			d.recs.held[h.Step] = append(d.recs.held[h.Step], h.What)
		}
	}
	return nil
}

func (d *driver) finish(linger time.Duration) error {
	c := plan.Command{Op: plan.OpFinish, Nonce: plan.NewNonce(), Linger: plan.Duration(linger)}
	if err := d.send(c); err != nil {
		return err
	}
	for {
		r, err := d.await(c.Nonce, -1, finishWithin, plan.Leaks, plan.Done)
		if err != nil {
			return errEnd
		}
		if r.Kind == plan.Done {
			d.recs.done = r
			return nil
		}
		d.recs.leaks = r
	}
}

func (d *driver) send(c plan.Command) error {
	b, err := c.Encode()
	if err != nil {
		return err
	}
	if _, err := d.s.Write(b); err != nil {
		return errEnd // the guest is gone
	}
	return nil
}

// errLate means an answer did not come in time.
var errLate = errors.New("no answer in time")

// await waits for the next record of the command marked nonce, of one of
// kinds, for step (-1: none). Everything else that arrives meanwhile is
// checked: a record of no command in flight is tampering. It also ends
// the wait when the guest halts or the VM exits.
func (d *driver) await(nonce string, step int, within time.Duration, kinds ...plan.Kind) (*plan.Record, error) {
	timer := time.NewTimer(within)
	defer timer.Stop()
	var halted <-chan time.Time
	for {
		_, more := d.s.Console(d.console)
		select {
		case l, ok := <-d.lines:
			if !ok {
				return nil, errEnd
			}
			if r := d.take(l, nonce, step, kinds); r != nil {
				d.halted = "" // it answered: the line was printed, not the kernel's
				return r, nil
			}
			if len(d.recs.tamper[step]) > 0 {
				return nil, errEnd
			}
		case <-more:
			// A stopped guest prints nothing more: the grace starts again
			// with every line (a module printing a fake halt goes on).
			if halt, n := d.sawHalt(); halt || halted != nil && n > 0 {
				halted = time.After(haltGrace)
			}
		case <-halted:
			return nil, errEnd
		case <-timer.C:
			return nil, errLate
		}
	}
}

// take checks one channel line while command nonce is in flight, and
// returns it when it is the awaited record.
func (d *driver) take(line, nonce string, step int, kinds []plan.Kind) *plan.Record {
	f, ok := plan.ParseLine(line)
	switch {
	case f.Junk != "" && strings.Contains(f.Junk, plan.FramePrefix+" {"), !ok && strings.Contains(f.Junk, plan.FramePrefix) && strings.Contains(f.Junk, "{"):
		d.tampered(step, fmt.Sprintf("a record with a nonce the host never sent (none, or not one it made): %q", clip(f.Junk)))
	case f.Junk != "":
		d.tampered(step, fmt.Sprintf("text on the record channel that no agent writes: %q", clip(f.Junk)))
	}
	if !ok {
		return nil
	}
	r := f.Record
	switch {
	case f.Nonce != nonce:
		d.tampered(step, fmt.Sprintf("a %s record marked with a nonce that is not the current command's", r.Kind))
	case !hasKind(kinds, r.Kind):
		d.tampered(step, fmt.Sprintf("a %s record where the agent owes a %s", r.Kind, kindList(kinds)))
	case step >= 0 && (r.Kind == plan.Begin || r.Kind == plan.End) && r.Step != step:
		d.tampered(step, fmt.Sprintf("a %s record for step %d during step %d", r.Kind, r.Step, step))
	default:
		return &r
	}
	return nil
}

func (d *driver) tampered(step int, what string) {
	d.logf("host: tampering during step %d: %s", step, what)
	if len(d.recs.tamper[step]) < 5 {
		d.recs.tamper[step] = append(d.recs.tamper[step], what)
	}
}

// haltLines are what the kernel says when the guest will not answer again
// but QEMU goes on running it (a halted CPU). A panic is not among them:
// the guest's panic=-1 and QEMU's -no-reboot (and pvpanic) end QEMU at a
// real one, and a module that prints the panic line only (a flood of fake
// reports, slow to drain under load) must still get its answer.
var haltLines = []string{"reboot: System halted", "System halted", "reboot: Power down"}

// sawHalt reads the new console lines (n of them) for a guest that
// stopped.
func (d *driver) sawHalt() (halt bool, n int) {
	lines, _ := d.s.Console(d.console)
	d.console += len(lines)
	for _, l := range lines {
		for _, h := range haltLines {
			if strings.Contains(l, h) {
				d.halted = l
				halt = true
			}
		}
	}
	return halt, len(lines)
}

// catchUp waits a moment for the console to show the agent's last mark:
// the console and the channel are two serial lines, and the witness needs
// everything the kernel printed.
func (d *driver) catchUp() {
	deadline := time.After(consoleCatchUp)
	for {
		lines, more := d.s.Console(0)
		for _, l := range lines {
			if strings.HasSuffix(l, plan.DoneMark) {
				return
			}
		}
		select {
		case <-more:
		case <-deadline:
			return
		case <-d.s.Exited():
			return
		}
	}
}

func (d *driver) lastOfModule(i int) bool {
	for _, s := range d.p.Steps[i+1:] {
		if s.Module == d.p.Steps[i].Module {
			return false
		}
	}
	return true
}

func (d *driver) lastStepOf(m string) int {
	last := -1
	for i, s := range d.p.Steps {
		if s.Module == m {
			last = i
		}
	}
	return last
}

func (d *driver) laterModule(i int) bool {
	for _, s := range d.p.Steps[i+1:] {
		if s.Module != d.p.Steps[i].Module {
			return true
		}
	}
	return false
}

func hasKind(kinds []plan.Kind, k plan.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList(kinds []plan.Kind) string {
	var s []string
	for _, k := range kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, " or ")
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
