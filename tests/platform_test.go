package tests

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/platform"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The platform tests grade as the platforms do: a grader package from
// lkmlab platform, its image-build script run once (it saves the guest),
// then its grading script run on a submission laid out where the
// platform puts it, in a temp folder standing for / (the scripts take
// their roots from LKMLAB_GRADESCOPE_ROOT and LKMLAB_PRAIRIELEARN_ROOT).
// Docker is not used: the Dockerfile's commands run as a script.

const platformAssignment = "testdata/platform/assignment.yaml"

// rig is an lkmlab built from this tree, statically as a release is, and
// a cache of its own whose kernels are hard links to the test cache's
// (no download), so that the image's saved guest is made by the test.
type rig struct {
	dir, bin, cache, kernel string
}

func newRig(t *testing.T) *rig {
	k := needVM(t)
	r := &rig{dir: t.TempDir(), kernel: k.Name}
	r.bin, r.cache = filepath.Join(r.dir, "lkmlab-built"), filepath.Join(r.dir, "cache")
	build := exec.Command("go", "build", "-o", r.bin, "github.com/lkmlab/lkmlab/lab/cmd/lkmlab")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build lkmlab: %v\n%s", err, out)
	}
	os.MkdirAll(r.cache, 0o755)
	if out, err := exec.Command("cp", "-al", filepath.Join(kernel.DefaultCacheDir(), "kernels"), r.cache).CombinedOutput(); err != nil {
		t.Fatalf("link the kernels into the rig's cache: %v\n%s", err, out)
	}
	return r
}

// env is the scripts' environment: the rig's cache, and the prefix that
// stands for /usr/local.
func (r *rig) env(more ...string) []string {
	return append(os.Environ(), append([]string{"LKMLAB_CACHE=" + r.cache, "LKMLAB_PREFIX=" + filepath.Join(r.dir, "usr-local")}, more...)...)
}

// run runs a command in dir, streaming its output to t.Logf, and returns
// its stdout.
func (r *rig) run(t *testing.T, dir string, env []string, argv ...string) string {
	t.Helper()
	t.Logf("run %s (in %s)", strings.Join(argv, " "), dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	var stdout bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&stdout, pw), pw
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			t.Logf("[%6.1fs] %s", time.Since(start).Seconds(), sc.Text())
		}
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	return stdout.String()
}

// snapshots lists the saved guests of the rig's cache.
func (r *rig) snapshots(t *testing.T) []string {
	keys, _ := filepath.Glob(filepath.Join(r.cache, "snapshots", "*", "*"))
	var dirs []string
	for _, k := range keys {
		if st, err := os.Stat(k); err == nil && st.IsDir() {
			dirs = append(dirs, k)
		}
	}
	if len(dirs) == 0 {
		t.Fatalf("no saved guest in %s after the image was prepared", r.cache)
	}
	return dirs
}

// TestGradescopeAutograder unpacks the autograder zip into a folder laid
// out as Gradescope's /autograder, runs setup.sh as the image build does,
// then run_autograder on a submission, and checks results.json against
// the schema written from Gradescope's documentation, and what each
// visibility shows.
func TestGradescopeAutograder(t *testing.T) {
	r := newRig(t)
	zipPath := filepath.Join(r.dir, "autograder.zip")
	r.run(t, ".", r.env(), r.bin, "platform", "gradescope", "--assignment", platformAssignment, "--kernel", r.kernel,
		"--binary", r.bin, "--out", zipPath)
	root := filepath.Join(r.dir, "autograder")
	unzip(t, zipPath, filepath.Join(root, "source"))
	copyTree(t, "testdata/real/ivan-p", filepath.Join(root, "submission"))
	os.MkdirAll(filepath.Join(root, "results"), 0o755)

	r.run(t, filepath.Join(root, "source"), r.env(), "bash", "setup.sh")
	saved := r.snapshots(t)
	copyFile(t, filepath.Join(root, "source", "run_autograder"), filepath.Join(root, "run_autograder"))
	start := time.Now()
	stdout := r.run(t, root, r.env(platform.GradescopeRootEnv+"="+root), filepath.Join(root, "run_autograder"))
	t.Logf("run_autograder graded the submission in %v", time.Since(start).Round(100*time.Millisecond))
	if got := r.snapshots(t); !slices.Equal(got, saved) {
		t.Errorf("the grade saved a guest of its own (%v, after %v): it did not start from the image's", got, saved)
	}
	if !strings.Contains(stdout, "# submission:") {
		t.Errorf("run_autograder's stdout, the staff's, holds no report:\n%s", stdout)
	}

	b := readFile(t, filepath.Join(root, "results", "results.json"))
	validateSchema(t, "gradescope", b)
	var res struct {
		Score int `json:"score"`
		Tests []struct {
			Name, Output, Visibility string
			Score                    int
		} `json:"tests"`
	}
	mustUnmarshal(t, b, &res)
	checkGradescopeVisibility(t, res.Tests)
	var staff grade.Result
	mustUnmarshal(t, readFile(t, filepath.Join(root, "lkmlab", "students", "submission", "result.json")), &staff)
	if res.Score != staff.Total {
		t.Errorf("results.json scores %d, the grade is %d", res.Score, staff.Total)
	}
}

