package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

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
	sets, err := benchSets(*modules, fs.Args())
	if err != nil {
		return err
	}
	logf := progress()
	k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: logf})
	if err != nil {
		return err
	}
	r, err := bench.Run(ctx, bench.Options{Kernel: k, Sets: sets, Runs: *runs, Logf: logf})
	if err != nil {
		return err
	}
	return bench.Write(os.Stdout, r)
}

// benchSets are the named modules as one set, or by default hello alone
// and every module in the folder together.
func benchSets(dir string, names []string) ([]bench.Set, error) {
	if len(names) > 0 {
		ts, err := check.LoadAll(dir, names)
		return []bench.Set{{Name: strings.Join(names, ","), Targets: ts}}, err
	}
	hello, err := check.LoadAll(dir, []string{"hello"})
	if err != nil {
		return nil, err
	}
	all, err := check.LoadAll(dir, nil)
	if err != nil {
		return nil, err
	}
	return []bench.Set{{Name: "hello", Targets: hello}, {Name: fmt.Sprintf("all %d", len(all)), Targets: all}}, nil
}
