package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/report"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/setup"
)

func cmdCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	kname := fs.String("kernel", "", "kernel to boot: debian-6.1 (default), debian-5.10, debian-6.12, an -arm64 build, minimal, minimal-debug, host, IMAGE:KDIR or a built tree (lkmlab kernels lists them)")
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout")
	asKTAP := fs.Bool("ktap", false, "print the report as KTAP (the kernel's test format) on stdout")
	junit := fs.String("junit", "", "also write the report as JUnit XML to this file")
	modules := fs.String("modules", "modules", "folder holding one folder per module")
	verbose := fs.Bool("v", false, "stream the guest console to stderr")
	keep := fs.String("work", "", "keep build products and initramfs images in this folder")
	seed := fs.Uint64("seed", 0, "repeat a run's random workload values (the report gives the seed)")
	cold := fs.Bool("cold", false, "boot every VM from scratch instead of restoring the saved guest")
	rebuild := fs.Bool("rebuild", false, "build every module even when the build cache has it")
	strict := fs.Bool("strict-kernel", false, "fail instead of using a newer kernel package than the pin Debian dropped (also "+kernel.StrictEnv+"=1)")
	var rf replayFlags
	fs.StringVar(&rf.report, "replay", "", "rerun a step of this report (check --json output or a grade's result.json) with its seed, modules and kernel")
	fs.StringVar(&rf.step, "step", "", "the step to replay or show, MODULE:N (N from 1); a failed step's replay line names it")
	fs.BoolVar(&rf.shell, "shell", false, "with --step: open lkmlab shell at the step instead (the module's steps before it run first)")
	fs.BoolVar(&rf.debug, "debug", false, "with --step: run the step under gdb (lkmlab debug) instead")
	fs.StringVar(&rf.submission, "submission", "", "with --replay of a grade's result.json: the student's submission (folder or archive)")
	fs.StringVar(&rf.subdir, "subdir", "", "with --replay of a grade's result.json: the grade's --subdir")
	fs.StringVar(&rf.assignment, "assignment", "", "with --replay of a grade's result.json: the grade's assignment file (default: the seed assignment)")
	watchFlag := fs.Bool("watch", false, "check again each time a module's file is saved, showing only the steps whose verdict changed")
	arch := fs.String("arch", "", "guest architecture: amd64 (default) or arm64, which picks the kernel's -arm64 build")
	mods, err := parseAnywhere(fs, args)
	if err != nil {
		return err
	}
	if *kname, err = archKernel(*kname, *arch); err != nil {
		return err
	}
	if rf.report != "" || rf.step != "" {
		rf.kernel, rf.seed, rf.modules, rf.args, rf.verbose = *kname, *seed, *modules, mods, *verbose
		return checkReplay(ctx, rf)
	}
	logf := progress()
	ko := kernel.Options{Logf: logf, Strict: *strict}
	if err := setup.CheckCommand("check", *kname, ko); err != nil {
		return err
	}
	targets, err := check.LoadAll(*modules, mods)
	if err != nil {
		return err
	}
	k, err := kernel.Resolve(ctx, *kname, ko)
	if err != nil {
		return err
	}
	o := check.Options{Kernel: k, Logf: logf, WorkDir: *keep, Seed: *seed, Cold: *cold, Rebuild: *rebuild}
	if *verbose {
		o.Console = func(l string) { fmt.Fprintf(os.Stderr, "  | %s\n", l) }
	}
	if *watchFlag {
		return checkWatch(ctx, targets, o, *verbose)
	}
	r, err := check.Run(ctx, targets, o)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		err = report.WriteJSON(os.Stdout, r)
	case *asKTAP:
		err = report.WriteKTAP(os.Stdout, r)
	default:
		err = report.WriteTableFor(os.Stdout, r, replayBase(r, *modules, mods))
	}
	if err != nil {
		return err
	}
	if err := githubOutputs(r); err != nil {
		return err
	}
	if *junit != "" {
		if err := writeFile(*junit, func(w io.Writer) error { return report.WriteJUnit(w, r) }); err != nil {
			return err
		}
	}
	if !r.Passed() {
		return errCheckFailed
	}
	return nil
}

// writeFile writes through a temp file renamed into place, so a reader
// never sees half a report.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lkmlab-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// githubOutputs, under GitHub Actions, annotates the sources with the
// failures and adds the verdict table to the job's summary.
func githubOutputs(r *result.Report) error {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	if err := report.WriteGitHub(os.Stdout, r); err != nil {
		return err
	}
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("write step summary: %w", err)
	}
	defer f.Close()
	return report.WriteSummary(f, r)
}

// replayBase is the command that repeats this check as the person ran it:
// the modules as they named them (all of the folder's when they named
// none), with the run's kernel and seed.
func replayBase(r *result.Report, modules string, args []string) string {
	cmd := fmt.Sprintf("lkmlab check --kernel %s --seed %d", report.ShellQuote(r.Kernel), r.Seed)
	if modules != "modules" {
		cmd += " --modules " + report.ShellQuote(modules)
	}
	if len(args) == 0 {
		for _, m := range r.Modules {
			args = append(args, m.Name)
		}
	}
	for _, a := range args {
		cmd += " " + report.ShellQuote(a)
	}
	return cmd
}

// archKernel names the kernel for --arch: debian-6.1 and arm64 give
// debian-6.1-arm64.
func archKernel(name, arch string) (string, error) {
	switch arch {
	case "":
		return name, nil
	case kernel.AMD64, kernel.ARM64:
		return kernel.ForArch(name, arch), nil
	}
	return "", fmt.Errorf("--arch %q: lkmlab boots amd64 and arm64 guests", arch)
}
