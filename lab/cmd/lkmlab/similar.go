package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/similar"
)

// cmdSimilar writes the staff's similarity report of a class: no build,
// no VM, only the submissions' text.
func cmdSimilar(args []string) error {
	fs := flag.NewFlagSet("similar", flag.ContinueOnError)
	afile := fs.String("assignment", "", "assignment file (YAML); default: the six seed modules. A task's skeleton: is left out")
	out := fs.String("out", "grades", "folder for similarity.html and similarity.json (for staff: not a student's folder)")
	threshold := fs.Float64("threshold", 0, "report pairs from this similarity (0 to 1; default 0.7)")
	subdir := fs.String("subdir", "", "compare only this folder of every submission, such as lab2")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return fmt.Errorf("similar: name two or more submissions (folders or .zip/.tar.gz): %w", errUsage)
	}
	if *threshold < 0 || *threshold > 1 {
		return fmt.Errorf("similar: --threshold %v: want a share from 0 to 1, such as 0.7: %w", *threshold, errUsage)
	}
	a, err := loadAssignment(*afile)
	if err != nil {
		return err
	}
	files, warnings, err := similar.Collect(fs.Args(), a, similar.CollectOptions{Subdir: *subdir})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(os.Stderr, "lkmlab: %s\n", w)
	}
	r := similar.Compare(files, similar.Options{Threshold: *threshold, Skeletons: similar.Skeletons(a)})
	if err := similar.Write(*out, r); err != nil {
		return err
	}
	n := 0
	for _, t := range r.Tasks {
		n += len(t.Pairs)
	}
	fmt.Fprintf(os.Stderr, "lkmlab: %d pair(s) above %.0f%% in %s\n", n, 100*r.Threshold, filepath.Join(*out, similar.HTMLFile))
	return nil
}
