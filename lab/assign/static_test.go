package assign

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The fields for the flake guard, the static items and the similarity
// report: read from the file, checked, and left out of an assignment that
// does not use them (so its digest, and every kept grade, stays).
func TestLoadGradingPlatformFields(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "greet.yaml"), []byte("steps:\n  - action: insmod\n    output: [hi]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "skel.c"), []byte("// handed out\n"), 0o644)
	task := "tasks:\n  - name: greet\n    files: [greet.c]\n    spec: greet.yaml\n"
	for _, c := range []struct {
		yml, wantErr string
		check        func(*Assignment) string
	}{
		{yml: "reruns: 2\nstatic: {warning_cost: 2, style_ignore: [LONG_LINE]}\n" + task +
			"    skeleton: skel.c\n    points: {build: 1, warnings: 3, style: 2}\n",
			check: func(a *Assignment) string {
				tk := a.Tasks[0]
				if a.Reruns != 2 || a.Static.WarningCost != 2 || a.Static.StyleIgnore[0] != "LONG_LINE" ||
					tk.SkeletonText != "// handed out\n" || tk.Points.Total() != 6 {
					return "fields not read"
				}
				return ""
			}},
		{yml: "reruns: 9\n" + task, wantErr: "want 0 to 5"},
		{yml: task + "    skeleton: nope.c\n", wantErr: "fix the skeleton"},
	} {
		f := filepath.Join(dir, "a.yaml")
		os.WriteFile(f, []byte(c.yml), 0o644)
		a, err := Load(f)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: error %v, want %q", c.yml, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", c.yml, err)
		default:
			if msg := c.check(a); msg != "" {
				t.Errorf("%q: %s", c.yml, msg)
			}
		}
	}
}

func TestUnusedFieldsLeaveTheAssignmentAsItWas(t *testing.T) {
	b, err := yaml.Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"reruns", "static", "warnings", "style", "skeleton"} {
		if strings.Contains(string(b), field+":") {
			t.Errorf("the default assignment marshals %s:\n%s", field, b)
		}
	}
}
