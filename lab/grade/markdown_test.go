package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// hostile is student text trying to become markup, a spreadsheet formula,
// or to break the XML.
const (
	fenceLine  = "```\n<script>alert(1)</script>\n```"
	linkText   = "[x](javascript:alert(1)) ![t](https://evil.example/p.png) <img src=x onerror=alert(1)>"
	formula    = "=cmd|' /C calc'!A0"
	controlled = "ctl \x1b[31m\x00\x07 \xff\xfe"
)

func hostileResult() *Result {
	m := &result.Module{Name: "hello", Verdict: result.Crash, Error: "hello.c:1:1: error: " + fenceLine, Steps: []result.Step{{
		Name: "insmod " + linkText, Verdict: result.Crash, Reason: "printed " + fenceLine + "\n" + linkText,
		Diff: []string{"- Hello", "+ " + fenceLine}, Log: []string{"[ 1.0] " + fenceLine, "[ 1.1] " + linkText, "[ 1.2] " + controlled},
		Params:   "pid_" + linkText + "=1",
		Failures: []*kmsg.Failure{{Kind: kmsg.Oops, Title: linkText}}}},
		Findings: []result.Finding{{Kind: result.NeedsReview, Text: "dual-use " + fenceLine}}}
	return &Result{Student: "alice", Total: 1, Max: 5, Problem: "**" + linkText + "**\n# not a heading",
		Tasks: []TaskResult{
			{Name: "hello", File: "<b>hello</b>.c", Verdict: result.Crash, Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1, Load: 4}, Module: m},
			{Name: "size", Verdict: result.Missing, Problem: linkText + " " + formula, Max: assign.Points{Build: 1}},
		},
		Skipped: []string{"<script>alert(1)</script>.c: symbolic link", "[x](javascript:alert(1)): path escapes", "::error::x"}}
}

// renderTags renders Markdown as GitHub would (GFM, raw HTML allowed, so
// that any HTML the escaping missed shows) and lists the elements.
func renderTags(t *testing.T, md string) ([]string, string) {
	t.Helper()
	var out bytes.Buffer
	g := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	if err := g.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			tags = append(tags, n.Data)
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return tags, text.String()
}

func TestMarkdownReportRendersStudentTextAsText(t *testing.T) {
	md := Markdown(hostileResult())
	tags, text := renderTags(t, md)
	allowed := []string{"html", "head", "body", "h1", "h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "pre", "code", "ul", "li"}
	for _, tag := range tags {
		if !slices.Contains(allowed, tag) {
			t.Errorf("report renders a <%s>:\n%s", tag, md)
		}
	}
	if n := strings.Count(strings.Join(tags, " "), "h1"); n != 1 {
		t.Errorf("%d headings of level 1, want the student's only:\n%s", n, md)
	}
	for _, want := range []string{fenceLine, linkText, "<script>alert(1)</script>.c: symbolic link", "pid_" + linkText + "=1", "<b>hello</b>.c", formula, "**" + linkText + "** # not a heading"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered report lacks the text %q:\n%s", want, text)
		}
	}
	if strings.ContainsAny(md, "\x00\x1b\x07") || !strings.Contains(md, "ctl \uFFFD[31m") {
		t.Errorf("control characters reach the report:\n%q", md)
	}
}

func TestGradesCSVDefusesFormulas(t *testing.T) {
	a := &assign.Assignment{Tasks: []assign.Task{{Name: "+task"}}}
	rs := []*Result{{Student: formula, Total: -1}, {Student: "@SUM(A1)"}, {Student: "\tx"}, {Student: "-2+3"}, {Student: "bob"}}
	b, err := gradesCSV(a, rs)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"student", "'+task", "'" + formula, "'@SUM(A1)", "'\tx", "'-2+3", "bob"}
	got := []string{rows[0][0], rows[0][1]}
	for _, r := range rows[1:] {
		got = append(got, r[0])
	}
	if !slices.Equal(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
	if rows[1][2] != "-1" {
		t.Errorf("a number the grader wrote was changed: %q", rows[1][2])
	}
}

func TestClassJUnitOfHostileResult(t *testing.T) {
	var doc struct {
		Suites []struct {
			Cases []struct {
				Failure struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	r := hostileResult()
	r.Tasks[1].Problem = controlled
	b := JUnit([]*Result{r})
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%q", err, b)
	}
	if got := doc.Suites[0].Cases[1].Failure.Message; got != "0/1 points: ctl [31m " {
		t.Errorf("failure message %q", got)
	}
}

// TestMarkdownScoresWarningsOnlyWhereScored: the warnings and style
// columns appear when a task scores them, and not otherwise.
func TestMarkdownScoresWarningsOnlyWhereScored(t *testing.T) {
	plain := &Result{Student: "a", Tasks: []TaskResult{{Name: "hello", Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1}}}}
	if md := Markdown(plain); strings.Contains(md, "warnings") || !strings.Contains(md, "| hello | - | 1/1 | 0/0 |") {
		t.Fatalf("a task without warnings points:\n%s", md)
	}
	scored := &Result{Student: "a", Tasks: []TaskResult{{Name: "hello", Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1, Warnings: 2}}}}
	if md := Markdown(scored); !strings.Contains(md, "| robust | warnings | points |") || !strings.Contains(md, "| 0/2 | 1/3 |") || strings.Contains(md, "style") {
		t.Fatalf("a task scoring warnings:\n%s", md)
	}
}

// TestMarkdownSaysWhichKernelGradedATask: a task graded on a fallback
// kernel says so, naming both kernels; the others say nothing of it.
func TestMarkdownSaysWhichKernelGradedATask(t *testing.T) {
	r := &Result{Student: "dana", Kernel: "debian-6.1", Tasks: []TaskResult{
		{Name: "running", Verdict: result.Pass, Kernel: "debian-5.10", Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1}},
		{Name: "heap", Verdict: result.Pass, Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1}},
	}}
	got := Markdown(r)
	if !strings.Contains(got, "running was graded on debian-5.10: its module does not build on debian-6.1") {
		t.Errorf("no word of the fallback kernel:\n%s", got)
	}
	if strings.Contains(got, "heap was graded") {
		t.Errorf("a task graded on the assignment's kernel named a fallback:\n%s", got)
	}
}
