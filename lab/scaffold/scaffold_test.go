package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/spec"
)

func TestNewWritesAModuleThatLoads(t *testing.T) {
	parent := t.TempDir()
	dir, err := New("demo", Options{Dir: parent})
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(parent, "demo") {
		t.Errorf("New = %s, want %s", dir, filepath.Join(parent, "demo"))
	}
	kbuild, err := os.ReadFile(filepath.Join(dir, "Kbuild"))
	if err != nil || string(kbuild) != "obj-m := demo.o\n" {
		t.Errorf("Kbuild = %q, %v", kbuild, err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "demo.c"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"module_init(demo_init);", "module_param(pid, int, 0444);", `pr_info("demo loaded\n");`, `MODULE_LICENSE("GPL");`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("demo.c lacks %q", want)
		}
	}
	// The spec parser checks every workload kind, fact and capture the
	// rules name: the generated spec must load as it is.
	s, err := spec.Load(dir)
	if err != nil {
		t.Fatalf("the generated spec does not load: %v", err)
	}
	if len(s.Steps) != 2 || s.Steps[0].Action != "insmod" || s.Steps[1].Action != "rmmod" || len(s.Steps[0].Truth) == 0 {
		t.Errorf("spec steps = %+v, want an insmod with truth rules and an rmmod", s.Steps)
	}
	if _, err := New("demo", Options{Dir: parent}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("New over an existing folder: %v, want a refusal", err)
	}
}

func TestSpecListsEveryWorkloadKind(t *testing.T) {
	files, err := Render("demo")
	if err != nil {
		t.Fatal(err)
	}
	yaml := string(files["spec.yaml"])
	for _, k := range plan.Kinds {
		if !strings.Contains(yaml, "#   "+k+" ") {
			t.Errorf("spec.yaml does not list the workload kind %s", k)
		}
		for _, f := range plan.Facts[k] {
			if !strings.Contains(yaml, f) {
				t.Errorf("spec.yaml does not list the fact %s.%s", k, f)
			}
		}
	}
	for _, field := range []string{"description:", "steps:", "action:", "start:", "params:", "output:", "truth:"} {
		if !strings.Contains(yaml, "# "+field) {
			t.Errorf("spec.yaml has no comment on %s", field)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"demo", "my_mod2", "_x"} {
		if err := ValidName(ok); err != nil {
			t.Errorf("ValidName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Demo", "2fast", "my-mod", "../x", "a b", strings.Repeat("a", 60)} {
		if err := ValidName(bad); err == nil {
			t.Errorf("ValidName(%q): no error", bad)
		}
	}
}
