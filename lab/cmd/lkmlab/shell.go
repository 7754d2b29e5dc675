package main

import (
	"context"
	"flag"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/setup"
	"github.com/lkmlab/lkmlab/lab/shell"
)

func cmdShell(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("shell", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel to boot: debian-6.1 (default), debian-5.10, debian-6.12, an -arm64 build, minimal, minimal-debug, host, IMAGE:KDIR or a built tree (lkmlab kernels lists them)")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	seed := fs.Uint64("seed", 0, "the workload values of a check's run (lab run N in the guest uses them)")
	rebuild := fs.Bool("rebuild", false, "build every module even when the build cache has it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logf := progress()
	ko := kernel.Options{Logf: logf}
	if err := setup.CheckCommand("shell", *kname, ko); err != nil {
		return err
	}
	targets, err := check.LoadAll(*modules, fs.Args())
	if err != nil {
		return err
	}
	k, err := kernel.Resolve(ctx, *kname, ko)
	if err != nil {
		return err
	}
	return shell.Run(ctx, targets, shell.Options{Check: check.Options{Kernel: k, Logf: logf, Seed: *seed, Rebuild: *rebuild}})
}
