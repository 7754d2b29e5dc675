package agent

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
	"golang.org/x/sys/unix"
)

// The workloads StartWorkload starts re-execute this test binary as
// "TEST workload KIND -", as the agent re-executes itself: TestMain plays
// the part of guest/main.go, which also keeps main on the main thread.
func init() { runtime.LockOSThread() }

func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "workload" {
		os.Exit(WorkloadMain(os.Args[2], os.Args[3]))
	}
	os.Exit(m.Run())
}

func TestReadArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   io.Reader
		want map[string]string
		err  string
	}{
		{"one line", strings.NewReader(`{"bytes":"1234"}` + "\n"), map[string]string{"bytes": "1234"}, ""},
		{"byte by byte", iotest.OneByteReader(strings.NewReader(`{"a":"1","b":"2"}` + "\n")), map[string]string{"a": "1", "b": "2"}, ""},
		{"closed early", strings.NewReader(`{"a":"1"}`), nil, "stdin closed"},
		{"not json", strings.NewReader("a=1\n"), nil, "decode arguments"},
		{"too long", strings.NewReader(strings.Repeat("x", 200)), nil, "longer than 64 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf := make([]byte, 64)
			got, err := readArgs(tc.in, buf)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one containing %q", err, tc.err)
				}
			} else if err != nil || !maps.Equal(got, tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			if !bytes.Equal(buf, make([]byte, len(buf))) {
				t.Fatalf("buffer not zeroed after reading: %q", buf)
			}
		})
	}
}

func TestWorkloadRefusesArgumentsOnArgv(t *testing.T) {
	// An old-style caller passing values on the command line must fail
	// loudly rather than run with none.
	if code := WorkloadMain(plan.Heap, `{"bytes":"4096"}`); code == 0 {
		t.Fatal("WorkloadMain took its arguments from argv")
	}
}

func TestParseStat(t *testing.T) {
	for _, tc := range []struct {
		stat  string
		comm  string
		state byte
		bad   bool
	}{
		{"123 (leaf-1a2b3c) S 1 123 123 0 -1", "leaf-1a2b3c", 'S', false},
		{"77 (a (b) c) R 1 2", "a (b) c", 'R', false},
		{"9 () Z 1", "", 'Z', false},
		{"9 (x)", "", 0, true},
		{"garbage", "", 0, true},
	} {
		comm, st, err := parseStat(tc.stat)
		if (err != nil) != tc.bad || !tc.bad && (comm != tc.comm || st != tc.state) {
			t.Errorf("parseStat(%q) = %q, %q, %v; want %q, %q, bad=%v", tc.stat, comm, st, err, tc.comm, tc.state, tc.bad)
		}
	}
}

func TestParseKids(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []kid
		bad  bool
	}{
		{"R:a,S:b,T:c,Z:d", []kid{{'R', "a"}, {'S', "b"}, {'T', "c"}, {'Z', "d"}}, false},
		{"", nil, true},
		{"X:a", nil, true},
		{"R:", nil, true},
		{"R:abcdefghijklmnop", nil, true}, // 16 bytes: the kernel would cut it
		{"Ra", nil, true},
	} {
		got, err := parseKids(tc.in)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("parseKids(%q) = %v, %v; want %v, bad=%v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestPidList(t *testing.T) {
	// pid 1 (the agent) and what is no pid are never reaped.
	if got := pidList("12, 13,x,,1,0,-4"); !slices.Equal(got, []int{12, 13}) {
		t.Fatalf("pidList = %v", got)
	}
}

// sampleRecord builds a PERF_RECORD_SAMPLE as the kernel lays it out for
// sample_type PERF_SAMPLE_REGS_INTR with one register: hand-made, not
// captured.
func sampleRecord(abi, sp uint64) []byte {
	b := binary.NativeEndian.AppendUint32(nil, perfRecordSample)
	b = binary.NativeEndian.AppendUint16(b, 0)  // misc
	b = binary.NativeEndian.AppendUint16(b, 24) // size
	b = binary.NativeEndian.AppendUint64(b, abi)
	return binary.NativeEndian.AppendUint64(b, sp)
}

func TestParseSamples(t *testing.T) {
	lost := binary.NativeEndian.AppendUint32(nil, 2) // PERF_RECORD_LOST
	lost = binary.NativeEndian.AppendUint16(lost, 0)
	lost = binary.NativeEndian.AppendUint16(lost, 24)
	lost = append(lost, make([]byte, 16)...)
	ring := slices.Concat(sampleRecord(2, 0xffffc90000013e58), lost, sampleRecord(0, 0), sampleRecord(2, 0xffffc90000013d10))
	for _, tc := range []struct {
		name string
		head uint64
		want []uint64
	}{
		{"all", uint64(len(ring)), []uint64{0xffffc90000013e58, 0xffffc90000013d10}},
		{"head mid-record", 30, []uint64{0xffffc90000013e58}},
		{"empty", 0, nil},
		{"head past the buffer", 1 << 20, []uint64{0xffffc90000013e58, 0xffffc90000013d10}},
	} {
		if got := parseSamples(ring, tc.head, 1); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %x, want %x", tc.name, got, tc.want)
		}
	}
	bad := binary.NativeEndian.AppendUint64(nil, 0) // size 0 must not loop
	if got := parseSamples(bad, 8, 1); got != nil {
		t.Errorf("zero-size record: got %x", got)
	}
}

