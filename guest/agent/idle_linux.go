package agent

import (
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
)

// idleThreads lists the pids /proc shows in state I: kernel threads
// waiting for work (TASK_IDLE: kworkers, rcu threads), which are neither
// running nor runnable, though a module that lists every task not
// sleeping interruptibly or stopped takes them in. Read before the step,
// so a module cannot hide them first; a thread idle then may have woken
// since, which rules that use the list allow for.
func idleThreads(proc fs.FS) []int {
	entries, err := fs.ReadDir(proc, ".")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		b, err := fs.ReadFile(proc, e.Name()+"/stat")
		if err != nil {
			continue // gone since the listing
		}
		if _, state, err := parseStat(string(b)); err == nil && state == 'I' {
			out = append(out, pid)
		}
	}
	sort.Ints(out)
	return out
}

// idlePids is idleThreads of the guest's /proc, comma-separated.
func idlePids() string {
	pids := idleThreads(os.DirFS("/proc"))
	s := make([]string, len(pids))
	for i, p := range pids {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ",")
}

// runnableKernelThreads lists the kernel threads (kthreadd and its
// children) /proc shows in state R: work the kernel has yet to do, such
// as a thread a module just started that has not printed yet.
func runnableKernelThreads(proc fs.FS) []int {
	entries, err := fs.ReadDir(proc, ".")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		b, err := fs.ReadFile(proc, e.Name()+"/stat")
		if err != nil {
			continue
		}
		s := string(b)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 2 || f[0] != "R" {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil && (ppid == 2 || pid == 2) {
			out = append(out, pid)
		}
	}
	sort.Ints(out)
	return out
}

// KernelBusy reports whether a kernel thread of the guest is runnable.
func (*Linux) KernelBusy() bool { return len(runnableKernelThreads(os.DirFS("/proc"))) > 0 }
