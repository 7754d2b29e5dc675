package agent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// The guest's `lab` command, in a shell session: it lists the spec's
// steps, starts a step's workloads with the values the host drew, or runs
// a step exactly as a check does. The agent (pid 1) does the work and
// keeps the workloads: they must outlive the command that started them.
// `lab` is the agent binary under another name; it talks to the agent
// over a unix socket (plan.LabSocket), one request per connection.

// labRequest is one `lab` command line, as sent to the agent.
type labRequest struct {
	Op   string `json:"op"` // steps, start, run, stop
	Step int    `json:"step"`
}

// labExit ends the agent's answer: "@@exit N", N the command's status.
const labExit = "@@exit "

// labUsage is what `lab help` prints.
const labUsage = `usage: lab [steps | start N | run N | stop]
  steps    list the spec's steps (the default)
  start N  start step N's workloads with the values the host drew; print their facts
           and the step's command line
  run N    run step N as a check does (its workloads, then insmod or rmmod); print how it
           ended and the kernel log lines it produced
  stop     stop every workload, and say whether any address space outlived its process
`

// labSocket is plan.LabSocket; tests move it.
var labSocket = plan.LabSocket

// LabCommand reports whether the agent binary runs as `lab` (argv[0]).
func LabCommand(args []string) bool {
	return len(args) > 0 && filepath.Base(args[0]) == "lab"
}

// LabMain is the `lab` command: it sends its request to the agent and
// prints the answer.
func LabMain(args []string) int {
	req, err := parseLab(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lab: %v\n%s", err, labUsage)
		return 2
	}
	if req.Op == "help" {
		fmt.Print(labUsage)
		return 0
	}
	code, err := askLab(labSocket, req, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lab: %v (lab works in an lkmlab shell session only)\n", err)
		return 1
	}
	return code
}

func parseLab(args []string) (labRequest, error) {
	if len(args) == 0 {
		return labRequest{Op: "steps"}, nil
	}
	op := args[0]
	switch {
	case op == "steps" || op == "stop" || op == "help" || op == "-h" || op == "--help":
		if op[0] == '-' {
			op = "help"
		}
		return labRequest{Op: op}, nil
	case (op == "start" || op == "run") && len(args) == 2:
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 {
			return labRequest{}, fmt.Errorf("%s: want a step number, got %q", op, args[1])
		}
		return labRequest{Op: op, Step: n}, nil
	}
	return labRequest{}, fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

// askLab sends req to the agent at path and copies its answer to out.
func askLab(path string, req labRequest, out io.Writer) (int, error) {
	c, err := net.Dial("unix", path)
	if err != nil {
		return 0, fmt.Errorf("reach the agent: %w", err)
	}
	defer c.Close()
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		return 0, fmt.Errorf("reach the agent: %w", err)
	}
	s := bufio.NewScanner(c)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		if code, ok := strings.CutPrefix(s.Text(), labExit); ok {
			n, _ := strconv.Atoi(code)
			return n, nil
		}
		fmt.Fprintln(out, s.Text())
	}
	return 0, errors.New("the agent ended the answer early")
}

// lab is the agent's side of `lab` for one shell session.
type lab struct {
	a       *Agent
	cfg     *plan.Shell
	mu      sync.Mutex   // one request at a time: they share the agent
	started map[int]bool // steps whose workloads run
}

func newLab(a *Agent, cfg *plan.Shell) *lab {
	return &lab{a: a, cfg: cfg, started: map[int]bool{}}
}

// serve answers `lab` requests on path until stop is called; stop waits
// for the request in progress.
func (l *lab) serve(path string) (stop func(), err error) {
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("serve lab: %w", err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.answer(c)
		}
	})
	return func() { ln.Close(); wg.Wait() }, nil
}

// answer reads one request from c and writes the answer.
func (l *lab) answer(c net.Conn) {
	defer c.Close()
	line, err := bufio.NewReader(io.LimitReader(c, 4096)).ReadBytes('\n')
	var req labRequest
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	code := 2
	if err != nil {
		fmt.Fprintf(c, "bad request: %v\n", err)
	} else {
		code = l.do(req, c)
	}
	fmt.Fprintf(c, "%s%d\n", labExit, code)
}

// do carries out a request, writing what a person reads to w; it returns
// the command's exit status.
func (l *lab) do(req labRequest, w io.Writer) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	steps := l.a.Plan.Steps
	if (req.Op == "start" || req.Op == "run") && (req.Step < 0 || req.Step >= len(steps)) {
		fmt.Fprintf(w, "no step %d: the steps are 0 to %d (lab steps lists them)\n", req.Step, len(steps)-1)
		return 2
	}
	switch req.Op {
	case "steps":
		l.list(w)
	case "start":
		return l.start(req.Step, w)
	case "run":
		return l.run(req.Step, w)
	case "stop":
		return l.stop(w)
	default:
		fmt.Fprintf(w, "unknown request %q\n", req.Op)
		return 2
	}
	return 0
}

