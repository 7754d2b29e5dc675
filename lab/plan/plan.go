// Package plan is the contract between host and guest: the host gives the
// agent a Plan of steps (in the initramfs, or in a Request to a restored
// guest), then drives it one Command at a time; the agent answers each
// command with framed Records marked with that command's own nonce.
package plan

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Path is where the plan lives inside the guest.
const Path = "/plan.json"

// Plan is what the guest agent runs, in order.
type Plan struct {
	// Nonce marks the agent's Ready record. Every later record carries the
	// nonce of the command it answers, which the host sends only when the
	// command starts: a module can learn a nonce only once it is in use.
	Nonce string `json:"nonce"`
	// Support lists kernel modules (guest paths) to load before any step,
	// in dependency order: the drivers the harness itself needs.
	Support []string `json:"support,omitempty"`
	// Steps are what the host's commands refer to, by index.
	Steps []Step `json:"steps"`
	// Quiet is how long the agent keeps collecting the log after a
	// successful insmod or rmmod before it reports the step: what a
	// module's thread prints just after its init returned belongs to the
	// insmod, and timers and work a module left behind fire inside its own
	// rmmod, not the next step.
	Quiet Duration `json:"quiet,omitempty"`
	// Serve makes the agent, once the support modules are loaded, print
	// Parked on the channel and wait there for a Request: the moment the
	// host saves as a snapshot, to restore for each check.
	Serve bool `json:"serve,omitempty"`
}

// Action is what a step does.
type Action string

// The actions a step can take.
const (
	Insmod Action = "insmod"
	Rmmod  Action = "rmmod"
)

// Step is one action on one module.
type Step struct {
	// Module groups steps: the module's workloads live until its end
	// (OpEndModule).
	Module string `json:"module"`
	Action Action `json:"action"`
	// Label tells apart steps with the same action: "huge page".
	Label string `json:"label,omitempty"`
	// Path is the .ko inside the guest (insmod).
	Path string `json:"path,omitempty"`
	// Params are module parameters as insmod takes them: "pid=1 addr=0x10".
	// "{w.pid}" stands for fact pid of workload w, known only in the guest.
	Params string `json:"params,omitempty"`
	// Start lists workloads the agent starts before the step. They run
	// until the module ends. Their drawn arguments come with the command
	// that runs the step, not in the plan.
	Start []Workload `json:"start,omitempty"`
	// Cleanup makes the agent unload the module after the step if it is
	// still loaded (a robustness probe whose insmod succeeded): the next
	// step starts from a kernel without it.
	Cleanup bool `json:"cleanup,omitempty"`
	// Sweep, on an insmod, makes it an error-path sweep (see sweep.go):
	// SweepAllocations.
	Sweep string `json:"sweep,omitempty"`
	// Timeout bounds the step; 0 means DefaultStepTimeout.
	Timeout Duration `json:"timeout,omitempty"`
}

// Name is how reports call a step: "insmod hello".
func (s Step) Name() string {
	if s.Label != "" {
		return string(s.Action) + " " + s.Module + " (" + s.Label + ")"
	}
	return string(s.Action) + " " + s.Module
}

// DefaultStepTimeout bounds a step whose Timeout is zero.
const DefaultStepTimeout = 10 * time.Second

// Duration is a time.Duration that encodes as milliseconds.
type Duration time.Duration

// MarshalJSON encodes d as integer milliseconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).Milliseconds())
}

// UnmarshalJSON decodes integer milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms int64
	if err := json.Unmarshal(b, &ms); err != nil {
		return err
	}
	*d = Duration(time.Duration(ms) * time.Millisecond)
	return nil
}

// NewNonce returns a fresh random nonce.
func NewNonce() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random: %v", err)) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// Read loads a plan from a file.
func Read(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("parse plan %s: %w", path, err)
	}
	return &p, nil
}

// Write saves a plan to a file.
func (p *Plan) Write(path string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
