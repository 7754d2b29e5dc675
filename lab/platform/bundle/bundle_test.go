package bundle

import (
	"archive/zip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// course writes a hand-made assignment whose spec lies beside it, and
// returns its path.
func course(t *testing.T, specPath string) string {
	t.Helper()
	dir := t.TempDir()
	spec := "description: says hello\nsteps:\n  - action: insmod\n    output: [hello]\n  - action: rmmod\n    output: [bye]\n"
	os.MkdirAll(filepath.Join(dir, "specs"), 0o755)
	os.WriteFile(filepath.Join(dir, "specs", "hello.yaml"), []byte(spec), 0o644)
	a := "name: lab2\ntasks:\n  - name: hello\n    files: [hello.c]\n    spec: " + specPath +
		"\n    points: {build: 1, load: 1, output: 1, unload: 1}\n    visibility: hidden\n"
	p := filepath.Join(dir, "lab2.yaml")
	os.WriteFile(p, []byte(a), 0o644)
	return p
}

func byPath(fs []File) map[string]File {
	m := map[string]File{}
	for _, f := range fs {
		m[f.Path] = f
	}
	return m
}

func TestGradescopeBundle(t *testing.T) {
	fs, err := Gradescope(Options{Assignment: course(t, "specs/hello.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	m := byPath(fs)
	for _, want := range []struct {
		path string
		exec bool
	}{{"setup.sh", true}, {"run_autograder", true}, {"prepare.sh", true}, {"lkmlab", true},
		{"assignment/lab2.yaml", false}, {"assignment/specs/hello.yaml", false}} {
		f, ok := m[want.path]
		if !ok {
			t.Errorf("no %s in %v", want.path, keys(m))
			continue
		}
		if (f.Mode&0o100 != 0) != want.exec {
			t.Errorf("%s: mode %v", want.path, f.Mode)
		}
	}
	if !strings.Contains(string(m["run_autograder"].Data), `--assignment "$root/source/assignment/lab2.yaml"`) {
		t.Errorf("run_autograder does not grade with the assignment:\n%s", m["run_autograder"].Data)
	}
	// The zip keeps run_autograder executable: Gradescope runs it as is.
	z := filepath.Join(t.TempDir(), "a.zip")
	if err := WriteZip(z, fs); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(z)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "run_autograder" && f.Mode()&0o111 == 0 {
			t.Errorf("run_autograder in the zip: mode %v", f.Mode())
		}
	}
}

func keys(m map[string]File) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestScriptsParse runs bash -n on every script of every bundle.
func TestScriptsParse(t *testing.T) {
	a := course(t, "specs/hello.yaml")
	for name, make := range map[string]func(Options) ([]File, error){"gradescope": Gradescope, "prairielearn": PrairieLearn} {
		fs, err := make(Options{Assignment: a})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if !strings.HasSuffix(f.Path, ".sh") && f.Path != "run_autograder" {
				continue
			}
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = strings.NewReader(string(f.Data))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s %s: bash -n: %v\n%s", name, f.Path, err, out)
			}
		}
	}
}

func TestPrairieLearnBundle(t *testing.T) {
	a := course(t, "specs/hello.yaml")
	fs, err := PrairieLearn(Options{Assignment: a, Image: "course/lkmlab:1", Timeout: 4 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	m := byPath(fs)
	var info struct {
		UUID     string `json:"uuid"`
		Grading  string `json:"gradingMethod"`
		External struct {
			Enabled    bool   `json:"enabled"`
			Image      string `json:"image"`
			Entrypoint string `json:"entrypoint"`
			Timeout    int    `json:"timeout"`
		} `json:"externalGradingOptions"`
	}
	if err := json.Unmarshal(m["questions/lab2/info.json"].Data, &info); err != nil {
		t.Fatalf("info.json: %v", err)
	}
	if info.Grading != "External" || !info.External.Enabled || info.External.Image != "course/lkmlab:1" || info.External.Timeout != 240 {
		t.Errorf("info.json: %+v", info)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(info.UUID) {
		t.Errorf("uuid %q is not a version 5 UUID", info.UUID)
	}
	if nameUUID("prairielearn question lab2") != info.UUID || nameUUID("prairielearn question lab3") == info.UUID {
		t.Error("the uuid is not derived from the assignment's name alone")
	}
	// The Dockerfile copies only what the image folder holds, and the
	// entrypoint info.json names is the one it installs.
	docker := string(m["image/Dockerfile"].Data)
	for _, l := range strings.Split(docker, "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "COPY" {
			for _, src := range f[1 : len(f)-1] {
				if _, ok := m["image/"+src]; !ok {
					t.Errorf("Dockerfile copies %s, which image/ does not hold", src)
				}
			}
		}
	}
	if !strings.Contains(docker, " "+info.External.Entrypoint+"\n") {
		t.Errorf("the Dockerfile does not install %s:\n%s", info.External.Entrypoint, docker)
	}
	if got := string(m["questions/lab2/tests/lkmlab/ASSIGNMENT"].Data); got != "lab2.yaml\n" {
		t.Errorf("ASSIGNMENT %q", got)
	}
	if _, ok := m["questions/lab2/tests/lkmlab/specs/hello.yaml"]; !ok {
		t.Errorf("the spec is not in the question's tests: %v", keys(m))
	}
	if !strings.Contains(string(m["questions/lab2/question.html"].Data), `file-names="hello.c"`) {
		t.Errorf("question.html:\n%s", m["questions/lab2/question.html"].Data)
	}
}

// TestClassroomWorkflow: the reporter reads the grading step's result
// under the name it derives from its runners (RUNNER_RESULTS).
func TestClassroomWorkflow(t *testing.T) {
	fs, err := Classroom(Options{Assignment: course(t, "specs/hello.yaml"), Version: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	m := byPath(fs)
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				ID   string            `yaml:"id"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(m[".github/workflows/classroom.yml"].Data, &wf); err != nil {
		t.Fatal(err)
	}
	grader, reporter := "", ""
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.Contains(s.Run, "lkmlab grade --format classroom") {
				grader = s.ID
				if !strings.Contains(s.Run, "--assignment .lkmlab/lab2.yaml") {
					t.Errorf("the grading step ignores the assignment: %q", s.Run)
				}
			}
			if strings.HasPrefix(s.Uses, "classroom-resources/autograding-grading-reporter@") {
				runner := s.With["runners"]
				reporter = s.Env[strings.ToUpper(runner)+"_RESULTS"]
				if runner != grader {
					t.Errorf("the reporter reads runner %q; the grading step is %q", runner, grader)
				}
			}
		}
	}
	if grader == "" || reporter != "${{ steps."+grader+".outputs.result }}" {
		t.Errorf("grading step %q, reporter reads %q", grader, reporter)
	}
	if !strings.Contains(string(m[".github/workflows/classroom.yml"].Data), "@v1.2.3") {
		t.Error("the workflow does not install the lkmlab asked for")
	}
	if _, ok := m[".lkmlab/specs/hello.yaml"]; !ok {
		t.Errorf("no spec in .lkmlab: %v", keys(m))
	}
}

// TestRefusals: what cannot work in an image is refused with the fix.
func TestRefusals(t *testing.T) {
	inside := course(t, "specs/hello.yaml")
	outside := filepath.Join(t.TempDir(), "lab3.yaml") // its spec is the other course's
	os.WriteFile(outside, []byte("tasks:\n  - name: hello\n    files: [hello.c]\n    spec: ../"+
		filepath.Base(filepath.Dir(inside))+"/specs/hello.yaml\n    points: {build: 1}\n"), 0o644)
	notELF := filepath.Join(t.TempDir(), "lkmlab")
	os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755)
	for _, tc := range []struct {
		name    string
		o       Options
		wantErr string
	}{
		{"spec outside", Options{Assignment: outside}, "outside the assignment's folder"},
		{"kernel by path", Options{Kernel: "/boot/vmlinuz:/lib/modules/build"}, "fetches its kernel by name"},
		{"timeout too long", Options{Timeout: time.Hour}, "30s to 600s"},
		{"not an executable", Options{Binary: notELF}, "not a linux/amd64 executable"},
	} {
		_, err := PrairieLearn(tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}
