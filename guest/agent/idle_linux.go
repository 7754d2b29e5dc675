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
	return tasksWhere(proc, func(pid, ppid int, state byte) bool { return state == 'I' })
}

// tasksWhere lists, in order, the pids of /proc whose stat says keep
// (their parent's pid and their state).
func tasksWhere(proc fs.FS, keep func(pid, ppid int, state byte) bool) []int {
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
		if ppid, state, ok := statParent(string(b)); ok && keep(pid, ppid, state) {
			out = append(out, pid)
		}
	}
	sort.Ints(out)
	return out
}

// statParent reads the state and the parent's pid from a stat line (the
// fields after the last ')', which ends the name whatever it holds).
func statParent(s string) (ppid int, state byte, ok bool) {
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 2 || len(f[0]) != 1 {
		return 0, 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, f[0][0], err == nil
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
	return tasksWhere(proc, func(pid, ppid int, state byte) bool { return state == 'R' && (ppid == 2 || pid == 2) })
}

// KernelBusy reports whether a kernel thread of the guest is runnable.
func (*Linux) KernelBusy() bool { return len(runnableKernelThreads(os.DirFS("/proc"))) > 0 }