// checkGradescopeVisibility: size's hidden probe (an oops on a kernel
// thread in ivan-p's module) is in a hidden test only; mapper is hidden,
// heap shown after the due date.
func checkGradescopeVisibility(t *testing.T, tests []struct {
	Name, Output, Visibility string
	Score                    int
}) {
	t.Helper()
	want := map[string]string{"size": "visible", "size: hidden steps": "hidden", "size: steps shown after due date": "after_due_date",
		"mapper": "hidden", "heap": "after_due_date", "hello": "visible"}
	for _, tc := range tests {
		if v, ok := want[tc.Name]; ok && v != tc.Visibility {
			t.Errorf("test %q is %s, want %s", tc.Name, tc.Visibility, v)
		}
		delete(want, tc.Name)
		if tc.Visibility == "visible" {
			for _, secret := range []string{"insmod size (kernel thread)", "insmod size (no such pid)", "NULL pointer"} {
				if strings.Contains(tc.Output, secret) {
					t.Errorf("visible test %q shows %q:\n%s", tc.Name, secret, tc.Output)
				}
			}
		}
		if tc.Name == "size: hidden steps" && !strings.Contains(tc.Output, "NULL pointer") {
			t.Errorf("the hidden steps' test does not show staff the oops:\n%s", tc.Output)
		}
	}
	if len(want) > 0 {
		t.Errorf("no tests %v", want)
	}
}

// TestPrairieLearnGrader builds the grader image by running the
// Dockerfile's commands as a script (paths under a temp folder), then
// runs the image's entrypoint on a submission laid out as PrairieLearn
// lays out /grade, and checks results.json against the schema written
// from PrairieLearn's documentation.
func TestPrairieLearnGrader(t *testing.T) {
	r := newRig(t)
	out := filepath.Join(r.dir, "pl")
	r.run(t, ".", r.env(), r.bin, "platform", "prairielearn", "--assignment", platformAssignment, "--kernel", r.kernel,
		"--binary", r.bin, "--out", out, "--timeout", "2m")
	image := filepath.Join(r.dir, "image-root")
	remap := []string{"/var/lib/lkmlab", r.cache, "/opt/lkmlab", filepath.Join(image, "opt/lkmlab"), "/usr/local", filepath.Join(r.dir, "usr-local")}
	dockerBuild(t, r, filepath.Join(out, "image"), strings.NewReplacer(remap...))
	saved := r.snapshots(t)

	root := filepath.Join(r.dir, "grade")
	for _, f := range []string{"hello.c", "running.c", "heap.c", "mapper.c", "size.c"} { // question.html's file-names
		copyFile(t, filepath.Join("testdata/real/ivan-p/src", f), filepath.Join(root, "student", f))
	}
	copyTree(t, filepath.Join(out, "questions", "platforms", "tests"), filepath.Join(root, "tests"))
	start := time.Now()
	r.run(t, root, r.env(platform.PrairieLearnRootEnv+"="+root), filepath.Join(r.dir, "usr-local", "bin", "lkmlab-prairielearn"))
	t.Logf("the entrypoint graded the submission in %v (the question's timeout: 2m)", time.Since(start).Round(100*time.Millisecond))
	if got := r.snapshots(t); !slices.Equal(got, saved) {
		t.Errorf("the grade saved a guest of its own (%v, after %v): it did not start from the image's", got, saved)
	}

	b := readFile(t, filepath.Join(root, "results", "results.json"))
	validateSchema(t, "prairielearn", b)
	if len(b) > 1_000_000 {
		t.Errorf("results.json is %d bytes, over PrairieLearn's 1 MB", len(b))
	}
	for _, secret := range []string{"mapper", "insmod size (kernel thread)", "insmod size (no such pid)", "NULL pointer", "heap"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("a student sees %q in results.json:\n%s", secret, b)
		}
	}
	var res struct {
		Gradable bool    `json:"gradable"`
		Score    float64 `json:"score"`
	}
	mustUnmarshal(t, b, &res)
	var staff grade.Result
	mustUnmarshal(t, readFile(t, filepath.Join(root, "lkmlab", "students", "student", "result.json")), &staff)
	if !res.Gradable || res.Score != float64(staff.Total)/float64(staff.Max) {
		t.Errorf("gradable %v, score %v; the grade is %d/%d", res.Gradable, res.Score, staff.Total, staff.Max)
	}
}

