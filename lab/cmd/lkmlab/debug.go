package main

import (
	"context"
	"flag"
	"strings"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/debug"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/setup"
)

// stringList is a flag that may repeat.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, "; ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func cmdDebug(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("debug", flag.ContinueOnError)
	kname := fs.String("kernel", debug.DefaultKernel, "kernel to boot: one with debug info that is not relocated at boot (the minimal kernels)")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	seed := fs.Uint64("seed", 0, "the workload values of a check's run")
	brk := fs.String("break", "", "function to stop in (default: the module's init)")
	batch := fs.Bool("batch", false, "run gdb without a terminal: the --ex commands once it stopped, then let the guest go on")
	var ex stringList
	fs.Var(&ex, "ex", "a gdb command to run once stopped (--batch; repeat for more)")
	gdb := fs.String("gdb", "", "the debugger (default gdb-multiarch, else gdb)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logf := progress()
	ko := kernel.Options{Logf: logf}
	if err := setup.CheckCommand("debug", *kname, ko); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errUsage
	}
	targets, err := check.LoadAll(*modules, fs.Args())
	if err != nil {
		return err
	}
	k, err := kernel.Resolve(ctx, *kname, ko)
	if err != nil {
		return err
	}
	return debug.Run(ctx, targets, debug.Options{Check: check.Options{Kernel: k, Logf: logf, Seed: *seed},
		GDB: *gdb, Break: *brk, Batch: *batch, Commands: ex})
}
