package tests

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/command"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

// The class overview is for staff, in a browser: these tests grade a
// small class without a VM (a stand-in task runner), open the overview
// and a student's page in headless Chromium, and check that they load
// with no console error, show what they should, and that hostile student
// text is text.

// chromium returns the browser, or skips (fails with LKMLAB_REQUIRE_VM=1)
// saying how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found: apt-get install chromium (or lkmlab setup --for test)"
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatalf("%s (LKMLAB_REQUIRE_VM=1: browser tests must run)", msg)
	}
	t.Skip(msg)
	return ""
}

// browse loads a page in headless Chromium and returns the DOM it built
// and its log; extra adds flags (a screenshot).
func browse(t *testing.T, browser, page string, extra ...string) (dom, log string) {
	t.Helper()
	argv := append([]string{browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, extra...)
	if len(extra) == 0 {
		argv = append(argv, "--dump-dom")
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	errs, err := command.Run(ctx, append(argv, "file://"+page), command.Options{Stdout: &out, Env: command.Environ("HOME=" + t.TempDir())})
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", page, err, errs)
	}
	return out.String(), string(errs)
}

// consoleErrors are the lines of a Chromium log that report a page's
// console error or an uncaught exception.
// The pages have no script, so any console message at all is one.
var consoleErrors = regexp.MustCompile(`(?m)^.*(Uncaught|:CONSOLE[:(]).*$`)

// mdInjectionLog are the lines tests/testdata/hostile/md-injection's
// hello.c prints, as the stand-in runner's kernel log: hand-made from the
// module's source, not captured from a kernel.
var mdInjectionLog = []string{
	"Hello World from a module", "```", "</pre><script>alert('lkmlab')</script>",
	"[full marks: click to confirm](https://example.invalid/grade?student=md-injection)",
	"| hello | md-injection | 1/1 | 1/1 | 2/2 | 0/0 | 1/1 | 5/5 |", "# md-injection: 100 / 100",
	"<img src=x onerror=alert(1)>",
}

// standIn grades without a VM: hello fails on output in md-injection
// (with its hostile lines as the log), every other task present passes.
func standIn(ctx context.Context, j grade.TaskJob, o grade.Options) error {
	chosen, notes := assign.PickAll(o.Assignment.Tasks, j.Sub.Files, j.Sub.Read)
	j.R.Picks = notes
	for _, t := range o.Assignment.Tasks {
		f := chosen[t.Name]
		tr := grade.TaskResult{Name: t.Name, File: f, Max: t.Points, Verdict: result.Pass, Earned: t.Points}
		switch {
		case f == "":
			tr = grade.TaskResult{Name: t.Name, Max: t.Points, Verdict: result.Missing, Problem: "no file for this task"}
		case t.Name == "hello" && j.Sub.Name == "md-injection":
			step := result.Step{Name: "insmod hello", Verdict: result.Fail, Cause: result.OutputDiffers,
				Reason: "output differs: " + mdInjectionLog[2], Log: mdInjectionLog, Diff: []string{"+" + mdInjectionLog[2]}}
			tr.Verdict, tr.Problem = result.Fail, step.Reason
			tr.Earned = assign.Points{Build: t.Points.Build, Load: t.Points.Load, Unload: t.Points.Unload}
			tr.Module = &result.Module{Name: t.Name, Verdict: result.Fail, Steps: []result.Step{step}}
		default:
			tr.Module = &result.Module{Name: t.Name, Verdict: result.Pass}
		}
		j.R.Tasks = append(j.R.Tasks, tr)
		j.R.Total += tr.Earned.Total()
	}
	return nil
}

func TestOverviewInBrowser(t *testing.T) {
	browser := chromium(t)
	out := filepath.Join(t.TempDir(), "grades")
	subs := []string{"testdata/hostile/md-injection", "testdata/real/amelia-r", "testdata/real/pavel-d"}
	_, err := grade.Run(context.Background(), subs, grade.Options{Kernel: &kernel.Kernel{Name: "stand-in"}, Out: out, Tasks: standIn})
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(out, "overview", "index.html")
	dom, log := browse(t, browser, index)
	if errs := consoleErrors.FindAllString(log, -1); len(errs) > 0 {
		t.Errorf("index.html: console errors:\n%s", strings.Join(errs, "\n"))
	}
	for _, want := range []string{"seed: class overview", "Score distribution", "Where points were lost",
		`href="students/md-injection.html"`, `href="students/amelia-r.html"`, "output-differs"} {
		if !strings.Contains(dom, want) {
			t.Errorf("index.html lacks %q:\n%s", want, dom)
		}
	}
	page := filepath.Join(out, "overview", "students", "md-injection.html")
	dom, log = browse(t, browser, page)
	if errs := consoleErrors.FindAllString(log, -1); len(errs) > 0 {
		t.Errorf("md-injection.html: console errors:\n%s", strings.Join(errs, "\n"))
	}
	// The DOM Chromium built: a script or image the student's text made
	// would be an element here, not escaped text.
	for _, bad := range []string{"<script", "<img", `href="https://example.invalid`} {
		if strings.Contains(dom, bad) {
			t.Errorf("md-injection.html: student text became markup (%s):\n%s", bad, dom)
		}
	}
	for _, want := range []string{"&lt;/pre&gt;&lt;script&gt;alert('lkmlab')&lt;/script&gt;", "# md-injection: 100 / 100", "<table>"} {
		if !strings.Contains(dom, want) {
			t.Errorf("md-injection.html lacks %q (the report, as text):\n%s", want, dom)
		}
	}
	// LKMLAB_SCREENSHOT_DIR keeps the screenshots, for a person or a CI
	// artifact to look at.
	dir := os.Getenv("LKMLAB_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "overview.png")
	browse(t, browser, page, "--screenshot="+filepath.Join(dir, "overview-student.png"), "--window-size=1200,1600")
	browse(t, browser, index, "--screenshot="+shot, "--window-size=1200,1600")
	assertDrawn(t, shot)
}

// assertDrawn checks that a screenshot is a PNG on which the style sheet
// took effect: the distribution's bars are drawn in their blue (#4a7bd0).
func assertDrawn(t *testing.T, file string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	blue := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 == 0x4a && g>>8 == 0x7b && bl>>8 == 0xd0 {
				blue++
			}
		}
	}
	if blue < 100 {
		t.Errorf("screenshot %dx%d has %d pixels of the bars' blue: style.css did not apply", b.Dx(), b.Dy(), blue)
	}
}
