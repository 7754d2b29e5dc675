// Package grader grades a class in VMs: submissions -> lab/grade's
// bookkeeping (staging, results, class files) with each student's tasks
// built in the sandbox and run by lab/check. lab/grade itself runs no VM.
package grader

import (
	"context"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/static"
)

// stepQuiet is how long the guest waits after each insmod and rmmod, so
// that a thread's output just after init (real2's jamal-wright prints
// from a kernel thread) and a timer or work item left behind at rmmod land
// inside their own step.
const stepQuiet = 300 * time.Millisecond

// grade.TaskJob is one staged submission whose tasks are to be graded into r,
// in the work folder work.
// Run grades every submission (see grade.Run), building and booting each
// student's tasks.
func Run(ctx context.Context, subs []string, o grade.Options) ([]*grade.Result, error) {
	o.Tasks = Tasks
	if o.Assignment != nil {
		if _, style := needsStatic(o.Assignment); style {
			if _, err := static.FindCheckpatch(kernel.DefaultCacheDir()); err != nil {
				return nil, fmt.Errorf("grade: the assignment scores style: %w", err)
			}
		}
	}
	return grade.Run(ctx, subs, o)
}

// Tasks grades a staged submission's tasks into j.R: it picks each task's
// file, builds the modules in the sandbox, checks their policy and
// parameters, runs them, and scores them. It is grade.Options.Tasks.
func Tasks(ctx context.Context, j grade.TaskJob, o grade.Options) error {
	sub, work, r := j.Sub, j.Work, j.R
	grade.ExtrasOf(r).Files = grade.FileDigests(sub.Files, sub.Read) // a regrade says whether they changed
	var targets []check.Target
	var picked []assign.Task
	chosen, notes := assign.PickAll(o.Assignment.Tasks, sub.Files, sub.Read)
	r.Picks = notes
	files := map[string]string{}
	copies := map[string]map[string]string{}
	for _, t := range o.Assignment.Tasks {
		f := chosen[t.Name]
		if f == "" {
			r.Tasks = append(r.Tasks, grade.TaskResult{Name: t.Name, Verdict: result.Missing, Max: t.Points,
				Problem: missingNote(t, notes)})
			continue
		}
		dir, names, err := stageTask(sub, f, t, filepath.Join(work, "tasks"))
		if err != nil {
			return err
		}
		files[t.Name], copies[t.Name] = f, names
		picked = append(picked, t)
		targets = append(targets, check.Target{Name: t.Name, Dir: dir, Spec: t.Loaded})
	}
	if len(targets) == 0 {
		return nil
	}
	sb := kernelSandbox(o.Kernel, sub.Name) // memory and process limits hold for the student's builds together
	co := check.Options{Kernel: o.Kernel, Logf: o.Logf,
		WorkDir: filepath.Join(work, "check"), Sandbox: sb, Precheck: precheck(picked),
		Isolate: true, Quiet: stepQuiet, BuildNames: buildNames(copies)}
	rep, err := check.Run(ctx, targets, co)
	if err != nil {
		return fmt.Errorf("grade %s: %w", sub.Name, err)
	}
	r.Seed, r.Versions = rep.Seed, rep.Versions
	mods, runs, err := guard{run: check.Run, co: co, reruns: o.Assignment.Reruns}.apply(ctx, targets, picked, rep)
	if err != nil {
		return fmt.Errorf("grade %s: %w", sub.Name, err)
	}
	on, err := fallback{run: check.Run, co: co, kernels: o.Fallbacks, original: o.Kernel.Name}.apply(ctx, targets, mods)
	if err != nil {
		return fmt.Errorf("grade %s: %w", sub.Name, err)
	}
	x := grade.ExtrasOf(r)
	x.Runs = runs
	sj := staticJob{sub: sub, work: work, k: o.Kernel, sb: sb, names: co.BuildNames, a: o.Assignment}
	for i, t := range picked {
		tj := sj
		if on[i] != nil { // its warnings come from the kernel it built on
			tj.k, tj.sb = on[i], kernelSandbox(on[i], sub.Name)
		}
		tr, err := tj.taskResult(ctx, ranTask{task: t, module: mods[i], dir: targets[i].Dir, file: files[t.Name]}, x)
		if err != nil {
			return fmt.Errorf("grade %s: %w", sub.Name, err)
		}
		if on[i] != nil {
			tr.Kernel = on[i].Name
		}
		r.Tasks = append(r.Tasks, tr)
		r.Total += tr.Earned.Total()
	}
	slices.SortStableFunc(r.Tasks, func(a, b grade.TaskResult) int {
		return taskIndex(o.Assignment, a.Name) - taskIndex(o.Assignment, b.Name)
	})
	return nil
}

