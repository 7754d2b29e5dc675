package main

import (
	"context"
	"flag"
	"os"

	"github.com/lkmlab/lkmlab/lab/bench"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

func cmdBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel to boot (default debian-6.1)")
	runs := fs.Int("runs", 3, "measured runs per path, after one warm-up run")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"hello"}
	}
	targets, err := check.LoadAll(*modules, names)
	if err != nil {
		return err
	}
	logf := progress()
	k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: logf})
	if err != nil {
		return err
	}
	r, err := bench.Run(ctx, bench.Options{Kernel: k, Targets: targets, Runs: *runs, Logf: logf})
	if err != nil {
		return err
	}
	return bench.Write(os.Stdout, r)
}
