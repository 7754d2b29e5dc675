package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/debug"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/replay"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/setup"
	"github.com/lkmlab/lkmlab/lab/shell"
)

// parseAnywhere parses flags before, between and after the positional
// arguments, which it returns: a replay line is run with --shell or
// --debug added at its end, after the modules.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// replayFlags are check's flags for replaying a step.
type replayFlags struct {
	report, step                   string
	shell, debug                   bool
	submission, subdir, assignment string
	kernel, modules                string
	seed                           uint64
	args                           []string
	verbose                        bool
}

// checkReplay replays a step: from a saved report (--replay), or from the
// kernel, seed and modules of a check's replay line (--step alone). Exit
// status: a replay of a report fails when the step came out otherwise; a
// step shown alone fails when it did not pass.
func checkReplay(ctx context.Context, f replayFlags) error {
	rep, err := replaySource(f)
	if err != nil {
		return err
	}
	ref, err := replayRef(rep, f.step)
	if err != nil {
		return err
	}
	logf := progress()
	kname := f.kernel
	if kname == "" {
		kname, rep.Release, rep.BuildID = rep.KernelFor(ref.Module)
		if f.debug {
			kname = debug.DefaultKernel // the report's may lack debug info; the values do not depend on it
		}
	}
	ko := kernel.Options{Logf: logf}
	if err := setup.CheckCommand(map[bool]string{true: "grade", false: "check"}[rep.Grade], kname, ko); err != nil {
		return err
	}
	k, err := kernel.Resolve(ctx, kname, ko)
	if err != nil {
		return err
	}
	if f.shell || f.debug {
		return replayInside(ctx, rep, ref, f, k, logf)
	}
	o := replay.Options{Kernel: k, Modules: f.modules, Submission: f.submission, Subdir: f.subdir, Logf: logf}
	if f.assignment != "" {
		if o.Assignment, err = assign.Load(f.assignment); err != nil {
			return err
		}
	}
	if f.verbose {
		o.Console = func(l string) { fmt.Fprintf(os.Stderr, "  | %s\n", l) }
	}
	out, err := replay.Run(ctx, rep, ref, o)
	if err != nil {
		return err
	}
	out.Write(os.Stdout)
	if f.report != "" && !out.Same || f.report == "" && out.Now.Verdict != result.Pass {
		return errCheckFailed
	}
	return nil
}

// replaySource is the report to replay: the file, or the check the
// flags describe.
func replaySource(f replayFlags) (*replay.Report, error) {
	if f.report != "" {
		return replay.Load(f.report)
	}
	if f.seed == 0 {
		return nil, errors.New("check --step shows a step of a run: give the run's --seed (and its --kernel and modules), as its replay line does, or a saved report with --replay")
	}
	args := f.args
	if len(args) == 0 {
		targets, err := check.LoadAll(f.modules, nil)
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			args = append(args, t.Name)
		}
	}
	return replay.Fresh(f.kernel, f.seed, args), nil
}

// replayRef is the step named, or the report's first failed one.
func replayRef(rep *replay.Report, step string) (replay.Ref, error) {
	if step != "" {
		return replay.ParseRef(step)
	}
	if ref, ok := rep.FirstFailed(); ok {
		return ref, nil
	}
	return replay.Ref{}, fmt.Errorf("every step passed in %s: name one with --step MODULE:N", rep.Path)
}

// replayInside opens the shell or gdb at the step, with the report's
// modules and seed.
func replayInside(ctx context.Context, rep *replay.Report, ref replay.Ref, f replayFlags, k *kernel.Kernel, logf func(string, ...any)) error {
	if rep.Grade {
		return errors.New("--shell and --debug open a check's modules; for a graded task, open the student's module folder: lkmlab shell --modules DIR TASK")
	}
	args := rep.Args
	if len(args) == 0 {
		for _, m := range rep.Modules {
			args = append(args, m.Name)
		}
	}
	targets, err := check.LoadAll(f.modules, args)
	if err != nil {
		return err
	}
	co := check.Options{Kernel: k, Logf: logf, Seed: rep.Seed}
	if f.debug {
		return debug.Run(ctx, targets, debug.Options{Check: co, Module: ref.Module, Step: max(ref.Index, 0)})
	}
	return shell.Run(ctx, targets, shell.Options{Check: co, At: &check.StepRef{Module: ref.Module, Index: max(ref.Index, 0)}})
}
