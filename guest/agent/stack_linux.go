package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stackCallers are the functions vmallocinfo can name as the allocator of
// a thread stack: alloc_thread_stack_node passes its caller's address, and
// with inlining that shows as dup_task_struct, copy_process or kernel_clone.
var stackCallers = []string{"alloc_thread_stack_node", "dup_task_struct", "copy_process", "kernel_clone"}

// sampleTimeout bounds the wait for a context switch of pid 1.
const sampleTimeout = 5 * time.Second

// readStacks lists the kernel's vmalloc'ed thread stacks, and finds which
// is pid 1's (task->stack). When that cannot be read, pid1_stack_error
// says why instead: the other facts still hold.
func readStacks() (map[string]string, error) {
	addrs, size, err := listStacks()
	if err != nil {
		return nil, err
	}
	facts := map[string]string{"addrs": strings.Join(addrs, ","), "thread_size": strconv.FormatUint(size, 10)}
	wake := func() { _ = unix.Tgkill(1, 1, unix.SIGURG) }
	held := inheritedPerf()
	base, err := taskStack(1, wake, held, addrs, size)
	if held >= 0 {
		unix.Close(held) // the agent keeps its own
	}
	if err != nil {
		facts["pid1_stack_error"] = err.Error()
	} else {
		facts["pid1_stack"] = strconv.FormatUint(base, 16)
	}
	return facts, nil
}

// heldPerfFD is where a stacks workload finds the agent's held perf event
// (exec.Cmd.ExtraFiles[1], after the sentinel).
const heldPerfFD = 4

// inheritedPerf returns heldPerfFD when it is a perf event, else -1.
func inheritedPerf() int {
	if l, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(heldPerfFD)); err == nil && l == "anon_inode:[perf_event]" {
		return heldPerfFD
	}
	return -1
}

// perfHeld is the event HoldPerfEvent opened, or why it could not.
var perfHeld struct {
	once sync.Once
	f    *os.File
	err  error
}

// HoldPerfEvent opens, once per process, a disabled perf event on the
// process's main thread (pid 1, the agent, in the guest) that samples its
// kernel stack pointer at each context switch, and keeps it open for the
// life of the process; the stacks workload gets it (see StartWorkload),
// enables it while it samples, and disables it again.
//
// Why hold it: creating or freeing a perf event turns static keys on or
// off, which the kernel does by patching its own text through int3
// breakpoints, and under QEMU's multi-threaded TCG a vCPU can still run a
// stale int3 once the patch is done: an "Oops: int3" in __schedule, seen
// on debian-6.12. While this event lives the keys stay on, and later
// events only count them up and down. Call it before the guest is saved,
// so that no restored guest patches its text for perf at all.
func HoldPerfEvent() (*os.File, error) {
	perfHeld.once.Do(func() {
		fd, err := openSPEvent(os.Getpid(), true)
		if err != nil {
			perfHeld.err = err
			return
		}
		perfHeld.f = os.NewFile(uintptr(fd), "perf-sp")
	})
	return perfHeld.f, perfHeld.err
}

