package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// The snapshot fast path: the first check on a kernel boots a guest whose
// agent loads the support drivers and parks (plan.Serve); the host saves
// that guest's state and sends it the plan. Every later check restores the
// saved state, which takes a fraction of a boot, and sends its own plan and
// modules over the channel. A state that does not restore costs one cold
// boot, which saves a fresh one.

// snapshotFormat changes whenever what a saved guest expects changes.
const snapshotFormat = "lkmlab-snapshot-2"

// snapshot is one saved guest: <root>/<kernel>/<key>/{state,initramfs.cpio}.
type snapshot struct {
	kernelDir string // all snapshots of one kernel name
	dir       string
}

func (s snapshot) state() string { return filepath.Join(s.dir, "state") }
func (s snapshot) base() string  { return filepath.Join(s.dir, "initramfs.cpio") }

// ready reports whether the snapshot was saved completely (the folder
// appears by rename only once the state is written).
func (s snapshot) ready() bool {
	_, err := os.Stat(s.state())
	return err == nil
}

// stale lists the kernel's other snapshots: saved with another kernel
// build, agent, QEMU or machine.
func (s snapshot) stale() []string {
	ents, _ := os.ReadDir(s.kernelDir)
	var out []string
	for _, e := range ents {
		if p := filepath.Join(s.kernelDir, e.Name()); p != s.dir && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, p)
		}
	}
	return out
}

// snapshotRoot is Options.SnapshotDir or the cache's snapshots folder.
func (o Options) snapshotRoot() string {
	if o.SnapshotDir != "" {
		return o.SnapshotDir
	}
	return filepath.Join(o.cacheDir(), "snapshots")
}

// findSnapshot names the snapshot for this machine, agent and support
// modules; it may not exist yet.
func (rn *runner) findSnapshot(vo vm.Options) (snapshot, error) {
	o, agent, support := rn.o, rn.agent, rn.support
	h := sha256.New()
	io.WriteString(h, snapshotFormat+"\n")
	id, err := vm.MachineID(vo)
	if err != nil {
		return snapshot{}, err
	}
	io.WriteString(h, id)
	for _, f := range append([]initramfs.File{{Host: agent, Guest: "/init"}}, support...) {
		if err := hashFile(h, f.Host); err != nil {
			return snapshot{}, err
		}
		io.WriteString(h, f.Guest+"\n")
	}
	kdir := filepath.Join(o.snapshotRoot(), safeName(o.Kernel.Name))
	return snapshot{kernelDir: kdir, dir: filepath.Join(kdir, hex.EncodeToString(h.Sum(nil))[:16])}, nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// safeName turns a kernel name (maybe a path) into one folder name.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ':' || r == ' ' {
			return '_'
		}
		return r
	}, strings.Trim(name, "/"))
}

// bootSnapshot runs p from the saved guest, or boots one cold that parks,
// saves it, and runs p.
func (rn *runner) bootSnapshot(v *vmPlan) (*vm.Result, *driver, error) {
	ctx, o, r := rn.ctx, rn.o, rn.r
	snap, err := rn.findSnapshot(v.vo)
	if err != nil {
		return nil, nil, fmt.Errorf("snapshot: %w", err)
	}
	req, err := rn.makeRequest(v)
	if err != nil {
		return nil, nil, err
	}
	if snap.ready() {
		rv := v.vo
		rv.Incoming, rv.Initramfs = snap.state(), snap.base()
		d := v.newDriver()
		d.request, rv.Driver = req, d
		r.Boots++
		rn.keepRestore(r.Boots-1, snap.state(), req)
		t := time.Now()
		res, err := vm.Run(ctx, rv)
		if err != nil {
			return nil, nil, err
		}
		if d.recs != nil && d.recs.ready != nil {
			r.Restored++
			o.Logf("snapshot: restored %s, agent ready after %v", snap.dir, res.FirstByte.Round(time.Millisecond))
			return res, d, nil
		}
		rn.saveLogs(r.Boots-1, res)
		r.RestoreFailures++
		o.Logf("snapshot: restoring %s failed after %v (%s); booting cold and saving a new one",
			snap.dir, time.Since(t).Round(time.Millisecond), restoreFailure(res))
		if err := os.RemoveAll(snap.dir); err != nil {
			o.Logf("snapshot: %v", err)
		}
	} else if old := snap.stale(); len(old) > 0 {
		r.Stale++
		o.Logf("snapshot: the saved guest for %s is stale (the kernel, agent, QEMU or machine changed); booting cold and saving a new one", o.Kernel.Name)
	} else {
		o.Logf("snapshot: none saved for %s yet; booting cold and saving one", o.Kernel.Name)
	}
	return rn.bootAndSave(v, req, snap)
}

