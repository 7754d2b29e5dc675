package tests

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the fixtures derived from modules/")

// edit is one deliberate change to a seed module's source.
type edit struct{ old, new string }

// derive returns modules/<base>/<base>.c with the edits applied, each of
// which must apply exactly once (a fixture must change when its source
// changes shape, not silently stop lying).
func derive(base, note string, edits ...edit) (string, error) {
	return deriveFrom(filepath.Join("../modules", base, base+".c"), note, edits...)
}

// deriveFrom is derive for any source file.
func deriveFrom(path, note string, edits ...edit) (string, error) {
	base := path
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := string(b)
	for _, e := range edits {
		if strings.Count(s, e.old) != 1 {
			return "", fmt.Errorf("%s: edit %q applies %d times, want once", base, e.old, strings.Count(s, e.old))
		}
		s = strings.Replace(s, e.old, e.new, 1)
	}
	if note != "" {
		s = strings.Replace(s, "// SPDX-License-Identifier: GPL-2.0\n", "// SPDX-License-Identifier: GPL-2.0\n/* "+note+" */\n", 1)
	}
	return s, nil
}

var (
	sizeLine   = edit{"rss << (PAGE_SHIFT - 10), vm << (PAGE_SHIFT - 10));", "rss << (PAGE_SHIFT - 10), vm);"}
	sizeSample = edit{"\tpr_info(\"rss side: %lu KiB\\tvm size: %lu KiB\\n\",\n\t\trss << (PAGE_SHIFT - 10), vm << (PAGE_SHIFT - 10));",
		"\tpr_info(\"rss side: %lu KiB\\tvm size: %lu KiB\\n\", 5724UL, 11908UL);\n\t(void)rss;\n\t(void)vm;"}
	sizeParam = []edit{{"module_param(pid, int", "module_param_named(procid, pid, int"}, {"MODULE_PARM_DESC(pid", "MODULE_PARM_DESC(procid"}}
	heapLine  = "pr_info(\"PID: %d has max heap usage with: %lu\\n\", max_pid, max_heap);"
)

// derivedFixtures maps each fixture file to how it is made from modules/.
func derivedFixtures() map[string]func() (string, error) {
	v := "testdata/variants/"
	variant := func(base, why string, e ...edit) func() (string, error) {
		return func() (string, error) {
			return derive(base, "Negative test variant of modules/"+base+": "+why+".", e...)
		}
	}
	fx := map[string]func() (string, error){
		v + "heap-wrongpid/heap-wrongpid.c": variant("heap", "names the pid next to the right one",
			edit{heapLine, strings.Replace(heapLine, "max_pid, max_heap", "max_pid + 1, max_heap", 1)}),
		v + "heap-sample/heap-sample.c": variant("heap", "prints the seed's sample output",
			edit{heapLine, strings.Replace(heapLine, "max_pid, max_heap", "2221, 153395200UL", 1)}),
		v + "size-wrongsize/size-wrongsize.c": variant("size", "reports the virtual size in pages, not KiB", sizeLine),
		v + "running-every/running-every.c": variant("running", "lists every process, whatever its state",
			edit{"\t\tif (!task_is_running(p))\n\t\t\tcontinue;\n", ""}),
		v + "mapper-hardcoded/mapper-hardcoded.c": variant("mapper", "prints the seed's physical address",
			edit{`pr_info("Physical Address: %lx\n", phys);`, `pr_info("Physical Address: %lx\n", phys ? 0x12c603000UL : 0UL);`}),
		v + "ksp-hardcoded/ksp-hardcoded.c": variant("ksp", "prints the seed's stack address",
			edit{"\t\ttask->stack);", "\t\ttask->stack ? (void *)0xffffb5044006c000UL : NULL);"}),
	}
	fx["testdata/leaks/heapmm-nommput/heapmm-nommput.c"] = func() (string, error) {
		return deriveFrom("testdata/leaks/heapmm/heapmm.c", "Negative test variant of testdata/leaks/heapmm: forgets mmput(), leaking address spaces.",
			edit{"\t\t\tmmput(mm);\n", ""})
	}
	fx["testdata/leaks/nodes-nofree/nodes-nofree.c"] = func() (string, error) {
		return deriveFrom("testdata/leaks/nodes/nodes.c", "Negative test variant of testdata/leaks/nodes: never frees its nodes.",
			edit{"\t\tlist_del(&n->link);\n\t\tkfree(n);\n", "\t\tlist_del(&n->link);\n"})
	}
	s := "testdata/submissions/"
	plainSize := func() (string, error) { return derive("size", "") }
	for _, c := range []string{"perfect", "compile-error", "oops-init", "panic", "loop-init", "loop-exit", "no-exit",
		"flood", "forged-records", "host-include", "malicious-makefile"} {
		fx[s+c+"/size.c"] = plainSize
	}
	fx[s+"seed-layout/size/lkm5.c"] = plainSize
	fx[s+"hardcoded/size.c"] = func() (string, error) { return derive("size", "", sizeSample) }
	fx[s+"one-task-wrong/size.c"] = func() (string, error) { return derive("size", "", sizeLine) }
	fx[s+"wrong-param/size.c"] = func() (string, error) { return derive("size", "", sizeParam...) }
	for _, c := range []string{"perfect", "hardcoded", "malicious-makefile", "one-task-wrong", "wrong-param"} {
		fx[s+c+"/hello.c"] = func() (string, error) { return derive("hello", "") }
	}
	fx[s+"seed-layout/hello/mymodule.c"] = func() (string, error) { return derive("hello", "") }
	return fx
}

// TestFixturesUpToDate checks that the variants and the grading corpus
// still derive from the seed modules as they are; go test ./tests -run
// TestFixtures -update rewrites them after a module changes.
func TestFixturesUpToDate(t *testing.T) {
	for path, make := range derivedFixtures() {
		want, err := make()
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != want {
			t.Errorf("%s is stale (%v): run go test ./tests -run TestFixtures -update", path, err)
		}
	}
	checkZip(t, "testdata/submissions/zip-escape.zip")
}

// checkZip rebuilds the escaping zip: the perfect files, plus entries that
// try to leave the staging folder.
func checkZip(t *testing.T, path string) {
	hello, err1 := derive("hello", "")
	size, err2 := derive("size", "")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	entries := []struct{ name, body string }{{"zip-escape/hello.c", hello}, {"zip-escape/size.c", size},
		{"../../escaped-by-zip.c", "int escaped;\n"}, {"/tmp/lkmlab-abs-by-zip.c", "int abs;\n"}}
	if *update {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for _, e := range entries {
			f, _ := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
			io.WriteString(f, e.body)
		}
		w.Close()
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != len(entries) {
		t.Fatalf("%s has %d entries, want %d: run with -update", path, len(r.File), len(entries))
	}
	for i, f := range r.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != entries[i].name || string(b) != entries[i].body {
			t.Errorf("%s: entry %s is stale: run go test ./tests -run TestFixtures -update", path, f.Name)
		}
	}
}
