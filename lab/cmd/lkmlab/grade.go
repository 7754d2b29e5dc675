package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/setup"
)

func cmdGrade(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	afile := fs.String("assignment", "", "assignment file (YAML); default: the six seed modules")
	kname := fs.String("kernel", "", "kernel to boot (default debian-6.1)")
	jobs := fs.Int("j", 1, "students graded at once (each boots its own VM)")
	out := fs.String("out", "grades", "output folder: a folder per student, grades.csv, summary.json, junit.xml")
	shard := fs.String("shard", "", "grade part I of N of the class (I/N), for a CI matrix; join with lkmlab merge")
	asKTAP := fs.Bool("ktap", false, "print the grades as KTAP on stdout (a test per student, a subtest per task)")
	asJSON := fs.Bool("json", false, "print the students' results as JSON on stdout")
	junitFile := fs.String("junit", "", "also write the class as JUnit XML to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("grade: name the submissions (folders or .zip/.tar.gz): %w", errUsage)
	}
	i, n, err := parseShard(*shard)
	if err != nil {
		return err
	}
	a, err := loadAssignment(*afile)
	if err != nil {
		return err
	}
	if err := setup.Ensure(ctx, os.Stderr); err != nil {
		return err
	}
	logf := progress()
	k, err := kernel.Resolve(ctx, *kname, kernel.Options{Logf: logf})
	if err != nil {
		return err
	}
	rs, err := grade.Run(ctx, fs.Args(), grade.Options{Assignment: a, Kernel: k, Out: *out, Jobs: *jobs,
		Shard: i, Shards: n, Progress: os.Stderr})
	fmt.Fprintf(os.Stderr, "lkmlab: graded %d submission(s) into %s (grades.csv, summary.json, junit.xml)\n", len(rs), *out)
	if err != nil {
		return err
	}
	return gradeOutputs(rs, a.Name, *asKTAP, *asJSON, *junitFile)
}

// gradeOutputs prints KTAP or JSON and writes JUnit, as asked.
func gradeOutputs(rs []*grade.Result, name string, asKTAP, asJSON bool, junitFile string) error {
	switch {
	case asKTAP:
		os.Stdout.Write(grade.KTAP(name, rs))
	case asJSON:
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rs); err != nil {
			return err
		}
	}
	if junitFile != "" {
		return writeFile(junitFile, func(w io.Writer) error { _, err := w.Write(grade.JUnit(rs)); return err })
	}
	return nil
}

func cmdMerge(args []string) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	afile := fs.String("assignment", "", "assignment file (YAML); default: the six seed modules")
	out := fs.String("out", "grades", "folder for the joined results and class files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("merge: name the shard output folders: %w", errUsage)
	}
	a, err := loadAssignment(*afile)
	if err != nil {
		return err
	}
	return grade.Merge(*out, a, fs.Args()...)
}

func loadAssignment(file string) (*assign.Assignment, error) {
	if file == "" {
		return assign.Default(), nil
	}
	return assign.Load(file)
}

// parseShard reads "I/N" (1 <= I <= N).
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || i < 1 || i > n {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N, such as 2/4: %w", s, errUsage)
	}
	return i, n, nil
}
