package plan

// Workload is a process the agent starts so that a module has something
// true to report on. Its Args are drawn by the host, at random per run, so
// that output hard-coded in a module cannot pass; the guest's own random
// state is not used (a restored snapshot would repeat it).
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
	// addresses. Args: page, offset, huge, huge_offset, hole. Facts: pid,
	// addr, phys, pfn, huge_addr, huge_phys, hole (an address mapped to
	// nothing); addresses in hex.
	Map = "map"
	// Size maps a random size and touches part of it. Args: bytes,
	// touch. Facts: pid, vmsize_kb, vmrss_kb.
	Size = "size"
	// Stacks reports the kernel's thread stacks from /proc/vmallocinfo.
	// Facts: addrs (comma-separated), thread_size.
	Stacks = "stacks"
)

// Kinds are the workload kinds, for validating specs.
var Kinds = []string{Spin, Heap, Map, Size, Stacks}

// Facts lists, per kind, the facts a workload of that kind reports (every
// kind also reports pid, except Stacks, which starts no process that stays).
// A spec that names a fact not listed here is refused when it loads.
var Facts = map[string][]string{
	Spin:   {"pid", "comm"},
	Heap:   {"pid", "heap_bytes"},
	Map:    {"pid", "addr", "phys", "pfn", "huge_addr", "huge_phys", "hole"},
	Size:   {"pid", "vmsize_kb", "vmrss_kb"},
	Stacks: {"pid", "addrs", "thread_size"},
}
