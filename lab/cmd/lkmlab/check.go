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
	kname := fs.String("kernel", "", "kernel to boot: debian-6.1 (default), debian-6.12, minimal, minimal-debug, host, IMAGE:KDIR or a built tree")
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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logf := progress()
	ko := kernel.Options{Logf: logf, Strict: *strict}
	if err := setup.CheckCommand("check", *kname, ko); err != nil {
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
	o := check.Options{Kernel: k, Logf: logf, WorkDir: *keep, Seed: *seed, Cold: *cold, Rebuild: *rebuild}
	if *verbose {
		o.Console = func(l string) { fmt.Fprintf(os.Stderr, "  | %s\n", l) }
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
		err = report.WriteTable(os.Stdout, r)
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
