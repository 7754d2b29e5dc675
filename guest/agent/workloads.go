package agent

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// live is a started workload.
type live struct {
	name  string
	step  int // the step that started it
	facts map[string]string
	stop  func() func() bool
}

// startWorkloads starts the step's workloads with the arguments the host
// drew for them; the module's earlier ones keep running until its end
// (endModule). It returns every fact known for the module, namespaced
// "name.fact".
func (a *Agent) startWorkloads(i int, s plan.Step, args map[string]map[string]string) (map[string]string, error) {
	for _, w := range s.Start {
		w.Args = args[w.Name]
		facts, stop, err := a.Sys.StartWorkload(w)
		if err != nil {
			return nil, fmt.Errorf("start workload %s (%s): %w", w.Name, w.Kind, err)
		}
		a.live = append(a.live, live{name: w.Name, step: i, facts: facts, stop: stop})
	}
	all := map[string]string{}
	for _, l := range a.live {
		for k, v := range l.facts {
			all[l.name+"."+k] = v
		}
	}
	return all, nil
}

func (a *Agent) stopWorkloads() {
	for _, l := range a.live {
		if freed := l.stop(); freed != nil {
			what := fmt.Sprintf("workload %s (pid %s)", l.name, l.facts["pid"])
			if c := l.facts["comm"]; c != "" {
				what = fmt.Sprintf("workload %s (%s, pid %s)", l.name, c, l.facts["pid"])
			}
			a.held = append(a.held, heldCheck{step: l.step, freed: freed, what: what})
		}
	}
	a.live = nil
}

// heldCheck is a process that has ended, whose address space must be
// freed once the module is unloaded.
type heldCheck struct {
	step  int    // charged to this step
	what  string // which process
	freed func() bool
}

// endModule stops the module's workloads and reports every process of the
// module whose address space outlived it: a reference the module took
// (get_task_mm, mmget) and never dropped.
func (a *Agent) endModule(c plan.Command) error {
	a.stopWorkloads()
	checks := a.held
	a.held = nil
	r := plan.Record{Kind: plan.ModuleEnd, UptimeUS: a.Sys.UptimeUS()}
	for _, h := range checks {
		if !h.freed() {
			r.Held = append(r.Held, plan.Held{Step: h.step,
				What: h.what + " ended, but its address space was never freed: a reference to it (get_task_mm or mmget) was not dropped with mmput"})
		}
	}
	return a.send(c.Nonce, r)
}

// snapshot reads each live workload's memory sizes.
func (a *Agent) snapshot() map[string]string {
	out := map[string]string{}
	for _, l := range a.live {
		pid, err := strconv.Atoi(l.facts["pid"])
		if err != nil {
			continue
		}
		for k, v := range a.Sys.ProcFacts(pid) {
			out[l.name+"."+k] = v
		}
	}
	return out
}

// mergeSnapshots adds the facts read before the step. What they read
// after it is not taken: a module can rewrite a process's counters
// (mm->total_vm) so that /proc agrees with a lie; a workload is idle while
// the module runs, so the values before are the true ones. A value that
// moved is kept apart, for a person reading the report.
func mergeSnapshots(facts, before, after map[string]string) {
	for k, b := range before {
		facts[k] = b
		if a, ok := after[k]; ok && a != b {
			facts[k+"_after"] = a
		}
	}
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+\.[A-Za-z0-9_]+)\}`)

// substitute replaces "{w.fact}" in params with the fact's value.
func substitute(params string, facts map[string]string) (string, error) {
	var missing []string
	out := placeholder.ReplaceAllStringFunc(params, func(m string) string {
		k := m[1 : len(m)-1]
		v, ok := facts[k]
		if !ok {
			missing = append(missing, k)
		}
		return v
	})
	if len(missing) > 0 {
		sort.Strings(missing)
		return "", fmt.Errorf("params %q name unknown facts %v", params, missing)
	}
	return out, nil
}
