package grader

import (
	"context"
	"fmt"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
	"github.com/lkmlab/lkmlab/lab/result"
)

// fallback grades the tasks whose module did not build on the
// assignment's kernel on the fallback kernels, in order: a task that
// builds on one is graded by that run (mods[i] replaced, kernels[i] that
// kernel; nil for the assignment's). A task that builds on none keeps its build error from the
// assignment's kernel, which is the one the course named.
type fallback struct {
	run      func(context.Context, []check.Target, check.Options) (*result.Report, error)
	co       check.Options
	kernels  []*kinfo.Kernel
	original string // the assignment's kernel, skipped among the fallbacks
}

func (f fallback) apply(ctx context.Context, targets []check.Target, mods []result.Module) (kernels []*kinfo.Kernel, err error) {
	kernels = make([]*kinfo.Kernel, len(mods))
	for _, k := range f.kernels {
		if k.Name == f.original {
			continue
		}
		var idx []int
		var todo []check.Target
		for i, m := range mods {
			if m.Verdict == result.BuildError && kernels[i] == nil {
				idx, todo = append(idx, i), append(todo, targets[i])
			}
		}
		if len(todo) == 0 {
			return kernels, nil
		}
		co := f.co
		co.Kernel = k
		if co.WorkDir != "" { // its builds and kept guests apart from the first run's
			co.WorkDir += "-" + k.Name
		}
		if f.co.Sandbox != nil { // the build sees that kernel's tree
			co.Sandbox = kernelSandbox(k, f.co.Sandbox.Group)
		}
		rep, err := f.run(ctx, todo, co)
		if err != nil {
			return nil, fmt.Errorf("fallback kernel %s: %w", k.Name, err)
		}
		for j, i := range idx {
			if j < len(rep.Modules) && rep.Modules[j].Verdict != result.BuildError {
				mods[i], kernels[i] = rep.Modules[j], k
			}
		}
	}
	return kernels, nil
}

// kernelSandbox is the build sandbox for kernel k's tree, its limits held
// for group.
func kernelSandbox(k *kinfo.Kernel, group string) *kbuild.Sandbox {
	sb := sandboxFor(k)
	sb.Group = group
	return sb
}
