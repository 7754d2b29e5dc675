package assign

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestDefaultIsTheSixSeedModules(t *testing.T) {
	a := Default()
	var names []string
	for _, task := range a.Tasks {
		names = append(names, task.Name)
		if task.Loaded == nil || task.Points.Total() == 0 {
			t.Errorf("task %s: spec %v, points %+v", task.Name, task.Loaded, task.Points)
		}
	}
	if strings.Join(names, " ") != "hello running heap ksp mapper size" {
		t.Fatalf("tasks %v", names)
	}
}

func TestPick(t *testing.T) {
	task := Task{Files: []string{"heap.c", "lkm2.c", "*heap*.c"}}
	for files, want := range map[string]string{
		"heap/lkm2.c README.md":        "heap/lkm2.c",
		"a/my_heap_mod.c heap/heap.c":  "heap/heap.c",
		"x/my_heap_mod.c":              "x/my_heap_mod.c",
		"lkm1.c lkm3.c":                "",
		"old/heap.c lab/lkm2.c":        "lab/lkm2.c",
		"backup/heap.c v1/lkm2.c":      "backup/heap.c",
		"b/lkm2.c a/lkm2.c a/x/heap.c": "a/x/heap.c",
		"x/y/lkm2.c z/LKM2.C":          "z/LKM2.C",
		"heap.mod.c":                   "",
	} {
		if got := task.Pick(strings.Fields(files)); got != want {
			t.Errorf("Pick(%s) = %q, want %q", files, got, want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "greet.yaml"), []byte("steps:\n  - action: insmod\n    output: [hi]\n"), 0o644)
	for yml, wantErr := range map[string]string{
		"tasks:\n  - name: greet\n    files: [greet.c]\n    spec: greet.yaml\n    points: {build: 1}\n": "",
		"tasks:\n  - name: h\n    files: [h.c]\n    spec: seed:heap\n":                                  "",
		"tasks: []\n": "no tasks",
		"tasks:\n  - name: a\n    spec: seed:nope\n":                                   "no seed module",
		"tasks:\n  - name: a\n    spec: seed:heap\n  - name: a\n    spec: seed:heap\n": "unique name",
		"tasks:\n  - name: a\n    spec: seed:heap\n    pionts: {}\n":                   "pionts",
		"tasks:\n  - name: a\n    files: ['[']\n    spec: seed:heap\n":                 "file pattern",
		"kernel: debian-5.10\ntasks:\n  - name: a\n    spec: seed:heap\n":              "",
		"kernel: /boot/vmlinuz\ntasks:\n  - name: a\n    spec: seed:heap\n":            "a path is a grader's choice",
		"fallback_kernels: [debian-5.10]\ntasks:\n  - name: a\n    spec: seed:heap\n":  "",
		"fallback_kernels: [./vmlinuz]\ntasks:\n  - name: a\n    spec: seed:heap\n":    "fallback kernel",
	} {
		f := filepath.Join(dir, "a.yaml")
		os.WriteFile(f, []byte(yml), 0o644)
		a, err := Load(f)
		if wantErr == "" && (err != nil || a.Name != "a") || wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)) {
			t.Errorf("Load(%q) = %v, want error %q", yml, err, wantErr)
		}
	}
}

func TestDefaultParamsHaveRoles(t *testing.T) {
	for _, task := range Default().Tasks {
		if task.Name != "mapper" {
			continue
		}
		if len(task.Params) != 2 || task.Params[0].Role != "pid" || task.Params[1].Role != "addr" ||
			!task.Params[1].ByType || !slices.Contains(task.Params[1].Names, "vaddr") {
			t.Fatalf("mapper params %+v", task.Params)
		}
		if task.Points.Robust == 0 {
			t.Fatalf("mapper points %+v: bad input is scored", task.Points)
		}
	}
}

func TestPlainParamIsARoleOfThatName(t *testing.T) {
	var p []Param
	if err := yaml.Unmarshal([]byte("[pid, {role: addr, names: [va]}]"), &p); err != nil {
		t.Fatal(err)
	}
	if p[0].Role != "pid" || p[0].Names[0] != "pid" || p[1].Names[0] != "va" {
		t.Fatalf("params %+v", p)
	}
}

func TestParamHintWords(t *testing.T) {
	var p []Param
	if err := yaml.Unmarshal([]byte("[pid, {role: addr, hints: [' Virtual ', '', Addr]}]"), &p); err != nil {
		t.Fatal(err)
	}
	if got := p[0].HintWords(); !slices.Equal(got, []string{"pid"}) {
		t.Errorf("hints of a plain role: %q, want [pid]", got)
	}
	if got := p[1].HintWords(); !slices.Equal(got, []string{"virtual", "addr"}) {
		t.Errorf("hints %q, want [virtual addr]", got)
	}
}
