// Package grade grades submissions against an assignment: student folders
// or archives -> a sandboxed build and a VM run per student -> partial
// credit per task, written per student and for the class.
package grade

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// Options configure Run. Kernel is required; the rest of the zero value works.
type Options struct {
	Assignment *assign.Assignment // default assign.Default()
	Kernel     *kernel.Kernel
	Out        string // default "grades"
	Jobs       int    // students graded at once; default 1
	// Shard and Shards split the class: this run grades the I-th of N
	// deterministic parts (1-based). Zero grades everyone.
	Shard, Shards int
	Logf          func(format string, args ...any)
	Progress      io.Writer // one line per finished student; nil is silent
}

// Result is one student's grade.
type Result struct {
	Student    string       `json:"student"`
	Source     string       `json:"source"`
	Assignment string       `json:"assignment"`
	Total      int          `json:"total"`
	Max        int          `json:"max"`
	Tasks      []TaskResult `json:"tasks"`
	Skipped    []string     `json:"skipped_files,omitempty"`
	Problem    string       `json:"problem,omitempty"`
	Kernel     string       `json:"kernel"`
	Seed       uint64       `json:"seed"`
}

// TaskResult is one task's grade.
type TaskResult struct {
	Name    string         `json:"name"`
	File    string         `json:"file,omitempty"`
	Verdict result.Verdict `json:"verdict"`
	Problem string         `json:"problem,omitempty"`
	Earned  assign.Points  `json:"earned"`
	Max     assign.Points  `json:"max"`
	Module  *result.Module `json:"module,omitempty"`
}

// Run grades every submission of this shard, -j at a time, skipping
// students whose result is already written, then writes the class files
// from every result in Out.
func Run(ctx context.Context, subs []string, o Options) ([]*Result, error) {
	o = o.withDefaults()
	mine := Shard(subs, o.Shard, o.Shards)
	results := make([]*Result, len(mine))
	errs := make([]error, len(mine))
	p := newProgress(o.Progress, len(mine))
	sem := make(chan struct{}, o.Jobs)
	var wg sync.WaitGroup
	for i, src := range mine {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p.start()
			results[i], errs[i] = gradeOne(ctx, src, o)
			p.done(submit.Name(src), results[i], errs[i])
		}()
	}
	wg.Wait()
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", submit.Name(mine[i]), err))
		}
	}
	if err := WriteClass(o.Out, o.Assignment); err != nil {
		return results, err
	}
	if len(failed) > 0 {
		return results, fmt.Errorf("grade: %d submission(s) not graded (rerun to retry them):\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return results, nil
}

func (o Options) withDefaults() Options {
	if o.Assignment == nil {
		o.Assignment = assign.Default()
	}
	if o.Out == "" {
		o.Out = "grades"
	}
	if o.Jobs <= 0 {
		o.Jobs = 1
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// Shard keeps the submissions of part shard (1-based) of shards, by a
// deterministic order of student names, so a CI matrix splits a class the
// same way every time.
func Shard(subs []string, shard, shards int) []string {
	sorted := append([]string(nil), subs...)
	sort.Slice(sorted, func(i, j int) bool { return submit.Name(sorted[i]) < submit.Name(sorted[j]) })
	if shards <= 1 {
		return sorted
	}
	var out []string
	for i, s := range sorted {
		if i%shards == shard-1 {
			out = append(out, s)
		}
	}
	return out
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

// progress prints one line per finished student with an estimate of the
// time left.
type progress struct {
	mu                       sync.Mutex
	w                        io.Writer
	total, finished, running int
	start0                   time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start0: time.Now()}
}

func (p *progress) start() {
	p.mu.Lock()
	p.running++
	p.mu.Unlock()
}

func (p *progress) done(name string, r *Result, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running--
	p.finished++
	if p.w == nil {
		return
	}
	eta := time.Duration(float64(time.Since(p.start0)) / float64(p.finished) * float64(p.total-p.finished))
	what := "error: " + fmt.Sprint(err)
	if err == nil {
		what = fmt.Sprintf("%d/%d", r.Total, r.Max)
	}
	fmt.Fprintf(p.w, "[%d/%d] %-20s %s (running %d, about %s left)\n", p.finished, p.total, name, what, p.running, eta.Round(time.Second))
}
