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
	facts map[string]string
	stop  func()
}

// startWorkloads starts the step's workloads; the module's earlier ones
// keep running. It returns every fact known for the module, namespaced
// "name.fact".
func (a *Agent) startWorkloads(s plan.Step) (map[string]string, error) {
	if a.liveModule != s.Module {
		a.stopWorkloads()
		a.liveModule = s.Module
	}
	for _, w := range s.Start {
		facts, stop, err := a.Sys.StartWorkload(w)
		if err != nil {
			return nil, fmt.Errorf("start workload %s (%s): %w", w.Name, w.Kind, err)
		}
		a.live = append(a.live, live{name: w.Name, facts: facts, stop: stop})
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
		l.stop()
	}
	a.live = nil
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

// mergeSnapshots adds facts read before and after a step: one value when
// it held still, "before|after" when it moved while the module ran.
func mergeSnapshots(facts, before, after map[string]string) {
	for k, b := range before {
		if a, ok := after[k]; ok && a != b {
			facts[k] = b + "|" + a
		} else {
			facts[k] = b
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
