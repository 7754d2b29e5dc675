package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"

	"github.com/lkmlab/lkmlab/lab/bench"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

func cmdBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel to boot (default debian-6.1)")
	runs := fs.Int("runs", 3, "measured runs per path, after one warm-up run")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	corpus := fs.String("grade", "tests/testdata/submissions", "also time lkmlab grade -j 2 on this corpus (assignment.yaml and submissions); empty skips it")
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
	if err := bench.Write(os.Stdout, r); err != nil {
		return err
	}
	if *corpus == "" {
		return nil
	}
	if _, err := os.Stat(*corpus); err != nil {
		logf("bench: no grading corpus at %s: skipping the grading row", *corpus)
		return nil
	}
	a, subs, err := corpusSubmissions(*corpus)
	if err != nil {
		return err
	}
	logf("bench: grading %d submissions of %s", len(subs), *corpus)
	g, err := bench.Grade(ctx, k, a, subs, 2)
	if err != nil {
		return err
	}
	return bench.WriteGrade(os.Stdout, *corpus, g)
}

// corpusSubmissions lists a corpus folder: its assignment.yaml and every
// other entry as a submission.
func corpusSubmissions(dir string) (*assign.Assignment, []string, error) {
	a, err := assign.Load(filepath.Join(dir, "assignment.yaml"))
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var subs []string
	for _, e := range entries {
		if e.Name() != "assignment.yaml" {
			subs = append(subs, filepath.Join(dir, e.Name()))
		}
	}
	return a, subs, nil
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
