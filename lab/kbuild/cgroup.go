package kbuild

// Whole-build limits come from a cgroup: a memory limit and a process
// limit for every process of a group of builds (one student's), where a
// per-process limit lets one student take several GiB with a few
// compilers at once. lkmlab writes the cgroup files itself: the few
// files involved do not justify a library, and the cgroup libraries
// around want systemd or a container runtime's view of the host.
//
// Where the groups go:
//   - cgroup v2: under Sandbox.CgroupParent; else under this process's own
//     cgroup (a delegated subtree: a systemd service with Delegate=yes,
//     `systemd-run --user --scope -p Delegate=yes`), moving this process
//     into a leaf first when it is alone there, as v2 wants processes only
//     in leaves; else under the v2 root (root on a systemd host).
//   - cgroup v1: under this process's own cgroup in the memory hierarchy,
//     and in the pids hierarchy where it is mounted.
//
// A v2 build starts inside its group (CLONE_INTO_CGROUP); a v1 build waits
// at a gate until its pid is written into the group, so no process of it
// runs outside. Where no cgroup is writable, builds fall back to
// per-process limits and say so once.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cgfs reads and writes cgroup files. The zero value is the host; tests
// give a root folder holding a fake tree, and a hook that fails writes the
// way the kernel does.
type cgfs struct {
	root string
	fail func(path, data string) error
}

func (f cgfs) read(p string) ([]byte, error) { return os.ReadFile(f.root + p) }