// list prints the steps, their workloads and parameters.
func (l *lab) list(w io.Writer) {
	fmt.Fprintln(w, "steps (lab run N runs one as the check does; lab start N only starts its workloads):")
	for i, s := range l.a.Plan.Steps {
		line := fmt.Sprintf("  %-3d %s", i, s.Name())
		if len(s.Start) > 0 {
			var ws []string
			for _, x := range s.Start {
				ws = append(ws, x.Name+" ("+x.Kind+")")
			}
			line += "   workloads: " + strings.Join(ws, ", ")
		}
		if s.Params != "" {
			line += "   params: " + s.Params
		}
		if l.started[i] {
			line += "   [workloads running]"
		}
		fmt.Fprintln(w, line)
	}
}

// startOnce starts step i's workloads unless they run already, and
// returns every fact known.
func (l *lab) startOnce(i int) (map[string]string, error) {
	s := l.a.Plan.Steps[i]
	if l.started[i] {
		s.Start = nil // startWorkloads then only collects the facts
	} else if f := l.cfg.Floors[i]; f > 0 && len(s.Start) > 0 {
		l.a.Sys.PidFloor(f)
	}
	facts, err := l.a.startWorkloads(i, s, l.cfg.Args[i])
	if err == nil {
		l.started[i] = true
	}
	return facts, err
}

func (l *lab) start(i int, w io.Writer) int {
	facts, err := l.startOnce(i)
	if err != nil {
		fmt.Fprintf(w, "%v\n", err)
		return 1
	}
	writeFacts(w, facts)
	s := l.a.Plan.Steps[i]
	params, err := substitute(s.Params, facts)
	if err != nil {
		fmt.Fprintf(w, "%v\n", err)
		return 1
	}
	if s.Action == plan.Insmod {
		fmt.Fprintf(w, "step %d runs: insmod %s %s\n", i, s.Path, params)
	} else {
		fmt.Fprintf(w, "step %d runs: rmmod %s\n", i, ModuleName(s.Path))
	}
	return 0
}

// run runs step i as Agent.step does, and prints how it ended.
func (l *lab) run(i int, w io.Writer) int {
	s := l.a.Plan.Steps[i]
	l.a.Sys.Drain() // what came before is not the step's (no begin mark: nobody witnesses a session)
	facts, err := l.startOnce(i)
	if err == nil {
		s.Params, err = substitute(s.Params, facts)
	}
	if err != nil {
		fmt.Fprintf(w, "step %d (%s): harness: %v\n", i, s.Name(), err)
		return 1
	}
	end := l.a.run(i, s, facts)
	writeEnd(w, i, s, end)
	if end.Status != plan.OK {
		return 1
	}
	return 0
}

// writeEnd prints a step's end record for a person.
func writeEnd(w io.Writer, i int, s plan.Step, end plan.Record) {
	how := string(end.Status)
	if end.Errno != "" {
		how += " " + end.Errno
	}
	if end.Error != "" {
		how += ": " + end.Error
	}
	fmt.Fprintf(w, "step %d (%s): %s (%d ms)\n", i, s.Name(), how, end.MS)
	for _, r := range end.Log {
		if strings.HasPrefix(r.Text, "lkmlab: ") && r.Facility == 1 {
			continue // the agent's own marks
		}
		fmt.Fprintf(w, "  [%5d.%06d] %s\n", r.TimeUS/1e6, r.TimeUS%1e6, r.Text)
	}
	if end.Dropped > 0 {
		fmt.Fprintf(w, "  (%d log lines dropped)\n", end.Dropped)
	}
	writeFacts(w, end.Facts)
	if end.Cleanup != "" {
		fmt.Fprintf(w, "cleanup: %s\n", end.Cleanup)
	}
}

func writeFacts(w io.Writer, facts map[string]string) {
	if len(facts) == 0 {
		return
	}
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintln(w, "facts:")
	for _, k := range keys {
		fmt.Fprintf(w, "  %s = %s\n", k, facts[k])
	}
}

// stop stops every workload and reports the address spaces that outlived
// their processes, as the end of a module does in a check.
func (l *lab) stop(w io.Writer) int {
	l.a.stopWorkloads()
	l.started = map[int]bool{}
	code := 0
	for _, h := range l.a.held {
		if !h.freed() {
			fmt.Fprintf(w, "step %d: %s ended, but its address space was never freed (a get_task_mm or mmget without mmput)\n", h.step, h.what)
			code = 1
		}
	}
	l.a.held = nil
	if code == 0 {
		fmt.Fprintln(w, "workloads stopped")
	}
	return code
}