func TestMapSparseLeavesOnePageUnpopulated(t *testing.T) {
	const base = 0x3000_1234_0000
	unpop := uint64(base + 5*pageSize + 0x123)
	if err := mapSparse(base, unpop); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _, _ = unix.Syscall(unix.SYS_MUNMAP, base, sparsePages*pageSize, 0) })
	if !mapped(unpop) {
		t.Fatalf("%#x is in no mapping", unpop)
	}
	for _, tc := range []struct {
		addr    uint64
		present bool
	}{{unpop, false}, {unpop - pageSize, true}, {unpop + pageSize, true}, {base, true}} {
		e, err := pagemapEntry(tc.addr)
		if err != nil || (e&(1<<63) != 0) != tc.present {
			t.Errorf("%#x: pagemap entry %#x, %v; want present=%v", tc.addr, e, err, tc.present)
		}
	}
	if err := mapSparse(base+sparsePages*pageSize, base+sparsePages*pageSize); err == nil {
		t.Error("mapSparse took an address in its region's first page")
	}
}

// procStat reads a process's name and state; gone reports no process.
func procStat(t *testing.T, pid int) (comm string, state byte, gone bool) {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if errors.Is(err, os.ErrNotExist) {
		return "", 0, true
	}
	comm, state, err = parseStat(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return comm, state, false
}

func TestWorkloadArgumentsStayOffArgvAndEnvironment(t *testing.T) {
	const bytes = "7340033" // what a module must find out through mm->brk
	facts, stop, err := (&Linux{}).StartWorkload(plan.Workload{Name: "h", Kind: plan.Heap, Args: map[string]string{"bytes": bytes}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stop() }()
	pid := facts["pid"]
	cmdline, err1 := os.ReadFile("/proc/" + pid + "/cmdline")
	environ, err2 := os.ReadFile("/proc/" + pid + "/environ")
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00")
	if len(args) != 4 || args[1] != "workload" || args[2] != plan.Heap || args[3] != argsOnStdin {
		t.Errorf("command line %q, want [SELF workload heap -]", args)
	}
	// Only the runtime's setting: nothing a module could read a value from.
	if string(environ) != "GODEBUG=asyncpreemptoff=1\x00" || strings.Contains(string(environ), bytes) {
		t.Errorf("environment %q, want only GODEBUG=asyncpreemptoff=1", environ)
	}
	if facts["heap_bytes"] == "" {
		t.Errorf("facts %v: no heap_bytes", facts)
	}
}

func TestTreeChildrenAreInTheirStatesAndAllReaped(t *testing.T) {
	// Orphans come to the nearest subreaper: this test, as pid 1 in the guest.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Skipf("cannot become a subreaper: %v", err)
	}
	kids := "S:leaf-000001,R:leaf-000002,Z:leaf-000003,T:leaf-000004,S:leaf-000005"
	facts, stop, err := (&Linux{}).StartWorkload(plan.Workload{Name: "t", Kind: plan.Tree, Args: map[string]string{"comm": "tree-00abcd", "children": kids}})
	if err != nil {
		t.Fatal(err)
	}
	parent, _ := strconv.Atoi(facts["pid"])
	if comm, _, _ := procStat(t, parent); comm != "tree-00abcd" || facts["comm"] != comm {
		t.Errorf("parent %d is %q, fact %q; want tree-00abcd", parent, comm, facts["comm"])
	}
	for _, tc := range []struct {
		fact  string
		state byte
		n     int
	}{{"running_pids", 'R', 1}, {"sleeping_pids", 'S', 2}, {"stopped_pids", 'T', 1}, {"zombie_pids", 'Z', 1}} {
		pids := pidList(facts[tc.fact])
		if len(pids) != tc.n {
			t.Errorf("%s = %q, want %d pids", tc.fact, facts[tc.fact], tc.n)
		}
		for _, pid := range pids {
			if _, st, gone := procStat(t, pid); gone || st != tc.state {
				t.Errorf("%s: %d is in state %c (gone %v), want %c", tc.fact, pid, st, gone, tc.state)
			}
		}
	}
	all := pidList(facts["all_pids"])
	comms := strings.Split(facts["comms"], ",")
	if len(all) != 5 || len(comms) != 5 {
		t.Fatalf("all_pids %q, comms %q: want 5 each", facts["all_pids"], facts["comms"])
	}
	for i, pid := range all {
		if comm, _, _ := procStat(t, pid); comm != comms[i] || !strings.Contains(kids, comm) {
			t.Errorf("child %d is %q, comms says %q", pid, comm, comms[i])
		}
	}
	freed := stop()
	if freed == nil {
		t.Fatal("stop could not reap the tree")
	}
	for _, pid := range append(all, parent) {
		if _, _, gone := procStat(t, pid); !gone {
			t.Errorf("pid %d outlived its tree", pid)
		}
	}
	if !freed() {
		t.Error("a tree process's address space was not freed")
	}
}

func TestSampleKernelStackPointer(t *testing.T) {
	// The guest samples pid 1; here a spinning child stands in for it,
	// switched out at every tick.
	facts, stop, err := (&Linux{}).StartWorkload(plan.Workload{Name: "s", Kind: plan.Spin, Args: map[string]string{"comm": "spin-perf"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stop() }()
	pid, _ := strconv.Atoi(facts["pid"])
	sps, err := sampleSP(pid, nil, -1, 5*time.Second)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENOENT) {
		t.Skipf("perf cannot sample kernel registers here (%v): run as root on a kernel with CONFIG_PERF_EVENTS", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	const kernelBase = 0xffff800000000000 // the upper half, amd64 and arm64
	lo, hi := slices.Min(sps), slices.Max(sps)
	if lo < kernelBase {
		t.Errorf("stack pointers %x: not all kernel addresses", sps)
	}
	// Every switch happens on the same task's stack: 16 KiB at least.
	if hi-lo >= 16<<10 {
		t.Errorf("stack pointers %x span %d bytes: more than one stack", sps, hi-lo)
	}
}

func TestSampleWithTheHeldEvent(t *testing.T) {
	// As in the guest, where the agent holds an event on its own main
	// thread (pid 1) and the stacks workload enables it and wakes pid 1
	// with SIGURG, which Go ignores: here this process plays both parts.
	f, err := HoldPerfEvent()
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.ENOENT) {
		t.Skipf("perf cannot sample kernel registers here (%v): run as root on a kernel with CONFIG_PERF_EVENTS", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	self := os.Getpid()
	wake := func() { _ = unix.Tgkill(self, self, unix.SIGURG) }
	for range 2 { // the event is enabled and disabled again each time
		sps, err := sampleSP(self, wake, int(f.Fd()), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi := slices.Min(sps), slices.Max(sps); lo < 0xffff800000000000 || hi-lo >= 16<<10 {
			t.Fatalf("stack pointers %x: not all on one kernel stack", sps)
		}
	}
	if again, _ := HoldPerfEvent(); again != f {
		t.Error("HoldPerfEvent opened a second event")
	}
}
