// Package check runs the whole pipeline for a set of modules: source
// folders -> .ko -> initramfs -> VM -> kernel log -> verdicts.
package check

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

// Target is one module to check: a folder with C sources, a Kbuild file
// and a spec.
type Target struct {
	Name string
	Dir  string
	Spec *spec.Spec
	// ParamNames maps the spec's parameter roles to the names the module
	// declares (a grader found them); a role not in it is passed under its
	// own name.
	ParamNames map[string]string
	// Findings are about the module as built (a precheck's needs-review
	// notes); they go into its result as they are and cost no points.
	Findings []result.Finding
	// Linger is how long, at least, the module's VM lives after its last
	// step in grading (Options.Isolate): a grader gives a module that
	// arms timers or queues work longer, so that what it left pending at
	// rmmod fires into its freed code, and is charged to it, while its VM
	// still runs.
	Linger time.Duration
}

// params is the insmod parameter string of spec step st: each of its
// parameters under the module's own name for it.
func (t Target) params(st spec.Step) string {
	ps := st.ParamList()
	for i, p := range ps {
		if n, ok := t.ParamNames[p.Name]; ok {
			ps[i].Name = n
		}
	}
	return spec.FormatParams(ps)
}

// Load reads the module folder dir.
func Load(dir string) (Target, error) {
	s, err := spec.Load(dir)
	if err != nil {
		return Target{}, fmt.Errorf("load module %s: %w", dir, err)
	}
	return Target{Name: filepath.Base(filepath.Clean(dir)), Dir: dir, Spec: s}, nil
}

// LoadAll reads the named modules from root (every folder with a spec when
// names is empty). A name may also be a path to a module folder.
func LoadAll(root string, names []string) ([]Target, error) {
	found, err := moduleDirs(root)
	if len(names) == 0 {
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("list modules: no folder in %s has a %s", root, spec.File)
		}
		names = found
	}
	var ts []Target
	for _, n := range names {
		dir := n
		if _, err := os.Stat(dir); err != nil || filepath.Base(n) == n {
			dir = filepath.Join(root, n)
		}
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("no module %q: no folder %s (modules in %s: %s)", n, dir, root, strings.Join(found, ", "))
		}
		t, err := Load(dir)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// moduleDirs lists root's folders that hold a spec, sorted.
func moduleDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("list modules: %w", err)
	}
	var names []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, e.Name(), spec.File)); err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
