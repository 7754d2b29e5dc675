package grader

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// stageSubmission writes files (slash path -> text) as a student's
// folder, with a README.md at its top so that staging strips no folder,
// and stages it as grading does.
func stageSubmission(t *testing.T, files map[string]string) *submit.Submission {
	t.Helper()
	src := filepath.Join(t.TempDir(), "student")
	files["README.md"] = "lab 1\n"
	for p, text := range files {
		full := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := submit.Stage(src, t.TempDir(), submit.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// The submissions below are hand-written fixtures laid out as students
// lay out theirs; only their #include lines and Makefiles matter here.
func TestStageTask(t *testing.T) {
	const mod = "#include <linux/module.h>\nmodule_init(x);\n"
	for _, c := range []struct {
		name   string
		task   string
		files  map[string]string // the submission
		picked string
		want   map[string]string // copy name -> its text ("" for the student's file unchanged)
		names  map[string]string // copy name -> the student's path
	}{{
		name:   "one file under the task's name, with the headers beside it",
		task:   "heap",
		files:  map[string]string{"lab/lkm2.c": "#include \"lkm2.h\"\n" + mod, "lab/lkm2.h": "", "lab/other.h": "", "x.h": ""},
		picked: "lab/lkm2.c",
		want:   map[string]string{"heap.c": "", "lkm2.h": "", "other.h": "", "Kbuild": "obj-m := heap.o\n"},
		names:  map[string]string{"heap.c": "lab/lkm2.c", "lkm2.h": "lab/lkm2.h", "other.h": "lab/other.h"},
	}, {
		name: "a composite module, as its Makefile builds it",
		task: "mapper",
		files: map[string]string{"mapper/main.c": "#include \"walk.h\"\n" + mod, "mapper/walk.c": "#include \"walk.h\"\n",
			"mapper/walk.h": "", "mapper/Makefile": "obj-m := mapper.o\nmapper-objs := main.o walk.o\n\nall:\n\tmake -C /lib/modules/$(shell uname -r)/build M=$(PWD) modules\n"},
		picked: "mapper/main.c",
		want:   map[string]string{"main.c": "", "walk.c": "", "walk.h": "", "Kbuild": "obj-m := mapper.o\nmapper-y := main.o walk.o\n"},
	}, {
		name: "a composite one of whose objects is named like the task",
		task: "mapper",
		files: map[string]string{"q4/mapper.c": mod, "q4/util.c": "int u;\n",
			"q4/Kbuild": "obj-m := lab4.o\nlab4-y := mapper.o util.o\n"},
		picked: "q4/mapper.c",
		want:   map[string]string{"mapper_2.c": "", "util.c": "", "Kbuild": "obj-m := mapper.o\nmapper-y := mapper_2.o util.o\n"},
	}, {
		name: "a header in a sibling folder: copied, and the #include names the copy on the same line",
		task: "size",
		files: map[string]string{"size/size.c": "#include <linux/module.h>\n#include \"../common/util.h\"\n" + mod,
			"common/util.h": "#include \"helpers.h\"\n", "common/helpers.h": "", "common/unused.h": "", "size/Makefile": "obj-m := size.o\n"},
		picked: "size/size.c",
		want: map[string]string{"size.c": "#include <linux/module.h>\n#include \"util.h\"\n" + mod, "util.h": "", "helpers.h": "",
			"Kbuild": "obj-m := size.o\n"},
		names: map[string]string{"size.c": "size/size.c", "util.h": "common/util.h", "helpers.h": "common/helpers.h"},
	}, {
		name: "-I folders of ccflags-y, and the defines",
		task: "heap",
		files: map[string]string{"modules/heap.c": "#include \"lab.h\"\n#include <extra.h>\n" + mod, "include/lab.h": "", "include/extra.h": "",
			"modules/Makefile": "obj-m := hello.o heap.o\nccflags-y := -I$(src)/../include -I/usr/include -DDEBUG -DX=\"$(shell id)\"\n"},
		picked: "modules/heap.c",
		want: map[string]string{"heap.c": "#include \"lab.h\"\n#include \"extra.h\"\n" + mod, "lab.h": "", "extra.h": "",
			"Kbuild": "obj-m := heap.o\nccflags-y += -DDEBUG\n"},
	}, {
		name: "two headers of one name, from two folders",
		task: "size",
		files: map[string]string{"a/size.c": "#include \"util.h\"\n#include \"../b/x.h\"\n" + mod, "a/util.h": "",
			"b/x.h": "#include \"util.h\"\n", "b/util.h": "int b;\n"},
		picked: "a/size.c",
		want: map[string]string{"size.c": "#include \"util.h\"\n#include \"x.h\"\n" + mod, "util.h": "", "x.h": "#include \"util_2.h\"\n", "util_2.h": "int b;\n",
			"Kbuild": "obj-m := size.o\n"},
	}, {
		name: "what lies outside the submission, or nowhere, is left to the compiler and the sandbox",
		task: "hello",
		files: map[string]string{"hello.c": "#include \"../../etc/passwd\"\n#include \"/proc/self/fd/0\"\n#include \"missing.h\"\n#include \"hello.c\"\n" + mod,
			"Makefile": "obj-m := hello.o\nccflags-y := -I$(src)/.. -I..\n"},
		picked: "hello.c",
		want:   map[string]string{"hello.c": "", "Kbuild": "obj-m := hello.o\n"},
	}, {
		name:   "a header whose name is no safe copy name",
		task:   "hello",
		files:  map[string]string{"hello.c": "#include \"my $(x) hdr.h\"\n" + mod, "my $(x) hdr.h": ""},
		picked: "hello.c",
		want:   map[string]string{"hello.c": "#include \"my___x__hdr.h\"\n" + mod, "my___x__hdr.h": "", "Kbuild": "obj-m := hello.o\n"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			sub := stageSubmission(t, c.files)
			dir, names, err := stageTask(sub, c.picked, assign.Task{Name: c.task}, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			checkCopy(t, dir, c.want, func(copy string) string { return c.files[names[copy]] })
			if c.names != nil && !maps.Equal(names, c.names) {
				t.Errorf("names %v, want %v", names, c.names)
			}
		})
	}
}

// checkCopy compares the task folder with want (copy name -> text; ""
// for the student's file as it was, which original gives).
func checkCopy(t *testing.T, dir string, want map[string]string, original func(string) string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if w := slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
		t.Fatalf("task folder holds %q, want %q", got, w)
	}
	for name, text := range want {
		if text == "" {
			text = original(name)
		}
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if string(b) != text {
			t.Errorf("%s holds %q, want %q", name, b, text)
		}
		if strings.Count(string(b), "\n") != strings.Count(text, "\n") {
			t.Errorf("%s: lines moved", name)
		}
	}
}

// TestStudentPathsNameEveryCopy checks a report that names the grader's
// copies (an oops in a composite's other file, a header) names the
// student's files instead.
func TestStudentPathsNameEveryCopy(t *testing.T) {
	sub := stageSubmission(t, map[string]string{"mapper/main.c": "#include \"../inc/walk.h\"\nmodule_init(x);\n", "mapper/walk.c": "int w;\n",
		"inc/walk.h": "", "mapper/Makefile": "obj-m := mapper.o\nmapper-y := main.o walk.o\n"})
	dir, names, err := stageTask(sub, "mapper/main.c", assign.Task{Name: "mapper"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m := result.Module{Error: "oops at " + filepath.Join(dir, "walk.c") + ":1 from " + filepath.Join(dir, "walk.h") + ":3",
		Steps: []result.Step{{Reason: "in " + filepath.Join(dir, "main.c") + ":2"}}}
	studentPaths(&m, filepath.Join(dir, "mapper.c"), "mapper/main.c")
	if m.Error != "oops at mapper/walk.c:1 from inc/walk.h:3" || m.Steps[0].Reason != "in mapper/main.c:2" {
		t.Errorf("Error %q, Reason %q", m.Error, m.Steps[0].Reason)
	}
	if got := buildNames(map[string]map[string]string{"mapper": names}); got["mapper/walk.h"] != "inc/walk.h" || got["mapper/main.c"] != "mapper/main.c" {
		t.Errorf("buildNames = %v", got)
	}
}
