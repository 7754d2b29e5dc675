package kbuild

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Hand-written fixtures in the formats of /proc/self/mountinfo and
// /proc/self/cgroup, modelled on this project's hosts: a cgroup v1 host
// (memory and pids hierarchies, a v2 mount without controllers) and a
// systemd cgroup v2 host.
const (
	mountinfoV1 = `22 1 0:20 / / rw,relatime - ext4 /dev/vda rw
30 22 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755
34 30 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
37 30 0:33 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
38 30 0:34 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
39 30 0:35 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	selfV1 = `8:pids:/
4:memory:/process_api/abc
1:cpu,cpuacct:/
0::/
`
	mountinfoV2 = `22 1 0:20 / / rw,relatime - ext4 /dev/vda rw
31 22 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
40 22 0:40 / /mnt/with\040space rw - ext4 /dev/vdb rw
`
	selfV2 = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/lkmlab.scope\n"
)

func TestParseCgroupFiles(t *testing.T) {
	m := parseMountinfo([]byte(mountinfoV1))
	for ctl, want := range map[string]string{"memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct", "cgroup2": "/sys/fs/cgroup/unified"} {
		if m[ctl].point != want {
			t.Errorf("mount of %s = %q, want %q", ctl, m[ctl].point, want)
		}
	}
	if _, ok := m["rw"]; ok {
		t.Error("mount options taken for controllers")
	}
	p := parseSelfCgroup([]byte(selfV1))
	if p["memory"] != "/process_api/abc" || p["pids"] != "/" || p[""] != "/" || p["cpuacct"] != "/" {
		t.Errorf("parseSelfCgroup = %v", p)
	}
	if got := unescape(`/mnt/with\040space`); got != "/mnt/with space" {
		t.Errorf("unescape = %q", got)
	}
	// A mount showing only part of a hierarchy (a container's bind
	// mount): paths outside it have no folder.
	sub := mount{point: "/sys/fs/cgroup", root: "/docker/1"}
	if d, ok := sub.folder("/docker/1/x"); !ok || d != "/sys/fs/cgroup/x" {
		t.Errorf("folder inside = %q %v", d, ok)
	}
	if _, ok := sub.folder("/other"); ok {
		t.Error("a path outside the mount got a folder")
	}
}

// fakeHost lays out a fake /proc/self and cgroup tree under a temp root.
func fakeHost(t *testing.T, mountinfo, self string, files map[string]string) cgfs {
	t.Helper()
	root := t.TempDir()
	files["/proc/self/mountinfo"], files["/proc/self/cgroup"] = mountinfo, self
	for p, body := range files {
		if err := os.MkdirAll(filepath.Dir(root+p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(root+p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return cgfs{root: root}
}

// kernelFiles stands in for the kernel, which gives a new cgroup folder
// its files: a write to a file missing in the fake tree creates it. fail,
// when set, refuses writes the way the kernel would.
func kernelFiles(fs cgfs, fail func(p string) error) func(p, data string) error {
	return func(p, _ string) error {
		if fail != nil {
			if err := fail(p); err != nil {
				return err
			}
		}
		if _, err := os.Stat(fs.root + p); os.IsNotExist(err) {
			_ = os.WriteFile(fs.root+p, nil, 0o644)
		}
		return nil
	}
}

func TestCreateGroupV1(t *testing.T) {
	mem, pids := "/sys/fs/cgroup/memory/process_api/abc", "/sys/fs/cgroup/pids"
	fs := fakeHost(t, mountinfoV1, selfV1, map[string]string{
		"/sys/fs/cgroup/unified/cgroup.controllers":     "", // v2 without controllers
		"/sys/fs/cgroup/unified/cgroup.subtree_control": "",
		mem + "/cgroup.procs":                           "",
		pids + "/cgroup.procs":                          "",
	})
	h, err := findHost(fs, "")
	if err != nil {
		t.Fatal(err)
	}
	if h.v1mem != mem || h.v1pids != pids {
		t.Fatalf("v1 parents = %q %q", h.v1mem, h.v1pids)
	}
	fs.fail = kernelFiles(fs, nil)
	h.fs = fs
	g, err := h.create("lkmlab-1-x", limits{memory: 256 << 20, processes: 20})
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) string { b, _ := os.ReadFile(fs.root + p); return string(b) }
	if got := read(mem + "/lkmlab-1-x/memory.limit_in_bytes"); got != strconv.Itoa(256<<20) {
		t.Errorf("memory limit = %q", got)
	}
	if got := read(pids + "/lkmlab-1-x/pids.max"); got != "20" {
		t.Errorf("pids.max = %q", got)
	}
	if err := g.place(4242); err != nil || read(mem+"/lkmlab-1-x/cgroup.procs") != "4242" || read(pids+"/lkmlab-1-x/cgroup.procs") != "4242" {
		t.Errorf("place: %v", err)
	}
	_ = os.WriteFile(fs.root+mem+"/lkmlab-1-x/memory.oom_control", []byte("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"), 0o644)
	if u := g.usage(); u.oomKills != 3 {
		t.Errorf("usage = %+v, want 3 OOM kills", u)
	}
}

func TestCreateGroupV2MovesItselfIntoALeaf(t *testing.T) {
	own := "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/lkmlab.scope"
	fs := fakeHost(t, mountinfoV2, selfV2, map[string]string{
		own + "/cgroup.controllers":     "cpu memory pids",
		own + "/cgroup.subtree_control": "",
		own + "/cgroup.procs":           strconv.Itoa(os.Getpid()) + "\n",
	})
	moved := false
	fs.fail = kernelFiles(fs, func(p string) error {
		switch {
		case p == own+"/lkmlab-self/cgroup.procs":
			moved = true
		case p == own+"/cgroup.subtree_control" && !moved:
			return &os.PathError{Op: "write", Path: p, Err: syscall.EBUSY} // v2: no processes in inner nodes
		}
		return nil
	})
	h, err := findHost(fs, "")
	if err != nil {
		t.Fatal(err)
	}
	h.fs = fs
	if len(h.v2) == 0 || h.v2[0] != own {
		t.Fatalf("v2 candidates = %v, want the own cgroup first", h.v2)
	}
	g, err := h.create("lkmlab-1-s", limits{memory: 1 << 30, processes: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer g.fd.Close()
	b, _ := os.ReadFile(fs.root + own + "/cgroup.subtree_control")
	if !moved || string(b) != "+memory +pids" {
		t.Errorf("moved=%v subtree_control=%q", moved, b)
	}
	if b, _ := os.ReadFile(fs.root + own + "/lkmlab-1-s/memory.max"); string(b) != strconv.Itoa(1<<30) {
		t.Errorf("memory.max = %q", b)
	}
	if !g.v2 || g.fd == nil {
		t.Error("a v2 group has no folder to start builds in")
	}
}

func TestCreateGroupV2LeavesSharedCgroupsAlone(t *testing.T) {
	own := "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/lkmlab.scope"
	fs := fakeHost(t, mountinfoV2, selfV2, map[string]string{
		own + "/cgroup.controllers":         "memory pids",
		own + "/cgroup.subtree_control":     "",
		own + "/cgroup.procs":               "1\n" + strconv.Itoa(os.Getpid()) + "\n",
		"/sys/fs/cgroup/cgroup.controllers": "cpu",
	})
	fs.fail = kernelFiles(fs, func(p string) error {
		if strings.HasSuffix(p, "subtree_control") {
			return &os.PathError{Op: "write", Path: p, Err: syscall.EBUSY}
		}
		return nil
	})
	h, err := findHost(fs, "")
	if err != nil {
		t.Fatal(err)
	}
	h.fs = fs
	_, err = h.create("lkmlab-1-s", limits{memory: 1 << 30, processes: 64})
	if err == nil || !strings.Contains(err.Error(), "other processes share this cgroup") || !strings.Contains(err.Error(), "lack memory or pids") {
		t.Fatalf("create = %v, want each place's reason", err)
	}
	if _, err := os.Stat(fs.root + own + "/lkmlab-self"); err == nil {
		t.Error("moved itself out of a cgroup other processes share")
	}
}

func TestGroupNameIsSafe(t *testing.T) {
	for _, key := range []string{"\x00../../etc", "\x00" + strings.Repeat("x", 500), "\x00student a/b"} {
		n := groupName(key)
		if strings.ContainsAny(n, "/ .") || len(n) > 80 {
			t.Errorf("groupName(%q) = %q", key, n)
		}
	}
	if groupName("\x00a/b") == groupName("\x00a_b") {
		t.Error("two student names share a group name")
	}
}
