// Command guest is the lkmlab agent: /init of the test VM. It runs the plan
// at /plan.json (or, parked in a saved guest, the plan the host sends) as
// the host commands over its serial channel, and powers off.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"

	"github.com/lkmlab/lkmlab/guest/agent"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// channel is the agent's line to the host: a PC's second COM port (the
// first carries the console), arm64's virtio console (see lab/vm's
// arches).
var channel = map[string]string{"amd64": "/dev/ttyS1", "arm64": "/dev/hvc0"}[runtime.GOARCH]

// A workload that spins must do so on the thread group leader, the task
// for_each_process shows: keep the main goroutine on the main thread.
func init() { runtime.LockOSThread() }

func main() {
	if agent.LabCommand(os.Args) {
		os.Exit(agent.LabMain(os.Args[1:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "sweep" {
		os.Exit(agent.SweepMain(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "step" {
		os.Exit(agent.StepMain(os.Args[2:]))
	}
	if len(os.Args) == 4 && os.Args[1] == "workload" {
		os.Exit(agent.WorkloadMain(os.Args[2], os.Args[3]))
	}
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "lkmlab agent: %v\n", err)
	}
	agent.PowerOff()
}

func run() error {
	sys, err := agent.Setup()
	if err != nil {
		return err
	}
	// Opening a perf event rewrites kernel code, which software emulation
	// can run stale: do it once, before a snapshot is saved, and keep it.
	_, _ = agent.HoldPerfEvent()
	p, err := plan.Read(plan.Path)
	if err != nil {
		return err
	}
	a := &agent.Agent{Sys: sys, Plan: p}
	a.LoadSupport() // the channel's driver may be among them
	ch, err := agent.OpenChannel(channel)
	if err != nil {
		return err
	}
	defer agent.Flush(ch)
	a.Out, a.In = ch, bufio.NewReaderSize(ch, 64<<10)
	a.Prepare()
	if p.Serve {
		a.SettleForSnapshot()
		// Parked: the host saves the guest here, and every restored copy
		// goes on from this read with its own request.
		if err := agent.Receive(a, ch); err != nil {
			return err
		}
	}
	return a.Serve()
}