func (f cgfs) write(p, data string) error {
	if f.fail != nil {
		if err := f.fail(p, data); err != nil {
			return err
		}
	}
	// No O_CREATE: a cgroup file that is missing is a controller that is
	// not there, not a file to make.
	fh, err := os.OpenFile(f.root+p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = fh.WriteString(data)
	return errors.Join(err, fh.Close())
}

func (f cgfs) mkdir(p string) error { return os.Mkdir(f.root+p, 0o755) }
func (f cgfs) rmdir(p string) error { return os.Remove(f.root + p) }

// cgroupHost is where this process may create groups.
type cgroupHost struct {
	fs            cgfs
	v2            []string // candidate v2 parent folders, in order
	v2own         string   // this process's own v2 cgroup folder
	v1mem, v1pids string   // v1 parent folders; "" where not mounted
}

// findHost reads /proc/self/mountinfo and /proc/self/cgroup. parent is
// Sandbox.CgroupParent.
func findHost(fs cgfs, parent string) (*cgroupHost, error) {
	mi, err := fs.read("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	own, err := fs.read("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	mounts, paths := parseMountinfo(mi), parseSelfCgroup(own)
	h := &cgroupHost{fs: fs}
	if parent != "" {
		h.v2 = append(h.v2, parent)
	}
	if m, ok := mounts["cgroup2"]; ok {
		if p, ok := paths[""]; ok {
			if dir, ok := m.folder(p); ok {
				h.v2own = dir
				h.v2 = append(h.v2, dir)
			}
		}
		if m.root == "/" && m.point != h.v2own {
			h.v2 = append(h.v2, m.point)
		}
	}
	h.v1mem = v1folder(mounts, paths, "memory")
	h.v1pids = v1folder(mounts, paths, "pids")
	return h, nil
}

// mount is where a cgroup hierarchy is mounted and which of its folders
// the mount shows.
type mount struct{ point, root string }

// folder returns the host folder of the hierarchy path p.
func (m mount) folder(p string) (string, bool) {
	rel, err := filepath.Rel(m.root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false
	}
	return filepath.Join(m.point, rel), true
}

// parseMountinfo returns the cgroup mounts by controller ("memory",
// "pids", ...) for v1, and under "cgroup2" for v2.
func parseMountinfo(data []byte) map[string]mount {
	out := map[string]mount{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if !ok || len(f) < 5 || len(g) < 3 {
			continue
		}
		m := mount{point: unescape(f[4]), root: unescape(f[3])}
		switch g[0] {
		case "cgroup2":
			if _, seen := out["cgroup2"]; !seen {
				out["cgroup2"] = m
			}
		case "cgroup":
			for _, opt := range strings.Split(g[2], ",") {
				if _, seen := out[opt]; !seen && opt != "rw" && opt != "ro" {
					out[opt] = m
				}
			}
		}
	}
	return out
}

// unescape decodes mountinfo's octal escapes ("\040" for a space).
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseSelfCgroup returns this process's cgroup path per v1 controller,
// and under "" its v2 path.
func parseSelfCgroup(data []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out
}

func v1folder(mounts map[string]mount, paths map[string]string, controller string) string {
	m, ok := mounts[controller]
	p, ok2 := paths[controller]
	if !ok || !ok2 {
		return ""
	}
	dir, _ := m.folder(p)
	return dir
}

// limits are what a group bounds.
type limits struct{ memory, processes int64 }

// group is one cgroup (v2) or one folder per v1 hierarchy, shared by the
// builds of one Sandbox.Group.
type group struct {
	key  string
	fs   cgfs
	v2   bool
	dirs []string // v2: one folder; v1: memory, then pids where mounted
	fd   *os.File // v2: the folder, open for CLONE_INTO_CGROUP
	refs int
}

// create makes a group named name under the first place that takes it;
// the error gives every place's reason.
func (h *cgroupHost) create(name string, l limits) (*group, error) {
	var why []string
	for _, parent := range h.v2 {
		g, err := h.createV2(parent, name, l)
		if err == nil {
			return g, nil
		}
		why = append(why, fmt.Sprintf("v2 %s: %v", parent, err))
	}
	if h.v1mem != "" {
		g, err := h.createV1(name, l)
		if err == nil {
			return g, nil
		}
		why = append(why, fmt.Sprintf("v1 %s: %v", h.v1mem, err))
	}
	if len(why) == 0 {
		why = append(why, "no cgroup v2 with memory and pids, no cgroup v1 memory hierarchy")
	}
	return nil, errors.New(strings.Join(why, "; "))
}

func (h *cgroupHost) createV2(parent, name string, l limits) (*group, error) {
	if err := h.enableV2(parent); err != nil {
		return nil, err
	}
	dir := filepath.Join(parent, name)
	if err := h.fs.mkdir(dir); err != nil {
		return nil, err
	}
	g := &group{fs: h.fs, v2: true, dirs: []string{dir}}
	_ = h.fs.write(dir+"/memory.swap.max", "0") // no swap where it is accounted
	err := errors.Join(h.fs.write(dir+"/memory.max", strconv.FormatInt(l.memory, 10)),
		h.fs.write(dir+"/pids.max", strconv.FormatInt(l.processes, 10)))
	if err == nil {
		g.fd, err = os.Open(h.fs.root + dir)
	}
	if err != nil {
		g.remove()
		return nil, err
	}
	return g, nil
}

// enableV2 makes parent hand the memory and pids controllers to its
// children. v2 refuses while parent itself holds processes; when the only
// one is this process (in its own, delegated cgroup) it moves into a leaf.
func (h *cgroupHost) enableV2(parent string) error {
	ctl, err := h.fs.read(parent + "/cgroup.controllers")
	if err != nil {
		return err
	}
	if !hasWords(ctl, "memory", "pids") {
		return fmt.Errorf("controllers %q lack memory or pids", strings.TrimSpace(string(ctl)))
	}
	if sub, err := h.fs.read(parent + "/cgroup.subtree_control"); err == nil && hasWords(sub, "memory", "pids") {
		return nil
	}
	err = h.fs.write(parent+"/cgroup.subtree_control", "+memory +pids")
	if !errors.Is(err, syscall.EBUSY) || parent != h.v2own {
		return err
	}
	procs, _ := h.fs.read(parent + "/cgroup.procs")
	if strings.TrimSpace(string(procs)) != strconv.Itoa(os.Getpid()) {
		return fmt.Errorf("%w: other processes share this cgroup", err)
	}
	leaf := filepath.Join(parent, "lkmlab-self")
	if err := h.fs.mkdir(leaf); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err := h.fs.write(leaf+"/cgroup.procs", strconv.Itoa(os.Getpid())); err != nil {
		return err
	}
	return h.fs.write(parent+"/cgroup.subtree_control", "+memory +pids")
}

func (h *cgroupHost) createV1(name string, l limits) (*group, error) {
	g := &group{fs: h.fs}
	mem := filepath.Join(h.v1mem, name)
	if err := h.fs.mkdir(mem); err != nil {
		return nil, err
	}
	g.dirs = append(g.dirs, mem)
	limit := strconv.FormatInt(l.memory, 10)
	err := h.fs.write(mem+"/memory.limit_in_bytes", limit)
	if err == nil {
		_ = h.fs.write(mem+"/memory.memsw.limit_in_bytes", limit) // only with swap accounting
	}
	if err == nil && h.v1pids != "" {
		pids := filepath.Join(h.v1pids, name)
		if err = h.fs.mkdir(pids); err == nil {
			g.dirs = append(g.dirs, pids)
			err = h.fs.write(pids+"/pids.max", strconv.FormatInt(l.processes, 10))
		}
	}
	if err != nil {
		g.remove()
		return nil, err
	}
	return g, nil
}

func hasWords(b []byte, words ...string) bool {
	have := strings.Fields(string(b))
	for _, w := range words {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// place moves pid into every folder of a v1 group.
func (g *group) place(pid int) error {
	for _, d := range g.dirs {
		if err := g.fs.write(d+"/cgroup.procs", strconv.Itoa(pid)); err != nil {
			return fmt.Errorf("move build into cgroup %s: %w", d, err)
		}
	}
	return nil
}

// usage counts the times a limit stopped something in the group.
type usage struct{ oomKills, pidsMax int64 }

func (g *group) usage() usage {
	var u usage
	for _, d := range g.dirs {
		if b, err := g.fs.read(d + "/memory.events"); err == nil { // v2
			u.oomKills += counter(b, "oom_kill")
		} else if b, err := g.fs.read(d + "/memory.oom_control"); err == nil { // v1
			u.oomKills += counter(b, "oom_kill")
		}
		if b, err := g.fs.read(d + "/pids.events"); err == nil {
			u.pidsMax += counter(b, "max")
		}
	}
	return u
}

// counter reads "key N" from a cgroup's flat-keyed file.
func counter(b []byte, key string) int64 {
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && k == key {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// remove kills what is left in the group and removes its folders. Killed
// processes leave a cgroup a moment after the signal, hence the retries.
func (g *group) remove() {
	if g.fd != nil {
		g.fd.Close()
	}
	for _, d := range g.dirs {
		_ = g.fs.write(d+"/cgroup.kill", "1") // v2, Linux 5.14 and later
		for range 100 {
			if err := g.fs.rmdir(d); err == nil || errors.Is(err, os.ErrNotExist) {
				break
			}
			g.killAll(d)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (g *group) killAll(dir string) {
	b, _ := g.fs.read(dir + "/cgroup.procs")
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 0 && pid != os.Getpid() {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// groups holds the live groups by Sandbox.Group, and the host found once:
// moving this process into a leaf changes what /proc/self/cgroup says.
var groups = struct {
	sync.Mutex
	live  map[string]*group
	hosts map[string]*cgroupHost
	fs    cgfs
	n     int
}{live: map[string]*group{}, hosts: map[string]*cgroupHost{}}

// acquireGroup returns the group for s, made or joined, or nil and why
// there is none.
func acquireGroup(s *Sandbox) (*group, string) {
	groups.Lock()
	defer groups.Unlock()
	key := s.Group
	if key == "" {
		groups.n++
		key = fmt.Sprintf("build-%d", groups.n)
	}
	key = s.CgroupParent + "\x00" + key
	if g := groups.live[key]; g != nil {
		g.refs++
		return g, ""
	}
	h := groups.hosts[s.CgroupParent]
	if h == nil {
		var err error
		if h, err = findHost(groups.fs, s.CgroupParent); err != nil {
			return nil, err.Error()
		}
		groups.hosts[s.CgroupParent] = h
	}
	g, err := h.create(groupName(key), limits{or(s.MemoryBytes, defaultMemory), or(s.Processes, defaultProcesses)})
	if err != nil {
		return nil, err.Error()
	}
	g.key, g.refs = key, 1
	groups.live[key] = g
	return g, ""
}

// releaseGroup drops one build from g, removing g after the last.
func releaseGroup(g *group) {
	groups.Lock()
	g.refs--
	last := g.refs == 0
	if last {
		delete(groups.live, g.key)
	}
	groups.Unlock()
	if last {
		g.remove()
	}
}

// groupName is the folder name for a group key: this process's pid, the
// key's readable part and a hash, so student names (untrusted) cannot
// collide, climb out or pass a length limit.
func groupName(key string) string {
	sum := sha256.Sum256([]byte(key))
	_, readable, _ := strings.Cut(key, "\x00")
	safe := []byte(readable)
	for i, c := range safe {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			safe[i] = '_'
		}
	}
	return fmt.Sprintf("lkmlab-%d-%s-%s", os.Getpid(), safe[:min(len(safe), 32)], hex.EncodeToString(sum[:4]))
}
