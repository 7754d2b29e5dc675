package result

import "time"

// Report is the result of checking a set of modules on one kernel.
type Report struct {
	Kernel  string   `json:"kernel"`
	Release string   `json:"release"`
	Accel   Accel    `json:"accel"`
	Modules []Module `json:"modules"`
	Timing  Timing   `json:"timing"`
	Boots   int      `json:"boots"`
	// Restored counts the Boots that started from a saved guest.
	Restored int `json:"restored"`
	// RestoreFailures counts saved guests that did not restore; each
	// cost a cold boot, counted in Boots too.
	RestoreFailures int `json:"restore_failures,omitempty"`
	// Saved counts the guests saved for later restores; Stale the saved
	// guests found made for another kernel build, agent, QEMU or machine
	// (each replaced by a new one).
	Saved int `json:"saved,omitempty"`
	Stale int `json:"stale,omitempty"`
	// LeakScans counts the VMs whose kernel had kmemleak and scanned
	// after the steps; LeakErrors says why a scan gave nothing.
	LeakScans  int      `json:"leak_scans,omitempty"`
	LeakErrors []string `json:"leak_errors,omitempty"`
	// Tampering lists what the host's witnesses found the guest's
	// records to disagree with, run-wide.
	Tampering []string `json:"tampering,omitempty"`
	Seed      uint64   `json:"seed"`
	// Versions pin what produced the report, so a run can be repeated.
	Versions Versions `json:"versions"`
}

// Passed reports whether every module passed.
func (r *Report) Passed() bool {
	for _, m := range r.Modules {
		if m.Verdict != Pass {
			return false
		}
	}
	return len(r.Modules) > 0
}

// Accel is the QEMU accelerator a run used, and why it was chosen.
type Accel struct {
	Name   string `json:"name"` // "kvm" or "tcg"
	Reason string `json:"reason"`
}

func (a Accel) String() string { return a.Name + " (" + a.Reason + ")" }

// Versions are the versions of everything a verdict depends on.
type Versions struct {
	Lkmlab string `json:"lkmlab,omitempty"`
	Commit string `json:"commit,omitempty"`
	// Agent is the sha256 of the guest agent binary.
	Agent string `json:"agent,omitempty"`
	// KernelPackage is the kernel's package version or build; KernelBuildID
	// the vmlinux's GNU build-id.
	KernelPackage string `json:"kernel_package,omitempty"`
	KernelBuildID string `json:"kernel_build_id,omitempty"`
	QEMU          string `json:"qemu,omitempty"`
}

// Timing splits a run's wall time by stage. Restore, StepWork and Finish
// break Boot and Steps down further, to show where a check's time goes.
type Timing struct {
	Build     time.Duration `json:"build_ns"`
	Initramfs time.Duration `json:"initramfs_ns"`
	Boot      time.Duration `json:"boot_ns"` // QEMU start to the agent's first record, on the host's clock
	// Restore is the part of Boot until a saved guest's state had loaded
	// (host clock); the rest of a restored guest's Boot is the plan and
	// modules sent over the channel and the agent's Ready. Zero when
	// every VM booted cold.
	Restore time.Duration `json:"restore_ns,omitempty"`
	Steps   time.Duration `json:"steps_ns"` // first record to the last
	// StepWork is the part of Steps the steps themselves took: each
	// step's begin record to its end record, on the guest's clock.
	StepWork time.Duration `json:"step_work_ns,omitempty"`
	// Finish is the part of Steps from the last step's end record to the
	// done record (guest clock): the last module's end, the agent's
	// linger and the leak scan.
	Finish   time.Duration `json:"finish_ns,omitempty"`
	Shutdown time.Duration `json:"shutdown_ns"`
	Total    time.Duration `json:"total_ns"`
}

// Between is the rest of Steps: from the ready record to the first
// step's begin and from each step's end to the next one's begin (the
// host's round trip, the agent's wake-up, the end of every module but the
// last), and a step that never ended. It is never negative, so that
// stages taken apart (a median each) cannot make it so.
func (t Timing) Between() time.Duration {
	return max(0, t.Steps-t.StepWork-t.Finish)
}
