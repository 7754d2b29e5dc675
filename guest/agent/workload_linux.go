package agent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/lkmlab/lkmlab/lab/plan"
	"golang.org/x/sys/unix"
)

// WorkloadMain is the child side of a workload: it sets up what its kind
// describes, prints its facts as one JSON line, and then spins (Spin) or
// waits for its stdin to close.
func WorkloadMain(kind, argsJSON string) int {
	mapSentinel()
	var args map[string]string
	if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
		fmt.Fprintf(os.Stderr, "workload %s: args: %v\n", kind, err)
		return 1
	}
	facts, err := setupWorkload(kind, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "workload %s: %v\n", kind, err)
		return 1
	}
	facts["pid"] = strconv.Itoa(os.Getpid())
	if err := json.NewEncoder(os.Stdout).Encode(facts); err != nil {
		return 1
	}
	if kind == plan.Spin {
		spin()
	}
	_, _ = bufio.NewReader(os.Stdin).ReadString(0) // until the agent closes it
	return 0
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

func setupWorkload(kind string, args map[string]string) (map[string]string, error) {
	switch kind {
	case plan.Spin:
		return setupSpin(args["comm"])
	case plan.Heap:
		return setupHeap(args["bytes"])
	case plan.Map:
		return setupMap(args)
	case plan.Size:
		return setupSize(args["bytes"], args["touch"])
	case plan.Stacks:
		return readStacks()
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

func setupSpin(comm string) (map[string]string, error) {
	b := append([]byte(comm), 0)
	if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0, 0, 0); err != nil {
		return nil, fmt.Errorf("set name %q: %w", comm, err)
	}
	return map[string]string{"comm": comm}, nil
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

// stackCallers are the functions vmallocinfo can name as the allocator of
// a thread stack: alloc_thread_stack_node passes its caller's address, and
// with inlining that shows as dup_task_struct, copy_process or kernel_clone.
var stackCallers = []string{"alloc_thread_stack_node", "dup_task_struct", "copy_process", "kernel_clone"}

// readStacks lists the kernel's vmalloc'ed thread stacks. vmallocinfo
// prints addresses with %pK: hashed unless kptr_restrict is 1 (then real
// for a reader with CAP_SYSLOG, as root here is).
func readStacks() (map[string]string, error) {
	if err := os.WriteFile("/proc/sys/kernel/kptr_restrict", []byte("1"), 0); err != nil {
		return nil, fmt.Errorf("set kptr_restrict: %w", err)
	}
	b, err := os.ReadFile("/proc/vmallocinfo")
	if err != nil {
		return nil, err
	}
	var addrs []string
	size := uint64(0)
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || !slices.ContainsFunc(stackCallers, func(c string) bool { return strings.HasPrefix(f[2], c+"+") }) {
			continue
		}
		start, _, _ := strings.Cut(f[0], "-")
		addrs = append(addrs, strings.TrimPrefix(start, "0x"))
		if n, err := strconv.ParseUint(f[1], 10, 64); err == nil {
			size = n - 4096 // the area includes one guard page
		}
	}
	return map[string]string{"addrs": strings.Join(addrs, ","), "thread_size": strconv.FormatUint(size, 10)}, nil
}

// StartWorkload runs "/init workload KIND ARGS" and reads its facts.
func (*Linux) StartWorkload(w plan.Workload) (map[string]string, func() func() bool, error) {
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	args, _ := json.Marshal(w.Args)
	cmd := exec.Command(self, "workload", w.Kind, string(args))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	sent := newSentinel()
	cmd.ExtraFiles = sent.file()
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() func() bool {
		stdin.Close()
		_ = cmd.Process.Kill()
		reaped := make(chan struct{})
		go func() { _ = cmd.Wait(); close(reaped) }()
		select {
		case <-reaped:
			return sent.freed
		case <-time.After(2 * time.Second):
			return nil // stuck in the kernel: nothing to tell
		}
	}
	line := make(chan []byte, 1)
	go func() {
		b, _ := bufio.NewReader(stdout).ReadBytes('\n')
		line <- b
	}()
	var facts map[string]string
	select {
	case b := <-line:
		if err := json.Unmarshal(b, &facts); err != nil {
			return nil, nil, workloadDied(cmd, &stderr)
		}
	case <-time.After(10 * time.Second):
		_ = stop()
		return nil, nil, errors.New("no facts within 10s")
	}
	return facts, stop, nil
}

// workloadDied explains a workload that ended without reporting facts:
// its own message, or how it ended (an OOM kill leaves no message).
func workloadDied(cmd *exec.Cmd, stderr *strings.Builder) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-time.After(2 * time.Second):
		_ = cmd.Process.Kill()
		werr = <-done
	}
	msg := strings.TrimSpace(stderr.String())
	if msg == "" {
		msg = fmt.Sprintf("ended before reporting its facts (%v; out of memory?)", werr)
	}
	return errors.New(msg)
}
