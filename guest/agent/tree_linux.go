package agent

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// treeChild is the kind a tree starts its children as. It is not a plan
// kind: a spec cannot start one alone.
const treeChild = "tree-child"

// stateTimeout bounds how long a tree waits for its children to be in
// their states.
const stateTimeout = 10 * time.Second

// kid is one child of a tree, as the host drew it.
type kid struct {
	state byte // R, S, D, T or Z (t: held by its tracer): the state /proc/PID/stat must show
	comm  string
}

// kidStates names the states a child can be in, by their letter in
// /proc/PID/stat, and the fact that lists the children in each: asleep
// interruptibly (S) or not (D), stopped by a signal (T) or by its tracer
// (t: the process a D child's vfork made, which the tree holds).
var kidStates = map[byte]string{'R': "running_pids", 'S': "sleeping_pids", 'D': "sleeping_pids",
	'T': "stopped_pids", 't': "stopped_pids", 'Z': "zombie_pids"}

// drawnStates are the states the host may draw a child in.
const drawnStates = "RSDTZ"

// parseKids reads a tree's children argument: "R:leaf-1a2b3c,S:leaf-...".
func parseKids(s string) ([]kid, error) {
	if s == "" {
		return nil, fmt.Errorf("children: none given")
	}
	var kids []kid
	for _, f := range strings.Split(s, ",") {
		st, comm, ok := strings.Cut(f, ":")
		if !ok || len(st) != 1 || !strings.Contains(drawnStates, st) {
			return nil, fmt.Errorf("children: %q is not STATE:comm with STATE one of R S D T Z", f)
		}
		if comm == "" || len(comm) > 15 || strings.ContainsAny(comm, ":,") {
			return nil, fmt.Errorf("children: name %q: want 1 to 15 bytes, no ':' or ','", comm)
		}
		kids = append(kids, kid{state: st[0], comm: comm})
	}
	return kids, nil
}

// treeKids holds the tree's children for as long as the tree lives: their
// stdin pipes must stay open (a sleeping child sleeps reading one), and a
// collected *os.File would close its pipe. treeHeld are the processes the
// D children's vforks made.
var (
	treeKids []*proc
	treeHeld []int
)

// setupTree starts the children, puts each in its state and checks the
// states in /proc before reporting them. Its process group (the agent made
// it a leader) holds the children: stopping the workload kills them all.
func setupTree(args map[string]string) (map[string]string, error) {
	kids, err := parseKids(args["children"])
	if err != nil {
		return nil, err
	}
	if err := setName(args["comm"]); err != nil {
		return nil, err
	}
	kids, pids, err := startKids(kids)
	if err == nil {
		err = awaitStates(kids, pids, stateTimeout)
	}
	if err != nil {
		killKids()
		return nil, err
	}
	facts := treeFacts(kids, pids, args["comm"])
	facts["idle_pids"] = idlePids()
	return facts, nil
}

// startKids starts each child and puts it in its state, and returns them
// with the processes D children's vforks made (stopped children).
func startKids(drawn []kid) ([]kid, []int, error) {
	sents := kidSentinels(len(drawn))
	defer closeAll(sents)
	var kids []kid
	var pids []int
	for i, k := range drawn {
		p, err := launch(treeChild, map[string]string{"state": string(k.state), "comm": k.comm}, sents[i], false)
		if err != nil {
			return nil, nil, fmt.Errorf("start child %d (%c %s): %w", i+1, k.state, k.comm, err)
		}
		treeKids = append(treeKids, p)
		pid := p.cmd.Process.Pid
		kids, pids = append(kids, k), append(pids, pid)
		switch k.state {
		case 'T':
			_ = unix.Kill(pid, unix.SIGSTOP)
		case 'D':
			held, err := holdInVfork(pid, heldWithin)
			if err != nil {
				return nil, nil, fmt.Errorf("hold child %d (%s) in uninterruptible sleep: %w", pid, k.comm, err)
			}
			treeHeld = append(treeHeld, held)
			kids, pids = append(kids, kid{state: 't', comm: k.comm}), append(pids, held)
		}
	}
	return kids, pids, nil
}

// kidSentinels are the children's address-space sentinels: the agent
// passes the tree its children's after its own, as descriptors 4 and up.
// Each child gets its own as its descriptor 3 (ExtraFiles); close-on-exec
// keeps the others from it. A child has none when the agent had none.
func kidSentinels(n int) [][]*os.File {
	out := make([][]*os.File, n)
	for i := range out {
		fd := 4 + i
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		unix.CloseOnExec(fd)
		out[i] = []*os.File{os.NewFile(uintptr(fd), "lkmlab-sentinel")}
	}
	return out
}

// closeAll closes the tree's copies once the children have theirs.
func closeAll(files [][]*os.File) {
	for _, fs := range files {
		for _, f := range fs {
			f.Close()
		}
	}
}

// killKids kills and reaps the children started so far, after a failure.
func killKids() {
	for _, p := range treeKids {
		p.stop(nil)
	}
	treeKids = nil
	for _, pid := range treeHeld {
		_ = unix.Kill(pid, unix.SIGKILL)
		_, _ = unix.Wait4(pid, nil, unix.WALL, nil)
	}
	treeHeld = nil
}

// awaitStates polls /proc until each child shows its name and state.
func awaitStates(kids []kid, pids []int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var wrong []string
		for i, k := range kids {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pids[i]) + "/stat")
			if err != nil {
				return fmt.Errorf("child %d (%s) is gone: %w", pids[i], k.comm, err)
			}
			comm, st, err := parseStat(string(b))
			if err != nil || comm != k.comm || st != k.state {
				wrong = append(wrong, fmt.Sprintf("child %d is %q in state %c, want %q in %c", pids[i], comm, st, k.comm, k.state))
			}
		}
		if len(wrong) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("children not in their states after %v: %s", timeout, strings.Join(wrong, "; "))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// treeFacts lists the children by state, and all of them with their names.
func treeFacts(kids []kid, pids []int, comm string) map[string]string {
	facts := map[string]string{"comm": comm}
	for _, name := range kidStates {
		facts[name] = ""
	}
	var all, comms []string
	for i, k := range kids {
		p := strconv.Itoa(pids[i])
		name := kidStates[k.state]
		facts[name] = strings.TrimPrefix(facts[name]+","+p, ",")
		all = append(all, p)
		comms = append(comms, k.comm)
	}
	facts["all_pids"], facts["comms"] = strings.Join(all, ","), strings.Join(comms, ",")
	return facts
}

// setupKid is a tree child's side: take its name, then spin (R), sleep in
// a read of stdin (S, and T once the tree stops it), in a vfork the tree
// holds (D) or exit unreaped (Z).
func setupKid(args map[string]string) (map[string]string, after, error) {
	if err := setName(args["comm"]); err != nil {
		return nil, waitClose, err
	}
	switch args["state"] {
	case "R":
		return map[string]string{}, spinning, nil
	case "S", "T":
		return map[string]string{}, waitClose, nil
	case "D":
		return nil, waitClose, blockInVfork()
	case "Z":
		return map[string]string{}, exiting, nil
	}
	return nil, waitClose, fmt.Errorf("state %q: want R, S, D, T or Z", args["state"])
}