// missingNote is PickAll's note on a task that found no file, or a plain
// account.
func missingNote(t assign.Task, notes []string) string {
	for _, n := range notes {
		if rest, ok := strings.CutPrefix(n, "no file for "+t.Name+": "); ok {
			return "no file for this task: " + rest
		}
	}
	return "no file named " + strings.Join(t.Files, " or ")
}

// buildNames maps the grader's copies of a student's files back to the
// names the student gave them, for compiler messages: "TASK/COPY" for
// each task's copies (see stageTask).
func buildNames(copies map[string]map[string]string) map[string]string {
	names := map[string]string{}
	for task, copied := range copies {
		for name, student := range copied {
			names[task+"/"+name] = student
		}
	}
	return names
}

// precheck looks at each built module before any boot: the assignment's
// policy (forbidden imports, privileged instructions: an integrity
// verdict, no points, for a person to review), then the parameters the
// task needs, found under the names the course accepts.
func precheck(tasks []assign.Task) func(*check.Target, string) *check.Refusal {
	byName := map[string]assign.Task{}
	for _, t := range tasks {
		byName[t.Name] = t
	}
	return func(tg *check.Target, path string) *check.Refusal {
		t := byName[tg.Name]
		m, err := ko.Open(path)
		if err != nil {
			return &check.Refusal{Verdict: result.Fail, Cause: result.Harness, Reason: err.Error()}
		}
		if fi, err := os.Stat(path); err == nil && fi.Size() > MaxModuleFileBytes {
			return &check.Refusal{Verdict: result.BuildError, Reason: fmt.Sprintf(
				"the module's file is %d KiB, more than the %d KiB the grader sends to its VM (the seed's modules take well under 512 KiB, debug information included): large module information (MODULE_INFO, parameter names) or embedded data?",
				fi.Size()>>10, MaxModuleFileBytes>>10)}
		}
		if n := loadedBytes(m); n > MaxModuleBytes {
			return &check.Refusal{Verdict: result.BuildError, Reason: fmt.Sprintf(
				"the module takes %d KiB of kernel memory when loaded, more than the %d KiB the grader loads (the seed's modules take a few KiB): a large array or embedded data?",
				n>>10, MaxModuleBytes>>10)}
		}
		if vs := m.Check(t.Policy); len(vs) > 0 {
			return &check.Refusal{Verdict: result.Integrity, Cause: result.Policy, Reason: policyReason(vs)}
		}
		for _, v := range m.Review(t.Policy) {
			tg.Findings = append(tg.Findings, result.Finding{Kind: result.NeedsReview,
				Text: v.String()})
		}
		tg.Findings = append(tg.Findings, unstopped(m.Uses())...)
		tg.Linger = lingerFor(m.Uses())
		names, err := resolveParams(t.Params, m.Params)
		if err != nil {
			return &check.Refusal{Verdict: result.Fail, Cause: result.WrongResult, Reason: err.Error()}
		}
		tg.ParamNames = names
		return nil
	}
}

// unstopped flags what a module starts and imports nothing to stop or
// wait for: pending at rmmod, it would run in freed code. The run charges
// it only if it faults while the VM lives (a fault in freed code is
// LeftRunning); a person should look either way.
func unstopped(u ko.Uses) []result.Finding {
	var out []result.Finding
	for _, k := range []struct {
		what string
		use  ko.Use
	}{{"timers", u.Timers}, {"deferred work", u.Work}, {"kernel threads", u.Threads}} {
		if k.use.Unstopped() {
			out = append(out, result.Finding{Kind: result.NeedsReview, Text: fmt.Sprintf(
				"starts %s (%s) and imports nothing that stops or waits for them: pending at rmmod, they would run in freed code",
				k.what, strings.Join(k.use.Start, ", "))})
		}
	}
	return out
}

