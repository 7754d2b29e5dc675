package grade

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
)

// writeAtomic writes b to path through a temp file renamed into place: a
// reader (or a rerun after kill -9) sees the old file or the new one.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeStudent writes report.md, then result.json, which marks the
// student as done.
func writeStudent(dir string, r *Result) error {
	if err := writeAtomic(filepath.Join(dir, "report.md"), []byte(Markdown(r))); err != nil {
		return fmt.Errorf("write report of %s: %w", r.Student, err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, resultFile), append(b, '\n')); err != nil {
		return fmt.Errorf("write result of %s: %w", r.Student, err)
	}
	return nil
}

// Results reads every student result under the folders given.
func Results(dirs ...string) ([]*Result, error) {
	byName := map[string]*Result{}
	for _, d := range dirs {
		paths, _ := filepath.Glob(filepath.Join(d, "*", resultFile))
		for _, p := range paths {
			r, err := readResult(p)
			if err != nil {
				return nil, err
			}
			if old, ok := byName[r.Student]; ok && old.Total != r.Total {
				return nil, fmt.Errorf("merge: %s graded twice with different totals (%d and %d): grade it once", r.Student, old.Total, r.Total)
			}
			byName[r.Student] = r
		}
	}
	out := make([]*Result, 0, len(byName))
	for _, r := range byName {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Student < out[j].Student })
	return out, nil
}

// WriteClass writes grades.csv, summary.json and junit.xml in out from
// every student result there.
func WriteClass(out string, a *assign.Assignment) error {
	rs, err := Results(out)
	if err != nil {
		return err
	}
	return writeClassFiles(out, a, rs)
}

// Merge joins the results of several output folders (shards of one class)
// and writes the class files in out.
func Merge(out string, a *assign.Assignment, ins ...string) error {
	rs, err := Results(ins...)
	if err != nil {
		return err
	}
	for _, r := range rs {
		b, _ := json.MarshalIndent(r, "", "  ")
		if err := writeAtomic(filepath.Join(out, r.Student, resultFile), append(b, '\n')); err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(out, r.Student, "report.md"), []byte(Markdown(r))); err != nil {
			return err
		}
	}
	return writeClassFiles(out, a, rs)
}

func writeClassFiles(out string, a *assign.Assignment, rs []*Result) error {
	csvB, err := gradesCSV(a, rs)
	if err != nil {
		return err
	}
	sum, _ := json.MarshalIndent(summary(a, rs), "", "  ")
	for name, b := range map[string][]byte{"grades.csv": csvB, "summary.json": append(sum, '\n'), "junit.xml": junit(rs)} {
		if err := writeAtomic(filepath.Join(out, name), b); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

func gradesCSV(a *assign.Assignment, rs []*Result) ([]byte, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	head := []string{"student"}
	for _, t := range a.Tasks {
		head = append(head, t.Name)
	}
	_ = w.Write(append(head, "total", "max"))
	for _, r := range rs {
		row := []string{r.Student}
		for _, t := range a.Tasks {
			cell := ""
			for _, tr := range r.Tasks {
				if tr.Name == t.Name {
					cell = strconv.Itoa(tr.Earned.Total())
				}
			}
			row = append(row, cell)
		}
		_ = w.Write(append(row, strconv.Itoa(r.Total), strconv.Itoa(r.Max)))
	}
	w.Flush()
	return []byte(b.String()), w.Error()
}

type classSummary struct {
	Assignment string             `json:"assignment"`
	Students   int                `json:"students"`
	Max        int                `json:"max"`
	Mean       float64            `json:"mean"`
	Totals     map[string]int     `json:"totals"`
	TaskMeans  map[string]float64 `json:"task_means"`
}

func summary(a *assign.Assignment, rs []*Result) classSummary {
	s := classSummary{Assignment: a.Name, Students: len(rs), Totals: map[string]int{}, TaskMeans: map[string]float64{}}
	for _, t := range a.Tasks {
		s.Max += t.Points.Total()
	}
	for _, r := range rs {
		s.Totals[r.Student] = r.Total
		s.Mean += float64(r.Total) / float64(len(rs))
		for _, tr := range r.Tasks {
			s.TaskMeans[tr.Name] += float64(tr.Earned.Total()) / float64(len(rs))
		}
	}
	return s
}
