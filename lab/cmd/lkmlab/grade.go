package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/platform"
	"github.com/lkmlab/lkmlab/lab/setup"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// gradeArgs are lkmlab grade's flags.
type gradeArgs struct {
	afile, kname, arch, out, shard, junitFile string
	jobs                                      int
	asKTAP, asJSON, regrade                   bool
	limits                                    submit.Limits
	subdir                                    string
	strict                                    bool
	formats                                   []platform.Format
	elapsed                                   time.Duration
}

func gradeFlags(g *gradeArgs) *flag.FlagSet {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.StringVar(&g.afile, "assignment", "", "assignment file (YAML); default: the six seed modules")
	fs.StringVar(&g.kname, "kernel", "", "kernel to boot (default: the assignment's kernel, else debian-6.1)")
	fs.StringVar(&g.arch, "arch", "", "guest architecture: amd64 (default) or arm64, which picks the kernel's -arm64 build")
	fs.IntVar(&g.jobs, "j", defaultJobs(), "students graded at once (each boots its own VM); default: one per CPU, as memory allows (1 GiB each)")
	fs.StringVar(&g.out, "out", "grades", "output folder: students/NAME/ per student, grades.csv, summary.json, junit.xml; one grader at a time")
	fs.StringVar(&g.shard, "shard", "", "grade part I of N of the class (I/N), for a CI matrix; join with lkmlab merge")
	fs.BoolVar(&g.asKTAP, "ktap", false, "print the grades as KTAP on stdout (a test per student, a subtest per task)")
	fs.BoolVar(&g.asJSON, "json", false, "print the students' results as JSON on stdout")
	fs.StringVar(&g.junitFile, "junit", "", "also write the class as JUnit XML to this file")
	fs.BoolVar(&g.regrade, "regrade", false, "grade every student again (a result is regraded anyway when the assignment, kernel or lkmlab changed)")
	fs.IntVar(&g.limits.MaxFiles, "max-files", submit.DefaultMaxFiles, "most graded files a submission may hold")
	fs.Func("max-file-bytes", fmt.Sprintf("largest file taken from a submission, such as 2MiB (default %s)", humanize.IBytes(submit.DefaultMaxFileBytes)),
		byteSize(&g.limits.MaxFileBytes))
	fs.Func("max-total-bytes", fmt.Sprintf("most bytes of graded files per submission, such as 32MiB (default %s)", humanize.IBytes(submit.DefaultMaxTotalBytes)),
		byteSize(&g.limits.MaxTotalBytes))
	fs.IntVar(&g.limits.MaxEntries, "max-entries", submit.DefaultMaxEntries, "most entries of any kind (graded or skipped, .git included) a submission may hold")
	fs.Func("max-read-bytes", fmt.Sprintf("most bytes read or unpacked from a submission, skipped files included, such as 1GiB (default %s)", humanize.IBytes(submit.DefaultMaxReadBytes)),
		byteSize(&g.limits.MaxReadBytes))
	fs.StringVar(&g.subdir, "subdir", "", "grade only this folder of every submission (found at its top or inside one wrapper folder), such as lab2")
	fs.Func("format", "also write each platform's files, where it reads them (one submission) and in students/NAME/platform/: "+
		"gradescope, prairielearn, classroom, autolab, codegrade, comma-separated, or all", func(s string) (err error) {
		g.formats, err = platform.ParseFormats(s)
		return err
	})
	fs.BoolVar(&g.strict, "strict-kernel", false, "fail when the pinned kernel package is gone instead of following its series (also LKMLAB_STRICT_KERNEL=1)")
	return fs
}

// byteSize parses "1048576", "512KiB" or "2MB" into *n.
func byteSize(n *int64) func(string) error {
	return func(s string) error {
		v, err := humanize.ParseBytes(s)
		if err != nil || v == 0 || v > 1<<40 {
			return fmt.Errorf("want a size such as 1048576, 512KiB or 2MiB, from 1 byte to 1 TiB")
		}
		*n = int64(v)
		return nil
	}
}

func cmdGrade(ctx context.Context, args []string) error {
	var g gradeArgs
	fs := gradeFlags(&g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("grade: name the submissions (folders or .zip/.tar.gz): %w", errUsage)
	}
	if err := checkGradeArgs(&g); err != nil {
		return err
	}
	i, n, err := parseShard(g.shard)
	if err != nil {
		return err
	}
	a, err := loadAssignment(g.afile)
	if err != nil {
		return err
	}
	if g.kname, err = assignmentKernel(g.kname, a.Kernel); err != nil {
		return err
	}
	if g.kname, err = archKernel(g.kname, g.arch); err != nil {
		return err
	}
	if err := setup.CheckCommand("grade", g.kname, kernel.Options{Strict: g.strict}); err != nil {
		return err
	}
	k, err := kernel.Resolve(ctx, g.kname, kernel.Options{Logf: progress(), Strict: g.strict})
	if err != nil {
		return err
	}
	fallbacks, err := fallbackKernels(ctx, a.FallbackKernels, &g)
	if err != nil {
		return err
	}
	start := time.Now()
	rs, err := grader.Run(ctx, fs.Args(), grade.Options{Assignment: a, Kernel: k, Fallbacks: fallbacks, Out: g.out, Jobs: g.jobs,
		Shard: i, Shards: n, Regrade: g.regrade, Limits: g.limits, Subdir: g.subdir, Progress: os.Stderr})
	if err != nil {
		return err
	}
	g.elapsed = time.Since(start)
	fmt.Fprintf(os.Stderr, "lkmlab: graded %d submission(s) into %s (students/, grades.csv, summary.json, junit.xml, overview/index.html%s)\n",
		len(rs), g.out, map[bool]string{true: ", regrades.json"}[exists(filepath.Join(g.out, "regrades.json"))])
	return gradeOutputs(rs, a, &g)
}