// lingerPending is how long the VM of a module that arms timers or
// queues work lives after its last step, and of one that starts kernel
// threads it imports nothing to stop: whatever of these it left pending at
// rmmod (a self-rearming timer, a timer a second or more ahead, whatever
// it imports to cancel them) fires into its freed code meanwhile and is
// charged to it. Other modules' VMs end as soon as they are done.
const lingerPending = 5 * time.Second

// lingerFor is the Target.Linger of a module that uses u.
func lingerFor(u ko.Uses) time.Duration {
	if len(u.Timers.Start) > 0 || len(u.Work.Start) > 0 || u.Threads.Unstopped() {
		return lingerPending
	}
	return 0
}

// MaxModuleBytes bounds what a graded module may take when loaded (its
// allocated sections): the guest receives every module over a serial
// line, and a module of tens of megabytes would stall its VM (and the
// class's run) instead of being graded.
const MaxModuleBytes = 512 << 10

// MaxModuleFileBytes bounds a graded module's file: the guest receives it
// over a serial line, and a file of megabytes of module information or
// unloaded sections stalls its VM (an 8.5 MB one did not reach the agent
// within its minute, and cost the saved guest, rebuilt after the restore
// "failed"). The largest module of the team's corpora, debug information
// included, is 425 KB.
const MaxModuleFileBytes = 2 << 20

// loadedBytes is the size of m's sections the kernel allocates (it reads
// .modinfo and __versions at load and keeps neither).
func loadedBytes(m *ko.Module) uint64 {
	var n uint64
	for _, s := range m.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Name != ".modinfo" && s.Name != "__versions" {
			n += s.Size
		}
	}
	return n
}

func policyReason(vs []ko.Violation) string {
	var b strings.Builder
	b.WriteString("the module uses what this assignment does not allow (not graded; a person should review it):")
	for i, v := range vs {
		if i == 10 {
			fmt.Fprintf(&b, "\n  (%d more)", len(vs)-i)
			break
		}
		b.WriteString("\n  " + v.String())
	}
	return b.String()
}

func taskIndex(a *assign.Assignment, name string) int {
	for i, t := range a.Tasks {
		if t.Name == name {
			return i
		}
	}
	return len(a.Tasks)
}

// studentPaths names the student's own files where a report names the
// grader's copies of them (an oops located in the source, say): the
// copy of the picked file at copyPath, and the other files copied
// beside it.
func studentPaths(m *result.Module, copyPath, file string) {
	pairs := [][2]string{{copyPath, file}}
	if names, ok := copyNames.Load(filepath.Dir(filepath.Clean(copyPath))); ok {
		for name, student := range names.(map[string]string) {
			if p := filepath.Join(filepath.Dir(copyPath), name); p != copyPath {
				pairs = append(pairs, [2]string{p, student})
			}
		}
	}
	// Longest first: a Replacer prefers the earlier of two matches at one
	// place, and one copy's path may begin another's (a.h, a.hh).
	slices.SortFunc(pairs, func(a, b [2]string) int { return len(b[0]) - len(a[0]) })
	var repl []string
	for _, p := range pairs {
		repl = append(repl, p[0], p[1])
	}
	r := strings.NewReplacer(repl...)
	m.Error = r.Replace(m.Error)
	for si := range m.Steps {
		s := &m.Steps[si]
		s.Reason = r.Replace(s.Reason)
		for _, f := range s.Failures {
			f.Source = r.Replace(f.Source)
		}
	}
}

// sandboxFor confines builds to the kernel's tree.
func sandboxFor(k *kernel.Kernel) *kbuild.Sandbox {
	root := k.BuildDir
	if i := strings.Index(root, "/root/usr/src/"); i >= 0 {
		root = root[:i] // a Debian kernel unpacked by lkmlab: its whole tree
	}
	ro := []string{root}
	for _, p := range []string{k.BuildDir, filepath.Join(k.BuildDir, "source")} {
		if r, err := filepath.EvalSymlinks(p); err == nil && !strings.HasPrefix(r, root) {
			ro = append(ro, r)
		}
	}
	return &kbuild.Sandbox{ReadOnly: ro}
}
