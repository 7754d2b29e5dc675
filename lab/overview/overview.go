// Package overview renders a graded class for staff: the class's results
// -> overview/index.html (score distribution per task, the commonest
// reasons points were lost with an example each, a row per student) and
// a page per student (their report.md as HTML). Static files only: no
// script, nothing fetched, every student text escaped.
package overview

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Dir is the folder Write makes in the output folder.
const Dir = "overview"

// Class is what the overview shows. It is plain data, filled in by
// lab/grade, so that this package needs nothing of the grader.
type Class struct {
	Assignment string
	Tasks      []Task // the assignment's, in its order
	Students   []Student
	// Files are the class files in the output folder that the page
	// links to (grades.csv, similarity.html, ...), by name.
	Files []string
}

// Task is one task of the assignment and its points.
type Task struct {
	Name string
	Max  int
}

// Student is one graded student.
type Student struct {
	Name       string
	Total, Max int
	Problem    string  // why the submission could not be graded, if so
	Tasks      []Score // by task name; a task with none is not graded
	// Report is the student's report.md (Markdown); Folder the student's
	// folder relative to the output folder ("students/NAME").
	Report string
	Folder string
}

// Score is a student's grade on one task.
type Score struct {
	Task        string
	Earned, Max int
	Verdict     string // lab/result's verdict ("pass", "fail", ...)
	Cause       string // the typed cause of the first step that failed, or the module's
	Lost        []string
	Problem     string // the first reason, for people
	FailedRuns  int    // runs the flake guard saw lose points
	Runs        int
	StaticItems int // compiler warnings and style complaints
}

// Link is a class file beside the overview that staff may open.
type Link struct {
	Name, Href string
}

// Write writes out/overview: index.html, style.css and students/*.html.
func Write(out string, c Class) error {
	dir := filepath.Join(out, Dir)
	if err := os.RemoveAll(filepath.Join(dir, "students")); err != nil { // pages of students no longer in the class
		return fmt.Errorf("write overview: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "students"), 0o755); err != nil {
		return fmt.Errorf("write overview: %w", err)
	}
	v := build(c)
	files := map[string][]byte{"style.css": []byte(css)}
	index, err := render(indexPage, v)
	if err != nil {
		return fmt.Errorf("write overview: %w", err)
	}
	files["index.html"] = index
	for _, s := range v.Students {
		b, err := studentHTML(c.Assignment, s)
		if err != nil {
			return fmt.Errorf("write overview of %s: %w", s.Name, err)
		}
		files[filepath.Join("students", s.Page)] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("write overview: %w", err)
		}
	}
	return nil
}

// view is the index page's data.
type view struct {
	Class
	Students []studentView
	Dists    []dist
	Reasons  []reason
	Mean     string
	Max      int
}

type studentView struct {
	Student
	Page   string // file name under students/
	Cells  []cell // one per task of the class
	Failed bool   // lost any point
}

type cell struct {
	Text  string
	Class string // full, part, none, missing
	Title string
}

func build(c Class) view {
	v := view{Class: c, Max: classMax(c)}
	sum := 0
	for i, s := range c.Students {
		sv := studentView{Student: s, Page: pageName(s.Name, i), Failed: s.Total < s.Max}
		for _, t := range c.Tasks {
			sv.Cells = append(sv.Cells, cellFor(s, t))
		}
		v.Students = append(v.Students, sv)
		sum += s.Total
	}
	if len(c.Students) > 0 {
		v.Mean = fmt.Sprintf("%.1f", float64(sum)/float64(len(c.Students)))
	}
	v.Dists = distributions(c)
	v.Reasons = reasons(v.Students, 10)
	return v
}