// checkGradeArgs refuses flags that cannot go together.
func checkGradeArgs(g *gradeArgs) error {
	if g.limits.MaxFiles < 1 {
		return fmt.Errorf("grade: --max-files %d: want 1 or more", g.limits.MaxFiles)
	}
	if slices.Contains(g.formats, platform.Autolab) && (g.asJSON || g.asKTAP) {
		return fmt.Errorf("grade: --format autolab prints Autolab's output on stdout: leave out --json and --ktap")
	}
	return nil
}

// gradeOutputs prints KTAP or JSON and writes JUnit and the platforms'
// files, as asked; Autolab's output is the last thing on stdout.
func gradeOutputs(rs []*grade.Result, a *assign.Assignment, g *gradeArgs) error {
	name := a.Name
	asJSON, junitFile := g.asJSON, g.junitFile
	switch {
	case g.asKTAP:
		os.Stdout.Write(grade.KTAP(name, rs))
	case asJSON:
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rs); err != nil {
			return err
		}
	}
	if junitFile != "" {
		if err := writeFile(junitFile, func(w io.Writer) error { _, err := w.Write(grade.JUnit(rs)); return err }); err != nil {
			return err
		}
	}
	if len(g.formats) == 0 {
		return nil
	}
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "lkmlab: "+format+"\n", args...) }
	return platform.Write(g.out, a, rs, g.formats, platform.Options{Elapsed: g.elapsed}, platform.Env{Logf: logf})
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

// assignmentKernel is the kernel to grade on: --kernel's, else the one
// the assignment names. A --kernel that differs from the assignment's is
// said, since the course's grades were meant for the other.
func assignmentKernel(flag, assigned string) (string, error) {
	if assigned != "" {
		if err := knownKernel("kernel", assigned); err != nil {
			return "", err
		}
	}
	switch {
	case flag == "":
		return assigned, nil
	case assigned != "" && flag != assigned:
		fmt.Fprintf(os.Stderr, "lkmlab: grading on %s (--kernel), not on %s, the kernel the assignment names\n", flag, assigned)
	}
	return flag, nil
}

// knownKernel refuses a kernel the assignment names (as role) that this
// lkmlab does not know.
func knownKernel(role, name string) error {
	if slices.Contains(kernel.Names(), name) {
		return nil
	}
	return fmt.Errorf("the assignment names %s %q, which this lkmlab does not know; lkmlab kernels lists the ones it does (%s)",
		role, name, strings.Join(kernel.Names(), ", "))
}

// fallbackKernels resolves the assignment's fallback kernels for the
// grading kernel's architecture (fetching one the first time), leaving
// out the grading kernel itself.
func fallbackKernels(ctx context.Context, names []string, g *gradeArgs) ([]*kernel.Kernel, error) {
	var ks []*kernel.Kernel
	for _, name := range names {
		if err := knownKernel("fallback kernel", name); err != nil {
			return nil, err
		}
		name, err := archKernel(name, g.arch)
		if err != nil {
			return nil, err
		}
		if name == g.kname {
			continue
		}
		k, err := kernel.Resolve(ctx, name, kernel.Options{Logf: progress(), Strict: g.strict})
		if err != nil {
			return nil, fmt.Errorf("fallback kernel %s: %w", name, err)
		}
		ks = append(ks, k)
	}
	return ks, nil
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

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// defaultJobs is one student at a time per CPU, as far as the memory
// available gives each 1 GiB (a VM takes 512 MiB and QEMU's own; a
// sandboxed build a few hundred MB): a grader's VMs mostly wait (quiet
// and linger after each step), so a lane per CPU keeps the CPUs busy.
func defaultJobs() int {
	n := runtime.NumCPU()
	if gib := memAvailableMiB() / 1024; gib > 0 {
		n = min(n, gib)
	}
	return max(1, n)
}

// memAvailableMiB reads MemAvailable from /proc/meminfo; 0 when it
// cannot.
func memAvailableMiB() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "MemAvailable:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.Atoi(f[0])
				return kb / 1024
			}
		}
	}
	return 0
}