// listStacks reads /proc/vmallocinfo: the thread stacks' start addresses
// (hex, no 0x) and THREAD_SIZE. vmallocinfo prints addresses with %pK:
// hashed unless kptr_restrict is 1 (then real for a reader with
// CAP_SYSLOG, as root here is).
func listStacks() ([]string, uint64, error) {
	if err := os.WriteFile("/proc/sys/kernel/kptr_restrict", []byte("1"), 0); err != nil {
		return nil, 0, fmt.Errorf("set kptr_restrict: %w", err)
	}
	b, err := os.ReadFile("/proc/vmallocinfo")
	if err != nil {
		return nil, 0, err
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
	return addrs, size, nil
}

// taskStack finds task->stack of thread tid. User space cannot read it,
// but perf can sample the kernel stack pointer of tid at each of its
// context switches (the caller registers of the switch, taken on tid's
// own kernel stack); with VMAP_STACK the stack is THREAD_SIZE-aligned, so
// its base is that pointer rounded down. The result must be one of the
// thread stacks vmallocinfo lists. wake, when set, is called while waiting,
// to make a sleeping tid switch. perfFD is a held event on tid (see
// HoldPerfEvent), or -1 to open one.
func taskStack(tid int, wake func(), perfFD int, stacks []string, threadSize uint64) (uint64, error) {
	if threadSize == 0 || threadSize&(threadSize-1) != 0 {
		return 0, fmt.Errorf("no thread size from /proc/vmallocinfo (got %d): the kernel needs CONFIG_VMAP_STACK", threadSize)
	}
	sps, err := sampleSP(tid, wake, perfFD, sampleTimeout)
	if err != nil {
		return 0, err
	}
	for _, sp := range sps {
		base := sp &^ (threadSize - 1)
		if slices.ContainsFunc(stacks, func(s string) bool { n, err := strconv.ParseUint(s, 16, 64); return err == nil && n == base }) {
			return base, nil
		}
	}
	return 0, fmt.Errorf("pid %d's kernel stack pointers %x lie in no thread stack /proc/vmallocinfo lists", tid, sps)
}

// perfRegSP is the stack pointer's index in perf's register set
// (asm/perf_regs.h): PERF_REG_X86_SP, PERF_REG_ARM64_SP.
var perfRegSP = map[string]uint{"amd64": 7, "arm64": 31}

// sampleSP samples the kernel stack pointer of tid at its context
// switches, with the held event perfFD (enabled only while sampling) or,
// when perfFD is -1, an event of its own, and returns the stack pointers
// of the first samples it reads.
func sampleSP(tid int, wake func(), perfFD int, timeout time.Duration) ([]uint64, error) {
	fd := perfFD
	if fd < 0 {
		var err error
		if fd, err = openSPEvent(tid, false); err != nil {
			return nil, err
		}
		defer unix.Close(fd)
	}
	pg := os.Getpagesize()
	ring, err := unix.Mmap(fd, 0, 2*pg, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map perf ring buffer: %w", err)
	}
	defer unix.Munmap(ring)
	if perfFD >= 0 {
		if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_ENABLE, 0); err != nil {
			return nil, fmt.Errorf("enable the held perf event: %w", err)
		}
		defer unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_DISABLE, 0)
	}
	meta := (*unix.PerfEventMmapPage)(unsafe.Pointer(&ring[0]))
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); {
		if wake != nil {
			wake()
		}
		_, _ = unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, 20)
		// The tail stays at 0, so records never wrap: the kernel drops what
		// does not fit after the first ones, which are all this needs.
		head := atomic.LoadUint64(&meta.Data_head)
		if sps := parseSamples(ring[pg:], head, 1); len(sps) > 0 {
			return sps, nil
		}
	}
	return nil, fmt.Errorf("no context switch of pid %d sampled within %v", tid, timeout)
}

// openSPEvent opens a perf software event on thread tid that samples, at
// each of its context switches, the stack pointer among the registers the
// switch was taken with (on tid's own kernel stack).
func openSPEvent(tid int, disabled bool) (int, error) {
	reg, ok := perfRegSP[runtime.GOARCH]
	if !ok {
		return -1, fmt.Errorf("sample the stack pointer: no perf register number for %s", runtime.GOARCH)
	}
	attr := unix.PerfEventAttr{
		Type:             unix.PERF_TYPE_SOFTWARE,
		Config:           unix.PERF_COUNT_SW_CONTEXT_SWITCHES,
		Sample:           1, // sample_period: every switch
		Sample_type:      unix.PERF_SAMPLE_REGS_INTR,
		Sample_regs_intr: 1 << reg,
		Wakeup:           1, // wakeup_events: poll wakes at the first sample
	}
	if disabled {
		attr.Bits |= unix.PerfBitDisabled
	}
	attr.Size = uint32(unsafe.Sizeof(attr))
	fd, err := unix.PerfEventOpen(&attr, tid, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return -1, fmt.Errorf("perf_event_open on pid %d: %w%s", tid, err, perfHint(err))
	}
	return fd, nil
}

// perfHint names the likely cause of a perf_event_open error.
func perfHint(err error) string {
	switch {
	case errors.Is(err, unix.ENOSYS):
		return " (the kernel lacks CONFIG_PERF_EVENTS)"
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM):
		return " (kernel samples need root, and no lockdown)"
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EINVAL):
		return " (the kernel lacks software events or register sampling)"
	}
	return ""
}

// perfRecordSample is PERF_RECORD_SAMPLE's type.
const perfRecordSample = 9

// parseSamples reads the PERF_RECORD_SAMPLE records in data[:head] of a
// ring buffer whose samples carry only PERF_SAMPLE_REGS_INTR with nregs
// registers, and returns each sample's first register. A sample whose abi
// is PERF_SAMPLE_REGS_ABI_NONE (0) has no registers and is skipped.
func parseSamples(data []byte, head uint64, nregs int) []uint64 {
	var out []uint64
	end := min(head, uint64(len(data)))
	for off := uint64(0); off+8 <= end; {
		typ := binary.NativeEndian.Uint32(data[off:])
		size := uint64(binary.NativeEndian.Uint16(data[off+6:]))
		if size < 8 || off+size > end {
			break
		}
		body := data[off+8 : off+size]
		if typ == perfRecordSample && len(body) >= 8*(1+nregs) && binary.NativeEndian.Uint64(body) != 0 {
			out = append(out, binary.NativeEndian.Uint64(body[8:]))
		}
		off += size
	}
	return out
}
