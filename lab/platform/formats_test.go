package platform

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
)

func TestParseFormats(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []Format
		wantErr string
	}{
		{"gradescope", []Format{Gradescope}, ""},
		{"prairielearn, classroom,prairielearn", []Format{PrairieLearn, Classroom}, ""},
		{"all", Formats, ""},
		{"gradescope,moodle", nil, `unknown format "moodle"`},
		{"", nil, "unknown format"},
	} {
		got, err := ParseFormats(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// TestAssignmentVisibility: the assignment's visibility fields load, and
// a mistake in them names the cause.
func TestAssignmentVisibility(t *testing.T) {
	a := loadVis(t)
	size := a.Tasks[0]
	for i, want := range []assign.Visibility{assign.Visible, assign.Visible, assign.Visible, assign.AfterDueDate, assign.Hidden} {
		if got := size.VisibilityOf(i); got != want {
			t.Errorf("size step %d (%s): %s, want %s", i, size.Loaded.Steps[i].Name, got, want)
		}
	}
	if got := a.Tasks[2].VisibilityOf(0); got != assign.Hidden {
		t.Errorf("a hidden task's step: %s", got)
	}
	base := "name: x\ntasks:\n  - name: size\n    files: [size.c]\n    spec: seed:size\n    points: {build: 1}\n"
	for _, tc := range []struct{ name, yaml, wantErr string }{
		{"unknown value", base + "    visibility: secret\n", `visibility "secret": want visible`},
		{"unknown step", base + "    step_visibility: {pid 1: hidden}\n", `no step named "pid 1" (named steps: "workload", "pid 0"`},
		{"step shown more", base + "    visibility: hidden\n    step_visibility: {pid 0: visible}\n", "shows more than its task"},
		{"fine", base + "    visibility: after_published\n    step_visibility: {pid 0: hidden}\n", ""},
	} {
		f := filepath.Join(t.TempDir(), "a.yaml")
		os.WriteFile(f, []byte(tc.yaml), 0o644)
		_, err := assign.Load(f)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// TestCodeGradeJUnitValidates checks the CodeGrade file against the
// common JUnit schema lab/report's tests use, with xmllint.
func TestCodeGradeJUnitValidates(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
			t.Fatal("xmllint not found: apt-get install libxml2-utils")
		}
		t.Skip("xmllint not found: apt-get install libxml2-utils")
	}
	a := loadVis(t)
	for name, r := range results(a) {
		f := filepath.Join(t.TempDir(), "junit.xml")
		os.WriteFile(f, render(t, CodeGrade, a, r), 0o644)
		if out, err := exec.Command("xmllint", "--noout", "--schema", "../report/testdata/junit.xsd", f).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
	}
}

// TestNoQEMU: rendering imports nothing that runs a VM, nor what builds
// one (u-root, lab/kernel's fetching): it names its kernel with kinfo.
func TestNoQEMU(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err) // go test runs with go in PATH
	}
	for _, dep := range strings.Fields(string(out)) {
		dep += "\n" // so that lab/kernel\n matches that package, not lab/kernel/kinfo
		for _, bad := range []string{"hugelgupf/vmtest", "digitalocean/go-qemu", "u-root/", "lab/kernel\n", "lab/check", "lab/vm", "lab/grader", "lab/initramfs"} {
			if strings.Contains(dep, bad) {
				t.Errorf("lab/platform imports %s", strings.TrimSpace(dep))
			}
		}
	}
}