// dockerBuild runs a Dockerfile's COPY, ENV and RUN lines as a script,
// with its absolute paths moved by remap. A RUN that installs packages
// with apt-get is skipped: the host has them (prepare.sh's lkmlab setup
// checks).
func dockerBuild(t *testing.T, r *rig, context string, remap *strings.Replacer) {
	b := readFile(t, filepath.Join(context, "Dockerfile"))
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	env := r.env()
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		args := remap.Replace(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), f[0])))
		switch f[0] {
		case "FROM":
		case "ENV":
			env = append(env, args)
		case "COPY":
			srcs, dst := strings.Fields(args)[:len(strings.Fields(args))-1], strings.Fields(args)[len(strings.Fields(args))-1]
			for _, s := range srcs {
				to := dst
				if strings.HasSuffix(dst, "/") {
					to = filepath.Join(dst, s)
				}
				copyFile(t, filepath.Join(context, s), to)
			}
		case "RUN":
			if strings.Contains(args, "apt-get") {
				t.Logf("dockerfile: skip %s (packages)", args)
				continue
			}
			r.run(t, context, env, "bash", "-c", args)
		default:
			t.Fatalf("dockerfile: %s: this test knows FROM, ENV, COPY and RUN", f[0])
		}
	}
}

// TestPlatformCorpus grades the team's class once and writes every
// format, then checks each student's files: the JSON ones against their
// schemas, and that no hidden or later-shown step or task reaches what a
// student sees (Gradescope: no visible test).
func TestPlatformCorpus(t *testing.T) {
	k := needVM(t)
	a, err := assign.Load(platformAssignment)
	if err != nil {
		t.Fatal(err)
	}
	subs := submissions(t, "testdata/real", loadExpect(t, "testdata/real/expect.yaml"))
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	rs, err := grader.Run(ctx, subs, grade.Options{Assignment: a, Kernel: k, Out: out, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := platform.Write(out, a, rs, platform.Formats, platform.Options{}, platform.Env{Getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	withheld := 0 // failing steps a student may not see: the check below is about them
	for _, r := range rs {
		secrets := hiddenNames(a, r)
		withheld += failedHidden(a, r)
		for _, f := range platform.Formats {
			b := readFile(t, filepath.Join(platform.Dir(out, r.Student), platform.FileName(f)))
			switch f {
			case platform.Gradescope, platform.PrairieLearn, platform.Classroom:
				validateSchema(t, string(f), b)
			case platform.Autolab:
				s := strings.TrimRight(string(b), "\n")
				validateSchema(t, "autolab", []byte(s[strings.LastIndex(s, "\n")+1:]))
				b = []byte(s[:strings.LastIndex(s, "\n")]) // the scores line names every problem
			}
			shown := string(b)
			if f == platform.Gradescope {
				shown = visibleTests(t, b)
			}
			for _, s := range secrets {
				if strings.Contains(shown, s) {
					t.Errorf("%s, %s: a student sees %q", r.Student, f, s)
				}
			}
		}
	}
	if withheld == 0 {
		t.Error("no hidden or later-shown step failed in the class: nothing was kept from a student")
	}
	t.Logf("%d students, %d failing steps kept from them", len(rs), withheld)
}

// failedHidden counts the steps of r that did not pass and that a student
// may not see at once.
func failedHidden(a *assign.Assignment, r *grade.Result) int {
	n := 0
	for _, tr := range r.Tasks {
		for _, def := range a.Tasks {
			if def.Name != tr.Name || tr.Module == nil || len(tr.Module.Steps) != len(def.Loaded.Steps) {
				continue
			}
			for i, s := range tr.Module.Steps {
				if def.VisibilityOf(i) != assign.Visible && s.Verdict != result.Pass {
					n++
				}
			}
		}
	}
	return n
}

// hiddenNames are the names of the steps a student may not see at once in
// r, and of the tasks.
func hiddenNames(a *assign.Assignment, r *grade.Result) []string {
	var names []string
	for _, tr := range r.Tasks {
		for _, def := range a.Tasks {
			if def.Name != tr.Name {
				continue
			}
			if def.Visibility.Or() != assign.Visible {
				names = append(names, "insmod "+tr.Name, "rmmod "+tr.Name)
			}
			if tr.Module == nil || len(tr.Module.Steps) != len(def.Loaded.Steps) {
				continue
			}
			for i, s := range tr.Module.Steps {
				if def.VisibilityOf(i) != assign.Visible {
					names = append(names, s.Name)
				}
			}
		}
	}
	return names
}

// visibleTests is the text of a Gradescope results.json's visible tests
// and its top-level output.
func visibleTests(t *testing.T, b []byte) string {
	var res struct {
		Output string `json:"output"`
		Tests  []struct {
			Name, Output, Visibility string
		} `json:"tests"`
	}
	mustUnmarshal(t, b, &res)
	s := res.Output
	for _, tc := range res.Tests {
		if tc.Visibility == "visible" {
			s += "\n" + tc.Name + "\n" + tc.Output
		}
	}
	return s
}

func validateSchema(t *testing.T, name string, b []byte) {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "lab", "platform", "testdata", "schema", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, b)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	st, err := os.Stat(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, readFile(t, from), st.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		copyFile(t, p, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// unzip unpacks a zip the test wrote, keeping modes (run_autograder is
// executable).
func unzip(t *testing.T, zipPath, to string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(to, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, f.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