// bootAndSave boots cold to a parked agent, saves the guest into snap,
// and runs p on it.
func (rn *runner) bootAndSave(v *vmPlan, req []byte, snap snapshot) (*vm.Result, *driver, error) {
	o, r := rn.o, rn.r
	if err := os.MkdirAll(snap.kernelDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("snapshot: %w", err)
	}
	tmp, err := os.MkdirTemp(snap.kernelDir, ".new-")
	if err != nil {
		return nil, nil, fmt.Errorf("snapshot: %w", err)
	}
	defer os.RemoveAll(tmp) // left only when the rename did not take it
	base := filepath.Join(tmp, "initramfs.cpio")
	t0 := time.Now()
	parked := &plan.Plan{Serve: true, Support: v.p.Support}
	if err := initramfs.Write(initramfs.Spec{Agent: rn.agent, Plan: parked, Files: rn.support}, base); err != nil {
		return nil, nil, err
	}
	r.Timing.Initramfs += time.Since(t0)
	vo := v.vo
	vo.Initramfs = base
	saving := func() *driver {
		d := v.newDriver()
		d.request, d.saveTo = req, filepath.Join(tmp, "state")
		return d
	}
	res, d, err := rn.bootOnceMore(vo, saving)
	if err != nil {
		return nil, nil, err
	}
	if d.saved == 0 {
		o.Logf("snapshot: not saved: %v", d.saveErr)
		return res, d, nil
	}
	stale := snap.stale()
	if err := os.Rename(tmp, snap.dir); err != nil {
		// Another check saved the same guest meanwhile: keep theirs.
		o.Logf("snapshot: saved in %v, not kept: %v", d.saved.Round(time.Millisecond), err)
		return res, d, nil
	}
	r.Saved++
	o.Logf("snapshot: saved %s in %v", snap.dir, d.saved.Round(time.Millisecond))
	for _, s := range stale {
		if !strings.Contains(filepath.Base(s), ".new-") {
			_ = os.RemoveAll(s)
		}
	}
	return res, d, nil
}

// keepRestore keeps, in a work folder the user asked for, what rerunning
// boot n by hand needs: the saved guest it restored and the request the
// host sent it.
func (rn *runner) keepRestore(n int, state string, req []byte) {
	if rn.o.WorkDir == "" {
		return
	}
	kept := filepath.Join(rn.work, fmt.Sprintf("state-%d", n))
	// A state-N kept by an earlier run in this folder (a rerun, a fallback
	// kernel's run) is a hard link to its saved guest: writing into it
	// would overwrite that snapshot with this one. Replace the name, never
	// the file.
	_ = os.Remove(kept)
	if os.Link(state, kept) != nil { // another file system: copy
		if err := copyFile(state, kept); err != nil {
			rn.o.Logf("keep the saved guest: %v", err)
		}
	}
	if rn.states == nil {
		rn.states = map[int]string{}
	}
	rn.states[n] = kept
	if err := os.WriteFile(filepath.Join(rn.work, fmt.Sprintf("request-%d.json", n)), req, 0o644); err != nil {
		rn.o.Logf("keep request: %v", err)
	}
}

// restoreFailure says why a restored guest never reported.
func restoreFailure(res *vm.Result) string {
	if fs := kmsg.Scan(kmsg.ParseLines(strings.Join(res.Console, "\n"))); len(fs) > 0 {
		return "the restored guest crashed: " + fs[0].Title
	}
	for i := len(res.Console) - 1; i >= 0; i-- {
		if l := res.Console[i]; strings.Contains(l, "qemu-system") || strings.Contains(l, "lkmlab agent:") {
			return strings.TrimSpace(l)
		}
	}
	if ch := strings.TrimSpace(string(res.Channel)); strings.Contains(ch, "lkmlab agent:") {
		return ch[strings.LastIndex(ch, "lkmlab agent:"):]
	}
	switch {
	case res.ExitErr != nil:
		return fmt.Sprintf("QEMU: %v", res.ExitErr)
	case res.TimedOut:
		return fmt.Sprintf("no word from the agent (QEMU status %q)", res.Status)
	}
	return "no ready record from the agent"
}

// makeRequest packs the plan and its module files for a parked agent. The
// .ko files travel without their debug info (the serial line is slow); the
// host keeps the full ones to put oopses at source lines.
func (rn *runner) makeRequest(v *vmPlan) ([]byte, error) {
	rp := *v.p
	rp.Support = nil
	req := plan.Request{Plan: &rp}
	for _, f := range v.files {
		if !strings.HasPrefix(f.Guest, plan.FilesDir+"/") {
			continue // support modules: in the saved guest already
		}
		data, err := strippedKO(rn.ctx, f.Host, rn.work)
		if err != nil {
			return nil, err
		}
		req.Files = append(req.Files, plan.NewFile(f.Guest, data))
	}
	return req.Encode()
}

// strippedKO reads a .ko without its debug sections, or as it is when
// objcopy cannot strip it.
func strippedKO(ctx context.Context, ko, work string) ([]byte, error) {
	out := filepath.Join(work, "stripped-"+filepath.Base(ko))
	if _, err := command.Run(ctx, []string{"objcopy", "--strip-debug", ko, out}, command.Options{Timeout: 30 * time.Second}); err == nil {
		if b, err := os.ReadFile(out); err == nil {
			return b, nil
		}
	}
	b, err := os.ReadFile(ko)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("module %s vanished before boot", ko)
	}
	return b, err
}

// copyFile copies src to a new file dst, through a temp file renamed into
// place (dst's old file, if any, is left untouched).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".copy-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
