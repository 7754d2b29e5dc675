package grade

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/overview"
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

// writeStudent writes report.md, then the result it replaces as
// result.prev.json (when there was one), then result.json, which marks the
// student as done.
func writeStudent(dir string, r *Result, prevJSON []byte) error {
	report := Markdown(r) + extrasMarkdown(r, ExtrasOf(r))
	if prev, err := decodeResult(prevJSON, r.Student); err == nil {
		report += changeMarkdown(Compare(prev, r))
	}
	if err := writeAtomic(filepath.Join(dir, reportFile), []byte(report)); err != nil {
		return fmt.Errorf("write report of %s: %w", r.Student, err)
	}
	if prevJSON != nil {
		if err := writeAtomic(filepath.Join(dir, prevFile), prevJSON); err != nil {
			return fmt.Errorf("keep previous result of %s: %w", r.Student, err)
		}
	}
	// The grader scrubbed r before the extras were filled in: scrub them
	// here of every folder this output knows.
	newScrubber(hostLabels(filepath.Dir(filepath.Dir(dir)))).value(ExtrasOf(r))
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode result of %s: %w", r.Student, err)
	}
	if err := writeAtomic(filepath.Join(dir, resultFile), append(b, '\n')); err != nil {
		return fmt.Errorf("write result of %s: %w", r.Student, err)
	}
	return nil
}

// found is a result and the output folder it was read from.
type found struct {
	r   *Result
	out string
}

// Results reads every student result under the output folders given. A
// result that cannot be read is skipped, with a warning (lkmlab grade
// grades that student again); the error is for the same student graded
// twice with different totals.
func Results(outs ...string) ([]*Result, []string, error) {
	found, warnings, err := readClass(outs...)
	rs := make([]*Result, len(found))
	for i, f := range found {
		rs[i] = f.r
	}
	return rs, warnings, err
}

func readClass(outs ...string) ([]found, []string, error) {
	byName := map[string]found{}
	var warnings []string
	for _, out := range outs {
		names, w := studentNames(out)
		warnings = append(warnings, w...)
		for _, name := range names {
			r, _, err := readResult(filepath.Join(StudentDir(out, name), resultFile), name)
			if errors.Is(err, fs.ErrNotExist) {
				continue // not graded yet
			}
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("%s: %v: skipped (lkmlab grade grades them again)", name, err))
				continue
			}
			if old, ok := byName[name]; ok && old.r.Total != r.Total {
				return nil, warnings, fmt.Errorf("%s graded twice with different totals (%d and %d): remove one of its folders, or grade it once", name, old.r.Total, r.Total)
			}
			byName[name] = found{r, out}
		}
	}
	all := make([]found, 0, len(byName))
	for _, f := range byName {
		all = append(all, f)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].r.Student < all[j].r.Student })
	return all, warnings, nil
}

// studentNames lists the student folders of an output folder, and warns
// about one written in the layout before students/ (out/NAME/result.json),
// whose results would otherwise be silently left out.
func studentNames(out string) ([]string, []string) {
	entries, err := os.ReadDir(StudentDir(out, ""))
	if err != nil {
		if oldLayout(out) {
			return nil, []string{fmt.Sprintf("%s: results in the old layout (NAME/result.json) are not read: grade the class again into a new --out", filepath.Base(out))}
		}
		return nil, nil
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func oldLayout(out string) bool {
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(out, e.Name(), resultFile)); err == nil && e.IsDir() {
			return true
		}
	}
	return false
}

// WriteClass writes grades.csv, summary.json and junit.xml in out from
// every student result there.
func WriteClass(out string, a *assign.Assignment) error {
	return writeClass(out, a, nil)
}

// writeClass writes the class files, with warnings of the run besides
// those of reading the results.
func writeClass(out string, a *assign.Assignment, warnings []string) error {
	rs, more, err := Results(out)
	if err != nil {
		return err
	}
	return writeClassFiles(out, a, rs, append(warnings, more...))
}

// Merge joins the results of several output folders (shards of one class)
// into out: each student's result, report and logs, and the class files.
// It holds out's lock, as a grader does.
func Merge(out string, a *assign.Assignment, ins ...string) error {
	lock, err := lockOut(out)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	defer lock.unlock()
	found, warnings, err := readClass(ins...)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	rs := make([]*Result, len(found))
	for i, f := range found {
		rs[i] = f.r
		if err := copyStudent(f, out); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	return writeClassFiles(out, a, rs, warnings)
}

// copyStudent writes a student's result, report and logs into out (a
// shard's folder is out itself when merging into one of the shards).
func copyStudent(f found, out string) error {
	from, to := StudentDir(f.out, f.r.Student), StudentDir(out, f.r.Student)
	if same(from, to) {
		return nil
	}
	logs, _ := os.ReadDir(filepath.Join(from, logsDir))
	for _, e := range logs {
		if b, err := os.ReadFile(filepath.Join(from, logsDir, e.Name())); err == nil && e.Type().IsRegular() {
			if err := writeAtomic(filepath.Join(to, logsDir, e.Name()), b); err != nil {
				return fmt.Errorf("copy logs of %s: %w", f.r.Student, err)
			}
		}
	}
	var prev []byte
	if b, err := os.ReadFile(filepath.Join(from, prevFile)); err == nil {
		prev = b
	}
	return writeStudent(to, f.r, prev)
}

func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func writeClassFiles(out string, a *assign.Assignment, rs []*Result, warnings []string) error {
	csvB, err := gradesCSV(a, rs)
	if err != nil {
		return fmt.Errorf("write grades.csv: %w", err)
	}
	sum, _ := json.MarshalIndent(summary(a, rs, warnings), "", "  ")
	regr, _ := json.MarshalIndent(regrades(out, rs), "", "  ")
	for name, b := range map[string][]byte{"grades.csv": csvB, "summary.json": append(sum, '\n'), "junit.xml": junit(rs),
		regradesFile: append(regr, '\n')} {
		if err := writeAtomic(filepath.Join(out, name), b); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return overview.Write(out, classView(out, a, rs))
}

func gradesCSV(a *assign.Assignment, rs []*Result) ([]byte, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	head := []string{"student"}
	for _, t := range a.Tasks {
		head = append(head, csvText(t.Name))
	}
	_ = w.Write(append(head, "total", "max"))
	for _, r := range rs {
		row := []string{csvText(r.Student)}
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

// csvText keeps a text cell from being read as a formula by a spreadsheet
// (OWASP's CSV injection advice): a cell starting with = + - @, a tab or
// a CR gets a leading '. Numbers are written by the grader and left alone.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type classSummary struct {
	Assignment string             `json:"assignment"`
	Students   int                `json:"students"`
	Max        int                `json:"max"`
	Mean       float64            `json:"mean"`
	Totals     map[string]int     `json:"totals"`
	TaskMeans  map[string]float64 `json:"task_means"`
	// Warnings are results that could not be read (and were graded
	// again, or skipped).
	Warnings []string `json:"warnings,omitempty"`
}

func summary(a *assign.Assignment, rs []*Result, warnings []string) classSummary {
	s := classSummary{Assignment: a.Name, Students: len(rs), Totals: map[string]int{}, TaskMeans: map[string]float64{}, Warnings: warnings}
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
