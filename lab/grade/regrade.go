package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Change is what a regrade changed for one student, and why: the grade
// it replaced (kept as result.prev.json) against the new one.
type Change struct {
	Student string `json:"student"`
	Was     int    `json:"was"`
	Now     int    `json:"now"`
	// Why lists what differs between the two grades' inputs: the
	// assignment, the kernel, lkmlab, the submission's files; or says
	// that none did (a --regrade, with new random values).
	Why   []string     `json:"why"`
	Tasks []TaskChange `json:"tasks,omitempty"`
}

// TaskChange is one task whose verdict or points changed.
type TaskChange struct {
	Task       string         `json:"task"`
	WasVerdict result.Verdict `json:"was_verdict"`
	NowVerdict result.Verdict `json:"now_verdict"`
	Parts      []PartChange   `json:"parts,omitempty"`
}

// PartChange is one part of a task's points that changed.
type PartChange struct {
	Part string `json:"part"`
	Was  int    `json:"was"`
	Now  int    `json:"now"`
}

// Compare says what changed from prev to cur.
func Compare(prev, cur *Result) Change {
	c := Change{Student: cur.Student, Was: prev.Total, Now: cur.Total, Why: why(prev, cur)}
	was := map[string]TaskResult{}
	for _, t := range prev.Tasks {
		was[t.Name] = t
	}
	for _, t := range cur.Tasks {
		p, ok := was[t.Name]
		if !ok {
			p = TaskResult{Name: t.Name, Verdict: result.Missing}
		}
		tc := TaskChange{Task: t.Name, WasVerdict: p.Verdict, NowVerdict: t.Verdict, Parts: partChanges(p.Earned, t.Earned)}
		if tc.WasVerdict != tc.NowVerdict || len(tc.Parts) > 0 {
			c.Tasks = append(c.Tasks, tc)
		}
	}
	return c
}

// why lists what the two grades were made from that differs.
func why(prev, cur *Result) []string {
	var w []string
	if prev.AssignmentDigest != cur.AssignmentDigest {
		w = append(w, "the assignment or one of its specs changed")
	}
	if prev.Kernel != cur.Kernel || prev.KernelRelease != cur.KernelRelease ||
		prev.KernelBuildID != "" && cur.KernelBuildID != "" && prev.KernelBuildID != cur.KernelBuildID {
		w = append(w, fmt.Sprintf("the kernel changed (was %s %s, now %s %s)", prev.Kernel, prev.KernelRelease, cur.Kernel, cur.KernelRelease))
	}
	if prev.LkmlabVersion != cur.LkmlabVersion {
		w = append(w, fmt.Sprintf("lkmlab changed (was %s, now %s)", prev.LkmlabVersion, cur.LkmlabVersion))
	}
	switch files := fileChanges(prev.Files, cur.Files); {
	case len(prev.Files) == 0 && len(cur.Files) > 0:
		w = append(w, "the submission may have changed (the earlier grade did not record its files)")
	case files != "":
		w = append(w, "the submission changed: "+files)
	}
	if len(w) == 0 {
		w = append(w, fmt.Sprintf("nothing it depends on changed (a --regrade): the run drew new random values (seed %d, was %d)", cur.Seed, prev.Seed))
	}
	return w
}

// fileChanges names the files changed, added and removed, or "".
func fileChanges(was, now map[string]string) string {
	var changed, added, removed []string
	for _, f := range sortedKeys(now) {
		switch old, ok := was[f]; {
		case !ok:
			added = append(added, f)
		case old != now[f]:
			changed = append(changed, f)
		}
	}
	for _, f := range sortedKeys(was) {
		if _, ok := now[f]; !ok {
			removed = append(removed, f)
		}
	}
	var parts []string
	for _, g := range []struct {
		what  string
		files []string
	}{{"changed", changed}, {"added", added}, {"removed", removed}} {
		if len(g.files) > 0 {
			parts = append(parts, g.what+" "+listSome(g.files, 5))
		}
	}
	return strings.Join(parts, "; ")
}

func listSome(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(s[:n], ", "), len(s)-n)
}

// pointParts are a task's parts by the names reports use.
func pointParts(p assign.Points) []PartChange {
	return []PartChange{{"build", 0, p.Build}, {"load", 0, p.Load}, {"output", 0, p.Output}, {"truth", 0, p.Truth},
		{"unload", 0, p.Unload}, {"robust", 0, p.Robust}, {"warnings", 0, p.Warnings}, {"style", 0, p.Style}}
}

func partChanges(was, now assign.Points) []PartChange {
	w, n := pointParts(was), pointParts(now)
	var out []PartChange
	for i := range n {
		if w[i].Now != n[i].Now {
			out = append(out, PartChange{Part: n[i].Part, Was: w[i].Now, Now: n[i].Now})
		}
	}
	return out
}

// changeMarkdown is report.md's account of a regrade.
func changeMarkdown(c Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Since the last grade: %d → %d\n\n", c.Was, c.Now)
	for _, w := range c.Why {
		fmt.Fprintf(&b, "- %s\n", md(w))
	}
	if len(c.Tasks) == 0 {
		b.WriteString("\nNo task's verdict or points changed. The earlier grade is kept as result.prev.json.\n")
		return b.String()
	}
	b.WriteString("\n| task | verdict | points changed |\n|---|---|---|\n")
	for _, t := range c.Tasks {
		var parts []string
		for _, p := range t.Parts {
			parts = append(parts, fmt.Sprintf("%s %d → %d", p.Part, p.Was, p.Now))
		}
		verdict := string(t.NowVerdict)
		if t.WasVerdict != t.NowVerdict {
			verdict = fmt.Sprintf("%s → %s", t.WasVerdict, t.NowVerdict)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", md(t.Task), md(verdict), orDash(md(strings.Join(parts, ", "))))
	}
	b.WriteString("\nThe earlier grade is kept as result.prev.json.\n")
	return b.String()
}

// regradesFile is the class's account of its regrades: a Change for every
// student whose folder keeps a replaced grade.
const regradesFile = "regrades.json"

// regrades compares each student's result with the one its last regrade
// replaced (result.prev.json), for regrades.json.
func regrades(out string, rs []*Result) []Change {
	changes := []Change{}
	for _, r := range rs {
		b, err := os.ReadFile(filepath.Join(StudentDir(out, r.Student), prevFile))
		if err != nil {
			continue
		}
		if prev, err := decodeResult(b, r.Student); err == nil {
			changes = append(changes, Compare(prev, r))
		}
	}
	return changes
}

// decodeResult reads a result.json's bytes (a replaced grade) with its
// extras; it must be the student's.
func decodeResult(b []byte, student string) (*Result, error) {
	if b == nil {
		return nil, errors.New("no earlier result")
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("read earlier result: %w", err)
	}
	if r.Student != student {
		return nil, fmt.Errorf("read earlier result: it is %q's", r.Student)
	}
	return &r, nil
}
