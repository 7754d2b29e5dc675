package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"

	"github.com/lkmlab/lkmlab/lab/bench"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

func cmdBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	knames := fs.String("kernels", "debian-6.1,debian-6.12,minimal-6.1", "comma-separated kernels to time (fetched or built first)")
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
	var ks []*kernel.Kernel
	for _, name := range strings.Split(*knames, ",") {
		k, err := kernel.Resolve(ctx, strings.TrimSpace(name), kernel.Options{Logf: logf})
		if err != nil {
			return err
		}
		ks = append(ks, k)
	}
	r, err := bench.Run(ctx, bench.Options{Kernels: ks, Sets: sets, Runs: *runs, Logf: logf})
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
	g, err := bench.Grade(ctx, bench.Class{Kernel: ks[0], Assignment: a, Submissions: subs, Jobs: 2})
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

// benchSets are the named modules as one set, or by default each module
// alone and all of them together. The cold and baseline paths, which cost
// a whole boot each, are timed for hello and for all together.
func benchSets(dir string, names []string) ([]bench.Set, error) {
	every := []bench.Path{bench.Snapshot, bench.Rebuilt, bench.Cold, bench.Baseline}
	if len(names) > 0 {
		ts, err := check.LoadAll(dir, names)
		return []bench.Set{{Name: strings.Join(names, ","), Targets: ts, Paths: every}}, err
	}
	all, err := check.LoadAll(dir, nil)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Name == "hello" && all[j].Name != "hello" })
	var sets []bench.Set
	for _, t := range all {
		paths := []bench.Path{bench.Snapshot, bench.Rebuilt}
		if t.Name == "hello" {
			paths = every
		}
		sets = append(sets, bench.Set{Name: t.Name, Targets: []check.Target{t}, Paths: paths})
	}
	return append(sets, bench.Set{Name: bench.AllName(len(all)), Targets: all, Paths: every}), nil
}