func cellFor(s Student, t Task) cell {
	sc, ok := scoreOf(s, t.Name)
	switch {
	case !ok || sc.Verdict == "missing":
		return cell{Text: "-", Class: "missing", Title: "no file for this task"}
	case sc.Earned == sc.Max:
		return cell{Text: fmt.Sprintf("%d/%d", sc.Earned, sc.Max), Class: "full", Title: sc.Verdict}
	case sc.Earned == 0:
		return cell{Text: fmt.Sprintf("%d/%d", sc.Earned, sc.Max), Class: "none", Title: sc.Verdict + ": " + sc.Problem}
	}
	return cell{Text: fmt.Sprintf("%d/%d", sc.Earned, sc.Max), Class: "part", Title: sc.Verdict + ": " + sc.Problem}
}

func scoreOf(s Student, task string) (Score, bool) {
	for _, sc := range s.Tasks {
		if sc.Task == task {
			return sc, true
		}
	}
	return Score{}, false
}

// pageName is a student's page under students/: their folder's name when
// it is a plain file name (lab/submit makes it one), else a numbered one.
func pageName(name string, i int) string {
	if name == "" || name != filepath.Base(name) || name[0] == '.' {
		return fmt.Sprintf("student-%d.html", i+1)
	}
	return name + ".html"
}

// dist is one task's score distribution: how many students earned each
// number of points.
type dist struct {
	Task string
	Max  int
	Bars []bar
	All  bool // the class's totals, not one task's
}

type bar struct {
	Label string // the points, or a range of them
	Count int
	Width int // percent of the widest bar
}

func distributions(c Class) []dist {
	var ds []dist
	for _, t := range c.Tasks {
		counts := make([]int, max(t.Max, 0)+1)
		for _, s := range c.Students {
			sc, _ := scoreOf(s, t.Name)
			counts[min(max(sc.Earned, 0), t.Max)]++
		}
		ds = append(ds, dist{Task: t.Name, Max: t.Max, Bars: bars(counts)})
	}
	total := classMax(c)
	counts := make([]int, total+1)
	for _, s := range c.Students {
		counts[min(max(s.Total, 0), total)]++
	}
	return append(ds, dist{Task: "all tasks", Max: total, Bars: bars(counts), All: true})
}

func classMax(c Class) int {
	m := 0
	for _, t := range c.Tasks {
		m += t.Max
	}
	return m
}

// maxBars is the most bars a distribution draws: a class's totals out of
// 50 are put in bins of 5.
const maxBars = 12

// bars draws counts (by points) as at most maxBars bars, each a bin of
// equal width labelled with its points.
func bars(counts []int) []bar {
	width := (len(counts) + maxBars - 1) / maxBars
	var bs []bar
	for lo := 0; lo < len(counts); lo += width {
		hi := min(lo+width, len(counts)) - 1
		b := bar{Label: fmt.Sprint(lo)}
		if hi > lo {
			b.Label = fmt.Sprintf("%d-%d", lo, hi)
		}
		for _, n := range counts[lo : hi+1] {
			b.Count += n
		}
		bs = append(bs, b)
	}
	most := 1
	for _, b := range bs {
		most = max(most, b.Count)
	}
	for i := range bs {
		bs[i].Width = 100 * bs[i].Count / most
	}
	return bs
}

// reason is a way students lost points on a task, by typed verdict and
// cause, with how many and one example.
type reason struct {
	Task, Verdict, Cause string
	Lost                 []string
	Count                int
	Example              studentView
	Problem              string
}

// reasons groups every task that lost points by task, verdict and cause,
// the commonest first, at most n.
func reasons(students []studentView, n int) []reason {
	byKey := map[[3]string]*reason{}
	var all []*reason
	for _, s := range students {
		for _, sc := range s.Tasks {
			if sc.Earned >= sc.Max {
				continue
			}
			k := [3]string{sc.Task, sc.Verdict, sc.Cause}
			r := byKey[k]
			if r == nil {
				r = &reason{Task: sc.Task, Verdict: sc.Verdict, Cause: sc.Cause, Lost: sc.Lost, Example: s, Problem: sc.Problem}
				byKey[k] = r
				all = append(all, r)
			}
			r.Count++
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Count > all[j].Count })
	var out []reason
	for _, r := range all[:min(len(all), n)] {
		out = append(out, *r)
	}
	return out
}
