package overview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostile is what a student controls that reaches the overview: text
// written to break out of HTML and Markdown (hand-made).
const hostile = "</td><script>alert(1)</script><img src=x onerror=alert(2)>"

func testClass() Class {
	return Class{
		Assignment: "lab<2>",
		Tasks:      []Task{{Name: "hello", Max: 2}, {Name: "size", Max: 3}},
		Files:      []string{"grades.csv"},
		Students: []Student{
			{Name: "ann", Total: 5, Max: 5, Folder: "students/ann", Report: "# ann: 5 / 5\n",
				Tasks: []Score{{Task: "hello", Earned: 2, Max: 2, Verdict: "pass"}, {Task: "size", Earned: 3, Max: 3, Verdict: "pass"}}},
			{Name: "bob", Total: 2, Max: 5, Folder: "students/bob", Report: "# bob\n\n```\n" + hostile + "\n```\n\n" + hostile + "\n",
				Tasks: []Score{{Task: "hello", Earned: 2, Max: 2, Verdict: "pass"},
					{Task: "size", Earned: 0, Max: 3, Verdict: "fail", Cause: "untrue", Lost: []string{"truth"}, Problem: hostile}}},
			{Name: "cy", Total: 1, Max: 5, Folder: "students/cy",
				Tasks: []Score{{Task: "hello", Earned: 1, Max: 2, Verdict: "fail", Cause: "output-differs", Lost: []string{"output"}},
					{Task: "size", Earned: 0, Max: 3, Verdict: "fail", Cause: "untrue", Lost: []string{"truth"}}}},
			{Name: "../dan", Total: 0, Max: 5, Problem: "no files",
				Tasks: []Score{{Task: "hello", Max: 2, Verdict: "missing"}, {Task: "size", Max: 3, Verdict: "missing"}}},
		},
	}
}

func TestBuild(t *testing.T) {
	v := build(testClass())
	size := v.Dists[1]
	if size.Task != "size" || len(size.Bars) != 4 || size.Bars[0].Count != 3 || size.Bars[3].Count != 1 || size.Bars[0].Width != 100 {
		t.Errorf("size distribution %+v, want 3 students at 0 and 1 at 3", size)
	}
	if all := v.Dists[2]; !all.All || all.Max != 5 || all.Bars[5].Count != 1 || all.Bars[1].Count != 1 {
		t.Errorf("totals %+v", all)
	}
	if bs := bars(make([]int, 51)); len(bs) != 11 || bs[0].Label != "0-4" || bs[10].Label != "50" {
		t.Errorf("bins of 0..50: %+v", bs)
	}
	if len(v.Reasons) == 0 || v.Reasons[0].Task != "size" || v.Reasons[0].Count != 2 || v.Reasons[0].Example.Name != "bob" {
		t.Errorf("reasons %+v, want size/fail/untrue first, twice, bob the example", v.Reasons)
	}
	for _, r := range v.Reasons {
		if r.Verdict == "pass" {
			t.Errorf("a passing task counted as a reason: %+v", r)
		}
	}
	if p := v.Students[3].Page; p != "student-4.html" {
		t.Errorf("page of ../dan: %q", p)
	}
}

func TestWriteKeepsStudentTextText(t *testing.T) {
	out := t.TempDir()
	if err := Write(out, testClass()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index.html", "students/bob.html", "students/student-4.html", "style.css"} {
		b, err := os.ReadFile(filepath.Join(out, Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "<script") || strings.Contains(s, "<img") || strings.Contains(s, "lab<2>") {
			t.Errorf("%s: student text rendered as markup:\n%s", f, s)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, Dir, "students/bob.html"))
	if !strings.Contains(string(b), "&lt;script&gt;alert(1)") {
		t.Errorf("bob's report lost the text it should show:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(out, "dan.html")); err == nil {
		t.Error("a student name wrote outside the overview")
	}
}
