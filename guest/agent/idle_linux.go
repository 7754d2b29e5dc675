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
