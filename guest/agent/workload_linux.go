package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"github.com/lkmlab/lkmlab/lab/plan"
	"golang.org/x/sys/unix"
)

// argsOnStdin is a workload child's last argument: its arguments come on
// stdin ("-", as for many Unix tools). Its command line carries its kind and
// nothing else, so that a module cannot read a drawn value from it (or
// from the environment, which a workload does not get) instead of doing
// its task.
const argsOnStdin = "-"

// maxArgs bounds a workload's argument line.
const maxArgs = 64 << 10

// after is what a workload does once it has printed its facts.
type after int

const (
	waitClose after = iota // block reading stdin until the agent closes it
	spinning               // spin on the main thread until killed
	exiting                // exit at once (a zombie's end)
)

// WorkloadMain is the child side of a workload, "/init workload KIND -":
// it reads its arguments as one JSON line on stdin, sets up what its kind
// describes, prints its facts as one JSON line on stdout, and then waits
// for stdin to close, spins or exits, as its kind says.
func WorkloadMain(kind, from string) int {
	if from != argsOnStdin {
		fmt.Fprintf(os.Stderr, "workload %s: arguments come on stdin: run it as \"workload %s %s\"\n", kind, kind, argsOnStdin)
		return 2
	}
	mapSentinel()
	args, err := readArgs(os.Stdin, make([]byte, maxArgs))
	if err != nil {
		fmt.Fprintf(os.Stderr, "workload %s: read arguments: %v\n", kind, err)
		return 1
	}
	facts, then, err := setupWorkload(kind, args)
	clear(args) // what setup needed is set up; drop the drawn values
	if err != nil {
		fmt.Fprintf(os.Stderr, "workload %s: %v\n", kind, err)
		return 1
	}
	facts["pid"] = strconv.Itoa(os.Getpid())
	if err := json.NewEncoder(os.Stdout).Encode(facts); err != nil {
		return 1
	}
	switch then {
	case spinning:
		spin()
	case exiting:
		return 0
	}
	waitClosed()
	return 0
}

// readArgs reads one JSON line of arguments from r into buf, decodes it
// and zeroes buf, so the drawn values stay only where setup put them. The
// agent writes nothing after the line until it closes the pipe, so reading
// past the newline takes nothing from later.
func readArgs(r io.Reader, buf []byte) (map[string]string, error) {
	defer clear(buf)
	n := 0
	for {
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			var args map[string]string
			if err := json.Unmarshal(buf[:i], &args); err != nil {
				return nil, fmt.Errorf("decode arguments: %w", err)
			}
			return args, nil
		}
		if n == len(buf) {
			return nil, fmt.Errorf("argument line longer than %d bytes", len(buf))
		}
		m, err := r.Read(buf[n:])
		n += m
		if err != nil && m == 0 {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("stdin closed before the argument line ended")
			}
			return nil, err
		}
	}
}

// waitClosed blocks in read(2) on stdin until the agent closes it: the
// main thread sleeps there (state S) for as long as the workload lives.
func waitClosed() {
	var b [256]byte
	for {
		n, err := unix.Read(0, b[:])
		if n <= 0 && err != unix.EINTR {
			return
		}
	}
}

// spin runs on the main thread (main locks it in init), so the thread
// group leader, the task a module's for_each_process sees, is the one
// running.
func spin() {
	for x := uint64(0); ; x++ {
		if x == 0 {
			os.Stdout.Sync()
		}
	}
}

func setupWorkload(kind string, args map[string]string) (map[string]string, after, error) {
	var facts map[string]string
	var err error
	switch kind {
	case plan.Spin:
		facts, err = setupSpin(args["comm"])
		return facts, spinning, err
	case plan.Heap:
		facts, err = setupHeap(args["bytes"])
	case plan.Map:
		facts, err = setupMap(args)
	case plan.Size:
		facts, err = setupSize(args["bytes"], args["touch"])
	case plan.Stacks:
		facts, err = readStacks()
	case plan.Tree:
		facts, err = setupTree(args)
	case treeChild:
		return setupKid(args)
	default:
		err = fmt.Errorf("unknown kind %q", kind)
	}
	return facts, waitClose, err
}

func setupSpin(comm string) (map[string]string, error) {
	if err := setName(comm); err != nil {
		return nil, err
	}
	return map[string]string{"comm": comm}, nil
}

// setName sets the calling thread's comm: the main thread's, which is the
// process's name, since main locks the main goroutine to it.
func setName(comm string) error {
	b := append([]byte(comm), 0)
	if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0); err != nil {
		return fmt.Errorf("set name %q: %w", comm, err)
	}
	return nil
}

func setupHeap(bytes string) (map[string]string, error) {
	n, err := strconv.ParseUint(bytes, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bytes %q: %w", bytes, err)
	}
	cur, _, _ := unix.RawSyscall(unix.SYS_BRK, 0, 0, 0)
	got, _, _ := unix.RawSyscall(unix.SYS_BRK, cur+uintptr(n), 0, 0)
	if got != cur+uintptr(n) {
		return nil, fmt.Errorf("brk(%#x) gave %#x", cur+uintptr(n), got)
	}
	start, err := statField(47) // start_brk
	if err != nil {
		return nil, err
	}
	return map[string]string{"heap_bytes": strconv.FormatUint(uint64(got)-start, 10)}, nil
}

// statField reads field n (1-based, as in proc(5)) of /proc/self/stat.
func statField(n int) (uint64, error) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // field 3 on
	if len(fields) < n-2 {
		return 0, fmt.Errorf("/proc/self/stat has %d fields, want %d", len(fields)+2, n)
	}
	return strconv.ParseUint(fields[n-3], 10, 64)
}

func setupSize(bytes, touch string) (map[string]string, error) {
	n, err1 := strconv.ParseUint(bytes, 10, 64)
	t, err2 := strconv.ParseUint(touch, 10, 64)
	if err := errors.Join(err1, err2); err != nil || t > n {
		return nil, fmt.Errorf("bytes %q touch %q: %v", bytes, touch, err)
	}
	mem, err := unix.Mmap(-1, 0, int(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("mmap %d bytes: %w", n, err)
	}
	for i := uint64(0); i < t; i += 4096 {
		mem[i] = 1
	}
	return map[string]string{}, nil
}

// StartWorkload runs "/init workload KIND -" in its own process group,
// hands it its arguments and reads its facts. Stopping it kills the group
// (a tree's children with it) and reaps every process it started. A
// stacks workload also gets the agent's held perf event (HoldPerfEvent).
func (*Linux) StartWorkload(w plan.Workload) (map[string]string, func() func() bool, error) {
	n := 1
	if w.Kind == plan.Tree {
		kids, _ := parseKids(w.Args["children"])
		n += len(kids) // each child maps its own sentinel
	}
	sents := newSentinels(n)
	extra := sents.files()
	if w.Kind == plan.Stacks {
		if len(extra) == 0 {
			extra = []*os.File{nil} // descriptor 3 stays the sentinel's
		}
		held, _ := HoldPerfEvent() // nil when perf cannot: the workload says why
		extra = append(extra, held)
	}
	p, err := launch(w.Kind, w.Args, extra, true)
	if err != nil {
		sents.close()
		return nil, nil, err
	}
	orphans := pidList(p.facts["all_pids"])
	stop := func() func() bool {
		if !p.stop(orphans) {
			return nil // stuck in the kernel: nothing to tell
		}
		return sents.freed
	}
	return p.facts, stop, nil
}
