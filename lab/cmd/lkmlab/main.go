// Command lkmlab builds Linux kernel modules, runs them in a QEMU guest and
// checks their kernel log output against each module's spec.
//
// Exit status: 0 every module passed, 1 a check failed, 2 a usage or
// environment error (the message says the cause and the fix).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const usage = `usage: lkmlab <command> [flags]

commands:
  build [--kernel K | --kdir KDIR] [MODULE...]
        compile modules into out/modules without booting
  new [--in DIR] NAME
        start a module: DIR/NAME with its C source, Kbuild and a spec.yaml commented on every
        field; it passes 'lkmlab check --modules DIR NAME' as written
  check [--kernel K] [--json|--ktap] [--junit FILE] [--modules DIR] [--work DIR] [--seed N] [--cold] [--rebuild]
        [--strict-kernel] [-v] [MODULE...]
        build, boot and verify modules (default: every folder of DIR with a spec.yaml);
        -v streams the guest console, --work keeps images and logs; a saved guest is restored
        unless --cold, unchanged modules come from the build cache unless --rebuild;
        --seed repeats a run's random values; --strict-kernel (or LKMLAB_STRICT_KERNEL=1)
        refuses a newer kernel package than the pin; --watch checks again on every save and
        shows only the steps whose verdict changed
  check --replay REPORT [--step MODULE:N] [--shell|--debug] [--modules DIR] [--submission PATH]
        rerun a step of a saved report (check --json, or a grade's result.json) with its seed,
        modules and kernel, and show its verdict and values beside the report's; --step alone
        (with --seed and the modules, as a failed step's replay line gives it) shows the step;
        --shell opens lkmlab shell at the step, --debug runs it under gdb
  shell [--kernel K] [--modules DIR] [--seed N] [MODULE...]
        a shell on the console of the check's guest, the modules built into /lkm, u-root's
        commands (insmod, rmmod, lsmod, dmesg, ps, ...); 'lab' in the guest lists the spec's
        steps, starts their workloads or runs one; Ctrl-D or poweroff ends it
  debug [--kernel K] [--modules DIR] [--seed N] [--break FUNC] [--batch --ex CMD...] MODULE
        gdb on the guest (QEMU's gdb stub) stopped in the module's init before it runs, the
        kernel's and the module's symbols loaded where the module sits (default kernel:
        minimal-6.1, which keeps its debug info); needs gdb (apt-get install gdb)
  kernels
        list the kernels lkmlab knows, which are in the cache, and the package each one uses
  kernel [--kernel K] [--strict-kernel] [--print image|builddir|release|modules|package|buildid]
        fetch a kernel into the cache and print where it is and what it is
  kernel build NAME
        build (minimal kernels, ~5 min once) or fetch a kernel, showing progress
  grade [--assignment FILE] [--kernel K] [-j N] [--out DIR] [--shard I/N] [--ktap|--json] [--junit FILE]
        [--format F,...] [--regrade] [--subdir DIR] [--max-files N] [--max-file-bytes SIZE] [--max-total-bytes SIZE] SUBMISSION...
        grade student folders or .zip/.tar.gz archives (default: the six seed modules);
        student code is built in a sandbox and run only in the VM; reruns resume;
        --format gradescope,prairielearn,classroom,autolab,codegrade (or all) also writes
        each platform's files, where the platform reads them when grading one submission
  merge [--assignment FILE] [--out DIR] SHARD-OUT...
        join the outputs of grade --shard runs into one grades.csv
  similar [--assignment FILE] [--out DIR] [--threshold 0.7] [--subdir DIR] SUBMISSION...
        for staff: similarity.html and .json in DIR, the pairs of submissions whose task files
        match once comments, names, literals, boilerplate and the task's skeleton are left out
  platform gradescope|prairielearn|classroom [--assignment FILE] [--kernel K] [--out PATH] [--binary LKMLAB]
        [--image NAME] [--timeout 3m] [--version V]
        write a platform's grader package: Gradescope's autograder zip, PrairieLearn's image
        and question, GitHub Classroom's workflow for the students' template repository
  setup [--for PURPOSE,...]
        install what lkmlab needs on the host (apt-get; root or sudo); purposes: boot, fetch,
        build-modules, build-kernel, grade, test (this repository's tests), all (default: all
        but test). Other commands never install: they stop with the exact command to run
  version
        print lkmlab's version, commit and the sha256 of the guest agent it carries
  parse [FILE]
        scan a saved console log or dmesg output for oopses, panics, WARNs, lockups
        (exit 1 when it finds one); check --work DIR keeps each VM's console log
  bench [--kernels K1,K2] [--runs N] [MODULE...]
        time source-to-verdict per stage and kernel: each module, all together; snapshot,
        rebuilt, cold boot and an untuned baseline (default kernels: debian-6.1,debian-6.12,minimal-6.1)

kernels (--kernel): debian-6.1 (default), debian-5.10 (bullseye), debian-6.12 (bookworm-backports), their
             arm64 builds (debian-6.1-arm64, ...; or --arch arm64), minimal-6.1 (alias minimal),
             minimal-debug and minimal-5.10 (built from Debian's source), host, IMAGE:KDIR, or a built kernel tree;
             lkmlab kernels lists them with their cache state
exit status: 0 all passed (grade: every submission graded, whatever its points),
             1 a check failed, 2 usage or environment error (the message says the fix)
`

// errUsage marks errors that should print the usage text.
var errUsage = errors.New("usage")

// errHelp means a command printed its own help: exit 0.
var errHelp = errors.New("help shown")

// parseFlags parses a command's flags; -h prints them and ends with errHelp.
// An argument that looks like a flag but names a file here is refused: a
// submission folder named "--out=x" or "-rebuild", expanded by the
// shell's *, must not set the run's options.
func parseFlags(fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			if _, err := os.Lstat(a); err == nil {
				return fmt.Errorf("%s %q is both a flag and a file in this folder (a name a shell * expanded?): name files as ./%s, or put them after --", fs.Name(), a, a)
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	return nil
}

// errCheckFailed is returned when the harness worked and a module did not pass.
var errCheckFailed = errors.New("check failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:])
	switch {
	case err == nil, errors.Is(err, errHelp):
	case errors.Is(err, errCheckFailed):
		os.Exit(1)
	case errors.Is(err, errUsage):
		if err != errUsage {
			fmt.Fprintf(os.Stderr, "lkmlab: %v\n", err)
		}
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "lkmlab: %v\n", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	if len(args) > 1 && (args[1] == "-h" || args[1] == "--help" || args[1] == "-help") &&
		(args[0] == "parse" || args[0] == "kernels" || args[0] == "version") {
		fmt.Print(usage)
		return nil
	}
	switch args[0] {
	case "check":
		return cmdCheck(ctx, args[1:])
	case "build":
		return cmdBuild(ctx, args[1:])
	case "kernels":
		return cmdKernels()
	case "kernel":
		return cmdKernel(ctx, args[1:])
	case "setup":
		return cmdSetup(ctx, args[1:])
	case "new":
		return cmdNew(args[1:])
	case "version", "--version":
		return cmdVersion(args[1:])
	case "parse":
		return cmdParse(args[1:])
	case "grade":
		return cmdGrade(ctx, args[1:])
	case "merge":
		return cmdMerge(args[1:])
	case "similar":
		return cmdSimilar(args[1:])
	case "platform":
		return cmdPlatform(args[1:])
	case "bench":
		return cmdBench(ctx, args[1:])
	case "shell":
		return cmdShell(ctx, args[1:])
	case "debug":
		return cmdDebug(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
}

// progress prints timestamped progress lines to stderr.
func progress() func(string, ...any) {
	start := time.Now()
	return func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%5.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
}
