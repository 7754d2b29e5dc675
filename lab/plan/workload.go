package plan

// Workload is a process the agent starts so that a module has something
// true to report on. Its Args are drawn by the host, at random per run, so
// that output hard-coded in a module cannot pass; the guest's own random
// state is not used (a restored snapshot would repeat it). The agent hands
// Args to the workload on its stdin, never on its command line or in its
// environment, where a module could read them instead of doing its task.
type Workload struct {
	Name string            `json:"name"` // how params and truth rules name it: "w"
	Kind string            `json:"kind"` // one of Kinds
	Args map[string]string `json:"args,omitempty"`
}

// The workload kinds the agent knows, and the facts each reports.
const (
	// Spin burns CPU under a random name. Args: comm. Facts: pid, comm.
	Spin = "spin"
	// Heap grows its heap with brk. Args: bytes. Facts: pid, heap_bytes.
	Heap = "heap"
	// Map maps and locks a page and a 2 MiB huge page at random
	// addresses, and maps a small region it touches all but one page of.
	// Args: page, offset, huge, huge_offset, sparse, unpopulated, hole.
	// Facts: pid, addr, phys, pfn, huge_addr, huge_phys, unpopulated (an
	// address inside a mapping whose page was never touched: no page table
	// entry maps it, while its neighbours' do), hole (an address mapped to
	// nothing); addresses in hex.
	Map = "map"
	// Size maps a random size and touches part of it. Args: bytes,
	// touch. Facts: pid, vmsize_kb, vmrss_kb.
	Size = "size"
	// Stacks reports the kernel's thread stacks from /proc/vmallocinfo,
	// and task->stack of pid 1 (the agent), read with perf. Facts: addrs
	// (comma-separated), thread_size, pid1_stack (hex, like addrs), or
	// pid1_stack_error saying why pid1_stack could not be read.
	Stacks = "stacks"
	// Tree is a parent process with children in known states: running
	// (spinning), sleeping (blocked in a read, or in D in a vfork the tree
	// holds), stopped (SIGSTOP, or the process a D child's vfork made,
	// held by its tracer) and zombie (exited, never reaped). Args: comm
	// (the parent's), children (comma-separated STATE:comm, STATE one of
	// R S D T Z, in the order they are started). Facts: pid and comm of
	// the parent; running_pids, sleeping_pids, stopped_pids, zombie_pids
	// and all_pids (every child), comma-separated decimal; comms, the
	// children's names in the order of all_pids; idle_pids, the kernel's
	// idle threads (state I) when the tree started.
	Tree = "tree"
)

// FixedFacts are the facts that are the same in every run restored from
// one saved guest (its kernel threads and pid 1 were there when it was
// saved): a failure's evidence does not show them, since a student who
// saw one could print it as a constant and pass every later run.
var FixedFacts = map[string]bool{"pid1_stack": true, "addrs": true}

// Kinds are the workload kinds, for validating specs.
var Kinds = []string{Spin, Heap, Map, Size, Stacks, Tree}

// Facts lists, per kind, the facts a workload of that kind reports (every
// kind also reports pid: the process that stays while the module runs, or
// for Stacks the one that read the stacks).
// A spec that names a fact not listed here is refused when it loads.
var Facts = map[string][]string{
	Spin:   {"pid", "comm"},
	Heap:   {"pid", "heap_bytes"},
	Map:    {"pid", "addr", "phys", "pfn", "huge_addr", "huge_phys", "unpopulated", "hole"},
	Size:   {"pid", "vmsize_kb", "vmrss_kb"},
	Stacks: {"pid", "addrs", "thread_size", "pid1_stack", "pid1_stack_error"},
	Tree:   {"pid", "comm", "running_pids", "sleeping_pids", "stopped_pids", "zombie_pids", "all_pids", "comms", "idle_pids"},
}
