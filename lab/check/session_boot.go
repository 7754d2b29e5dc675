package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// bootSession restores the session's saved guest, or boots one cold that
// parks and is saved for the next session, and runs sd in it. It follows
// bootSnapshot and bootAndSave, with a driver the session drives and the
// session's own image; a check's judging and retries have no place here.
func (rn *runner) bootSession(v *vmPlan, base []initramfs.File, sd *sessionDriver) error {
	snap, err := rn.sessionSnapshot(v.vo, base)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	req, err := rn.makeRequest(v)
	if err != nil {
		return err
	}
	if snap.ready() {
		vo := v.vo
		vo.Incoming, vo.Initramfs = snap.state(), snap.base()
		sd.d = v.newDriver()
		sd.d.request, vo.Driver = req, sd
		t := time.Now()
		res, err := vm.Run(rn.ctx, vo)
		if err != nil {
			return err
		}
		if sd.ready {
			return sd.err
		}
		rn.o.Logf("snapshot: restoring %s failed after %v (%s); booting cold and saving a new one",
			snap.dir, time.Since(t).Round(time.Millisecond), restoreFailure(res))
		_ = os.RemoveAll(snap.dir)
	} else {
		rn.o.Logf("snapshot: no saved guest for this session on %s yet; booting cold and saving one", rn.o.Kernel.Name)
	}
	sd.d = v.newDriver()
	sd.d.request = req
	return rn.bootSessionCold(v, base, snap, sd)
}

// bootSessionCold boots a guest that parks, saves it into snap and runs
// sd (a fresh driver, holding the request) in it.
func (rn *runner) bootSessionCold(v *vmPlan, base []initramfs.File, snap snapshot, sd *sessionDriver) error {
	if err := os.MkdirAll(snap.kernelDir, 0o755); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	tmp, err := os.MkdirTemp(snap.kernelDir, ".new-")
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer os.RemoveAll(tmp) // left only when the rename did not take it
	vo := v.vo
	vo.Initramfs = filepath.Join(tmp, "initramfs.cpio")
	parked := &plan.Plan{Serve: true, Support: v.p.Support}
	files := append(append([]initramfs.File(nil), rn.support...), base...)
	if err := initramfs.Write(initramfs.Spec{Agent: rn.agent, Plan: parked, Files: files}, vo.Initramfs); err != nil {
		return err
	}
	sd.d.saveTo, vo.Driver = filepath.Join(tmp, "state"), sd
	res, err := vm.Run(rn.ctx, vo)
	if err != nil {
		return err
	}
	if !sd.ready {
		return notStarted(res)
	}
	if sd.d.saved == 0 {
		rn.o.Logf("snapshot: not saved: %v", sd.d.saveErr)
		return sd.err
	}
	stale := snap.stale()
	if err := os.Rename(tmp, snap.dir); err != nil {
		return sd.err // another session saved the same guest meanwhile: keep theirs
	}
	rn.o.Logf("snapshot: saved %s in %v", snap.dir, sd.d.saved.Round(time.Millisecond))
	for _, s := range stale {
		if !strings.Contains(filepath.Base(s), ".new-") {
			_ = os.RemoveAll(s)
		}
	}
	return sd.err
}
