package assign

import (
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
)

// Hand-written fixtures: modules written the ways students of this
// assignment write them (not any student's code), short but with the
// calls and output that matter.
const (
	hdr = "#include <linux/module.h>\n#include <linux/kernel.h>\n#include <linux/sched/signal.h>\n"

	helloSrc = hdr + `/* My first module */
static int __init hello_init(void) { printk(KERN_INFO "Hello World from a module\n"); return 0; }
static void __exit hello_exit(void) { printk(KERN_INFO "Bye from a module\n"); }
module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
`
	runningSrc = hdr + `static int __init lkm_init(void) {
	struct task_struct *task;
	pr_info("print running process kernel module loaded\n");
	for_each_process(task)
		if (task_is_running(task))
			pr_info("%d\t%s\n", task->pid, task->comm);
	return 0;
}
static void __exit lkm_exit(void) { pr_info("print running process kernel module unloaded\n"); }
module_init(lkm_init);
module_exit(lkm_exit);
`
	// runningOldSrc compares the state with 0, as on kernels before 5.14:
	// nothing in it says "running" to a pattern.
	runningOldSrc = hdr + `static int __init lkm_init(void) {
	struct task_struct *t;
	for_each_process(t)
		if (t->flags == 0)
			printk("%d %s\n", t->pid, t->comm);
	return 0;
}
module_init(lkm_init);
`
	heapSrc = hdr + `#include <linux/mm.h>
static int __init heap_init(void) {
	struct task_struct *p; unsigned long max = 0; pid_t who = 0;
	pr_info("largest heap memory lkm loaded\n");
	for_each_process(p) {
		if (p->mm && p->mm->brk - p->mm->start_brk > max) { max = p->mm->brk - p->mm->start_brk; who = p->pid; }
	}
	pr_info("PID: %d has max heap usage with: %lu\n", who, max);
	return 0;
}
module_init(heap_init);
`
	// kspSrc carries a comment copied from the seed's heap section: a
	// comment is no evidence.
	kspSrc = hdr + `/* Heap memory usage was found out by mm->brk - mm->start_brk (not here). */
static int __init ksp_init(void) {
	struct task_struct *t = pid_task(find_vpid(1), PIDTYPE_PID);
	pr_info("stack pointer lkm loaded\n");
	if (t) pr_info("PID: 1 has kernel stack at %px\n", t->stack);
	return 0;
}
module_init(ksp_init);
`
	mapperSrc = hdr + `#include <linux/mm.h>
static int pid; static unsigned long addr;
module_param(pid, int, 0); module_param(addr, ulong, 0);
static int __init walk_init(void) {
	struct task_struct *t = pid_task(find_vpid(pid), PIDTYPE_PID);
	pgd_t *pgd = pgd_offset(t->mm, addr); p4d_t *p4d = p4d_offset(pgd, addr);
	pud_t *pud = pud_offset(p4d, addr); pmd_t *pmd = pmd_offset(pud, addr);
	pte_t *pte = pte_offset_kernel(pmd, addr);
	pr_info("Physical Address: %llx\n", (u64)pte_pfn(*pte) << PAGE_SHIFT);
	return 0;
}
module_init(walk_init);
`
	sizeSrc = hdr + `static int pid; module_param(pid, int, 0);
static int __init vas_init(void) {
	struct task_struct *t = pid_task(find_vpid(pid), PIDTYPE_PID);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", get_mm_rss(t->mm) << (PAGE_SHIFT - 10), t->mm->total_vm << (PAGE_SHIFT - 10));
	return 0;
}
module_init(vas_init);
`
	userSrc = "#include <stdlib.h>\nint main(void) { char *p = malloc(1 << 20); p[0] = 1; for (;;); }\n"
	// bothSrc is a module that does heap's and size's work at once.
	bothSrc = hdr + "static int __init x(void) { struct task_struct *p = current; pr_info(\"%lu %lu\", p->mm->brk, p->mm->total_vm); return 0; }\nmodule_init(x);\n"
)

// tree is a submission as PickAll sees it: paths and their content.
type tree map[string]string

// files returns the tree's paths, in an order PickAll must not depend on.
func (tr tree) files() []string {
	fs := slices.Sorted(maps.Keys(tr))
	slices.Reverse(fs)
	return fs
}

// read is the tree's read function; a path with content "!" cannot be read.
func (tr tree) read(p string) ([]byte, error) {
	s, ok := tr[p]
	if !ok || s == "!" {
		return nil, fs.ErrPermission
	}
	return []byte(s), nil
}

// with returns a copy of tr with more files.
func (tr tree) with(more tree) tree {
	out := maps.Clone(tr)
	maps.Copy(out, more)
	return out
}

// seedLayout is the seed's own layout, with what a repository carries.
var seedLayout = tree{
	"README.md": "# LKMs", "LICENSE": "MIT",
	"hello/mymodule.c": helloSrc, "hello/Makefile": "obj-m += mymodule.o",
	"running/lkm1.c": runningSrc, "running/Makefile": "obj-m += lkm1.o",
	"heap/lkm2.c": heapSrc, "heap/Makefile": "obj-m += lkm2.o",
	"ksp/lkm3.c": kspSrc, "ksp/Makefile": "obj-m += lkm3.o",
	"mapper/lkm4.c": mapperSrc, "mapper/Makefile": "obj-m += lkm4.o",
	"size/lkm5.c": sizeSrc, "size/Makefile": "obj-m += lkm5.o",
}

var seedPicks = map[string]string{"hello": "hello/mymodule.c", "running": "running/lkm1.c", "heap": "heap/lkm2.c",
	"ksp": "ksp/lkm3.c", "mapper": "mapper/lkm4.c", "size": "size/lkm5.c"}

// pickCases are realistic submissions and what each task must get. notes
// are substrings the notes must hold, in any note.
var pickCases = []struct {
	name  string
	tasks []Task // Default().Tasks when nil
	tree  tree
	want  map[string]string
	notes []string
}{{
	name:  "the seed's layout",
	tree:  seedLayout,
	want:  seedPicks,
	notes: []string{"picked heap/lkm2.c for heap: its name matches lkm2.c"},
}, {
	name: "files named after the tasks, any case",
	tree: tree{"Hello/Hello.c": helloSrc, "running_procs.c": runningSrc, "lab/HEAP.C": heapSrc, "lab/ksp_lkm.c": kspSrc,
		"lab/page_walk.c": mapperSrc, "lab/vas_pas.c": sizeSrc},
	want: map[string]string{"hello": "Hello/Hello.c", "running": "running_procs.c", "heap": "lab/HEAP.C",
		"ksp": "lab/ksp_lkm.c", "mapper": "lab/page_walk.c", "size": "lab/vas_pas.c"},
}, {
	name: "numbered folders and arbitrary names: found by their code",
	tree: tree{"Q0/main.c": helloSrc, "Q1/task.c": runningSrc, "Q2/q2.c": heapSrc, "Q3/q3.c": kspSrc,
		"Q4/q4.c": mapperSrc, "Q5/q5.c": sizeSrc, "Q0/Makefile": "obj-m += main.o", "Q2/test.c": userSrc},
	want: map[string]string{"hello": "Q0/main.c", "running": "Q1/task.c", "heap": "Q2/q2.c", "ksp": "Q3/q3.c",
		"mapper": "Q4/q4.c", "size": "Q5/q5.c"},
	notes: []string{
		"picked Q2/q2.c for heap: its text mentions largest heap, ->brk, start_brk",
		"picked Q0/main.c for hello: its text mentions printk and none of for_each_process, for_each_task, task_struct, ...",
		"picked Q3/q3.c for ksp: its text mentions stack pointer, kernel stack, ->stack",
	},
}, {
	name: "old copies are passed over while anything else matches",
	tree: seedLayout.with(tree{"old/heap/lkm2.c": heapSrc, "backup/lkm2.c": heapSrc, "heap/lkm2_old.c": heapSrc,
		"v1/hello.c": helloSrc}),
	want: seedPicks,
}, {
	name: "an old copy when nothing else matches",
	tree: tree{"backup/ksp/lkm3.c": kspSrc, "lkm2 - Copy.c": heapSrc},
	want: map[string]string{"ksp": "backup/ksp/lkm3.c", "heap": "lkm2 - Copy.c"},
	notes: []string{"picked backup/ksp/lkm3.c for ksp: its name matches lkm3.c; it looks like an old copy, but no other file matches",
		"no file for mapper: name it mapper.c (no file is named mapper.c, lkm4.c, lkm4*.c"},
}, {
	name: "an old copy by name loses to a fresh module found by its code",
	tree: tree{"archive/lkm2.c": heapSrc, "lab2/q2.c": heapSrc},
	want: map[string]string{"heap": "lab2/q2.c"},
}, {
	name:  "the shallowest of equal names, then sort order",
	tree:  tree{"part-2/test/lkm2.c": heapSrc, "part-2/lkm2.c": heapSrc, "part-3/lkm3.c": kspSrc, "part-1/lkm3.c": kspSrc},
	want:  map[string]string{"heap": "part-2/lkm2.c", "ksp": "part-1/lkm3.c"},
	notes: []string{"picked part-2/lkm2.c for heap: its name matches lkm2.c; also matched: part-2/test/lkm2.c"},
}, {
	name: "a user-space test program named like the task loses to the module",
	tree: tree{"heap/heap_test.c": userSrc, "heap/q2.c": heapSrc},
	want: map[string]string{"heap": "heap/q2.c"},
}, {
	name:  "a file without module_init when nothing else matches",
	tree:  tree{"heap.c": userSrc},
	want:  map[string]string{"heap": "heap.c"},
	notes: []string{"picked heap.c for heap: its name matches heap.c; it has no module_init"},
}, {
	name: "an unreadable file is taken by name only",
	tree: tree{"lkm2.c": "!", "q5.c": "!"},
	want: map[string]string{"heap": "lkm2.c"},
}, {
	name: "a folder named after the task",
	tree: tree{"running/main.c": runningOldSrc, "running/util.c": "int helper(void) { return 1; }", "lkm2/main.c": heapSrc},
	want: map[string]string{"running": "running/main.c", "heap": "lkm2/main.c"},
	notes: []string{"picked running/main.c for running: its folder running/ is named like running.c, and it is the one module there",
		"picked lkm2/main.c for heap: its folder lkm2/ is named like lkm2.c"},
}, {
	name:  "code that two tasks could claim goes to neither",
	tree:  tree{"q.c": bothSrc},
	want:  map[string]string{},
	notes: []string{"q.c was not picked by its code: it could be heap or size; name it after its task"},
}, {
	name: "code no pattern recognises is not taken for hello",
	tree: tree{"Q1/main.c": runningOldSrc},
	want: map[string]string{},
}, {
	name: "a second hello-like module is left alone once hello has its file",
	tree: tree{"hello/hello.c": helloSrc, "scratch/test.c": helloSrc, "Q2/q2.c": heapSrc},
	want: map[string]string{"hello": "hello/hello.c", "heap": "Q2/q2.c"},
}, {
	name:  "an exact name passes over code that is one other task's, which takes it by its code",
	tree:  tree{"heap.c": heapSrc, "lkm2.c": sizeSrc},
	want:  map[string]string{"heap": "heap.c", "size": "lkm2.c"},
	notes: []string{"picked lkm2.c for size: its text mentions"},
}, {
	name: "an exact name is kept for code like a task that has its own file",
	tree: tree{"hello.c": hdr + "static int __init h(void) { struct task_struct *me = current; pr_info(\"rss side: 1 KiB\\tvm size: 2 KiB %d\\n\", me->pid); return 0; }\nmodule_init(h);\n",
		"size.c": sizeSrc},
	want: map[string]string{"hello": "hello.c", "size": "size.c"},
}, {
	name: "an exact name is kept for code two tasks could claim",
	tree: tree{"lkm2.c": bothSrc},
	want: map[string]string{"heap": "lkm2.c"},
}, {
	name: "an exact name is kept for code no task's patterns know",
	tree: tree{"lkm1.c": runningOldSrc},
	want: map[string]string{"running": "lkm1.c"},
}, {
	name: "a class numbered from 1: each file goes to the task its code is",
	tree: tree{"TP/lkm1.c": helloSrc, "TP/lkm2.c": runningSrc, "TP/lkm3.c": heapSrc, "TP/lkm4.c": kspSrc,
		"TP/lkm5.c": mapperSrc, "TP/lkm6.c": sizeSrc, "TP/Makefile": "obj-m += lkm1.o lkm2.o lkm3.o lkm4.o lkm5.o lkm6.o\n"},
	want: map[string]string{"hello": "TP/lkm1.c", "running": "TP/lkm2.c", "heap": "TP/lkm3.c", "ksp": "TP/lkm4.c",
		"mapper": "TP/lkm5.c", "size": "TP/lkm6.c"},
}, {
	name:  "a wildcard name passes over code that is clearly another task's",
	tree:  tree{"q4_pagesize.c": mapperSrc, "lab/vas_pas.c": sizeSrc, "stack/main.c": heapSrc},
	want:  map[string]string{"mapper": "q4_pagesize.c", "size": "lab/vas_pas.c", "heap": "stack/main.c"},
	notes: []string{"picked q4_pagesize.c for mapper: its text mentions pgd_offset"},
}, {
	name: "an exact name whose code is another task's goes to that task",
	tree: tree{"lkm5.c": mapperSrc},
	want: map[string]string{"mapper": "lkm5.c"},
}, {
	name:  "the folder's Makefile builds one heap file: the other is an old try",
	tree:  tree{"heap.c": heapSrc, "heap_final.c": heapSrc, "hello.c": helloSrc, "Makefile": "obj-m += hello.o heap_final.o\nccflags-y += -DDEBUG\n"},
	want:  map[string]string{"hello": "hello.c", "heap": "heap_final.c"},
	notes: []string{"picked heap_final.c for heap: its name matches *heap*.c; passed over heap.c: Makefile does not build it (obj-m: hello, heap_final)"},
}, {
	name:  "a file the Makefile does not build is still taken when nothing else is the task's",
	tree:  tree{"lab/heap.c": heapSrc, "lab/hello.c": helloSrc, "lab/Kbuild": "obj-m := hello.o\n"},
	want:  map[string]string{"hello": "lab/hello.c", "heap": "lab/heap.c"},
	notes: []string{"picked lab/heap.c for heap: its name matches heap.c; lab/Kbuild does not build it (obj-m: hello), but no other file matches"},
}, {
	name: "a Makefile whose module list is unknown is no evidence",
	tree: tree{"heap.c": heapSrc, "heap_final.c": heapSrc, "Makefile": "obj-m += $(TARGET).o\n"},
	want: map[string]string{"heap": "heap.c"},
}, {
	name: "a Makefile in another folder is no evidence",
	tree: tree{"heap/heap.c": heapSrc, "heap/heap_v2.c": heapSrc, "Makefile": "obj-m += heap/heap_v2.o\n"},
	want: map[string]string{"heap": "heap/heap.c"},
}, {
	name: "a composite module's main file is built",
	tree: tree{"mapper/main.c": mapperSrc, "mapper/walk.c": "int walk;\n", "mapper/mapper_old_try.c": mapperSrc,
		"mapper/Makefile": "obj-m := mapper.o\nmapper-objs := main.o walk.o\n"},
	want: map[string]string{"mapper": "mapper/main.c"},
}, {
	name: "a name two tasks match goes to the more specific pattern",
	tree: tree{"heap_size.c": heapSrc, "q5.c": sizeSrc},
	want: map[string]string{"heap": "heap_size.c", "size": "q5.c"},
}, {
	name: "a later version built beside the exact name: the student's README says to grade the _v2 files",
	tree: tree{"hello/hello.c": helloSrc, "hello/Makefile": "obj-m := hello.o\n",
		"heap/heap.c": heapSrc, "heap/heap_v2.c": heapSrc, "heap/Makefile": "obj-m := heap.o heap_v2.o\nall:\n\tmake -C /lib/modules/$(shell uname -r)/build M=$(PWD) modules\n",
		"size/size.c": sizeSrc, "size/size_v2.c": sizeSrc, "size/Makefile": "obj-m := size.o size_v2.o\n"},
	want: map[string]string{"hello": "hello/hello.c", "heap": "heap/heap_v2.c", "size": "size/size_v2.c"},
	notes: []string{`picked heap/heap_v2.c for heap: a later version of heap/heap.c (its name ends "_v2"; heap/Makefile builds it; passed over heap/heap.c, whose name matches heap.c)`,
		`picked size/size_v2.c for size: a later version of size/size.c (its name ends "_v2"`},
}, {
	name: "several later versions: final over numbers, a higher number over a lower",
	tree: tree{"heap/lkm2.c": heapSrc, "heap/lkm2_v2.c": heapSrc, "heap/lkm2-V3.c": heapSrc, "heap/lkm2_Final.c": heapSrc,
		"heap/Makefile": "obj-m += lkm2.o lkm2_v2.o lkm2-V3.o lkm2_Final.o\n",
		"size/lkm5.c":   sizeSrc, "size/lkm5_v2.c": sizeSrc, "size/lkm5_v10.c": sizeSrc, "size/lkm5_v9_fixed.c": sizeSrc,
		"size/Kbuild": "obj-m := lkm5.o lkm5_v2.o lkm5_v10.o lkm5_v9_fixed.o\n"},
	want: map[string]string{"heap": "heap/lkm2_Final.c", "size": "size/lkm5_v10.c"},
	notes: []string{`picked heap/lkm2_Final.c for heap: a later version of heap/lkm2.c (its name ends "_Final", which ranks it over heap/lkm2-V3.c, heap/lkm2_v2.c: final or latest before a version number, a higher number before a lower; heap/Makefile builds it; passed over heap/lkm2.c, whose name matches lkm2.c)`,
		`picked size/lkm5_v10.c for size: a later version of size/lkm5.c (its name ends "_v10", which ranks it over size/lkm5_v2.c, size/lkm5_v9_fixed.c`},
}, {
	name:  "a later version of a file a wildcard took, and of a name no other pattern knows",
	tree:  tree{"heap_v2.c": heapSrc, "heap_v3.c": heapSrc, "mymodule.c": helloSrc, "mymodule-new.c": helloSrc, "Makefile": "obj-m := heap_v2.o heap_v3.o mymodule.o mymodule-new.o\n"},
	want:  map[string]string{"heap": "heap_v3.c", "hello": "mymodule-new.c"},
	notes: []string{`picked heap_v3.c for heap: a later version of heap_v2.c (its name ends "_v3"`, `picked mymodule-new.c for hello: a later version of mymodule.c`},
}, {
	name:  "a bare number is no version mark: lkm2.c is not a later lkm.c, nor heap2.c a later heap.c",
	tasks: []Task{{Name: "hello", Files: []string{"lkm.c"}}, {Name: "heap", Files: []string{"heap.c"}}},
	tree:  tree{"lkm.c": helloSrc, "lkm2.c": helloSrc, "heap.c": heapSrc, "heap2.c": heapSrc, "heap_2.c": heapSrc, "Makefile": "obj-m := lkm.o lkm2.o heap.o heap2.o heap_2.o\n"},
	want:  map[string]string{"hello": "lkm.c", "heap": "heap.c"},
	notes: []string{"picked lkm.c for hello: its name matches lkm.c", "picked heap.c for heap: its name matches heap.c"},
}, {
	name:  "a later version the Makefile does not build is passed over",
	tree:  tree{"heap/heap.c": heapSrc, "heap/heap_v2.c": heapSrc, "heap/Makefile": "obj-m := heap.o\n"},
	want:  map[string]string{"heap": "heap/heap.c"},
	notes: []string{"picked heap/heap.c for heap: its name matches heap.c; passed over heap/heap_v2.c: heap/Makefile does not build it (obj-m: heap)"},
}, {
	name:  "a later version without module_init is passed over",
	tree:  tree{"heap/heap.c": heapSrc, "heap/heap_final.c": userSrc, "heap/Makefile": "obj-m := heap.o heap_final.o\n"},
	want:  map[string]string{"heap": "heap/heap.c"},
	notes: []string{"picked heap/heap.c for heap: its name matches heap.c; heap/heap_final.c is named as a later version, but it has no module_init"},
}, {
	name:  "a later version with no Makefile to say it is built is passed over",
	tree:  tree{"heap/heap.c": heapSrc, "heap/heap_new.c": heapSrc},
	want:  map[string]string{"heap": "heap/heap.c"},
	notes: []string{"picked heap/heap.c for heap: its name matches heap.c; heap/heap_new.c is named as a later version, but no Makefile in its folder builds it"},
}, {
	name:  "an old copy is no later version",
	tree:  tree{"heap.c": heapSrc, "heap_old.c": heapSrc, "heap_v1.c": heapSrc, "Makefile": "obj-m := heap.o heap_old.o heap_v1.o\n"},
	want:  map[string]string{"heap": "heap.c"},
	notes: []string{"picked heap.c for heap: its name matches heap.c"},
}, {
	name:  "a later version whose code is another task's goes to that task",
	tree:  tree{"heap.c": heapSrc, "heap_fixed.c": kspSrc, "Makefile": "obj-m := heap.o heap_fixed.o\n"},
	want:  map[string]string{"heap": "heap.c", "ksp": "heap_fixed.c"},
	notes: []string{"heap_fixed.c is named as a later version, but its code is another task's"},
}, {
	name: "build products and macOS copies are never taken",
	tree: tree{"heap/lkm2.mod.c": "#include <linux/module.h>\nmodule_init(x);", "heap/lkm2.c": heapSrc},
	want: map[string]string{"heap": "heap/lkm2.c"},
}}

func TestPickAll(t *testing.T) {
	for _, c := range pickCases {
		t.Run(c.name, func(t *testing.T) {
			tasks := c.tasks
			if tasks == nil {
				tasks = Default().Tasks
			}
			got, notes := PickAll(tasks, c.tree.files(), c.tree.read)
			if !maps.Equal(got, c.want) {
				t.Errorf("PickAll = %v\nwant %v\nnotes:\n  %s", got, c.want, strings.Join(notes, "\n  "))
			}
			for _, want := range c.notes {
				if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, want) }) {
					t.Errorf("no note says %q; notes:\n  %s", want, strings.Join(notes, "\n  "))
				}
			}
			checkOneTaskPerFile(t, got)
			checkNoteEach(t, tasks, got, notes)
		})
	}
}

func TestSplitVersion(t *testing.T) {
	for base, want := range map[string]struct {
		stem, suffix string
		mark         versionMark
	}{
		"heap.c":                       {"heap", "", versionMark{}},
		"heap_v2.c":                    {"heap", "_v2", versionMark{num: 2}},
		"Heap-V3.C":                    {"heap", "-V3", versionMark{num: 3}},
		"heap v2.c":                    {"heap", " v2", versionMark{num: 2}},
		"heapV2.c":                     {"heap", "V2", versionMark{num: 2}},
		"heap_version_4.c":             {"heap", "_version_4", versionMark{num: 4}},
		"heap_final.c":                 {"heap", "_final", versionMark{final: true}},
		"heap-latest.c":                {"heap", "-latest", versionMark{final: true}},
		"heap_final_2.c":               {"heap", "_final_2", versionMark{final: true, num: 2}},
		"heap_v2_fixed.c":              {"heap", "_v2_fixed", versionMark{num: 2, word: true}},
		"lkm2_updated.c":               {"lkm2", "_updated", versionMark{word: true}},
		"my_heap_new.c":                {"my_heap", "_new", versionMark{word: true}},
		"lkm2.c":                       {"lkm2", "", versionMark{}},
		"heap2.c":                      {"heap2", "", versionMark{}},
		"heap_2.c":                     {"heap_2", "", versionMark{}},
		"heap_old.c":                   {"heap_old", "", versionMark{}},
		"heap_v2_test.c":               {"heap_v2_test", "", versionMark{}},
		"final.c":                      {"final", "", versionMark{}},
		"v2.c":                         {"v2", "", versionMark{}},
		"heap_renewed.c":               {"heap_renewed", "", versionMark{}},
		"heap_vfinal.c":                {"heap_vfinal", "", versionMark{}},
		"heap_v99999999999999999999.c": {"heap_v99999999999999999999", "", versionMark{}},
	} {
		stem, suffix, mark := splitVersion(base)
		if stem != want.stem || suffix != want.suffix || mark != want.mark {
			t.Errorf("splitVersion(%q) = %q, %q, %+v; want %q, %q, %+v", base, stem, suffix, mark, want.stem, want.suffix, want.mark)
		}
	}
	if !(versionMark{num: 10}).less(versionMark{final: true}) || !(versionMark{num: 2}).less(versionMark{num: 10}) ||
		!(versionMark{num: 2}).less(versionMark{num: 2, word: true}) || (versionMark{word: true}).less(versionMark{word: true}) {
		t.Error("versionMark.less does not rank final over numbers over words")
	}
}

// checkOneTaskPerFile checks no file went to two tasks.
func checkOneTaskPerFile(t *testing.T, got map[string]string) {
	t.Helper()
	seen := map[string]string{}
	for task, f := range got {
		if other, ok := seen[f]; ok {
			t.Errorf("%s went to both %s and %s", f, task, other)
		}
		seen[f] = task
	}
}

// checkNoteEach checks every task has a note: why it got its file, or
// why it has none.
func checkNoteEach(t *testing.T, tasks []Task, got map[string]string, notes []string) {
	t.Helper()
	for _, task := range tasks {
		want := "no file for " + task.Name + ":"
		if f := got[task.Name]; f != "" {
			want = "picked " + f + " for " + task.Name + ":"
		}
		if !slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
			t.Errorf("no note starts %q", want)
		}
	}
}

// TestPickAllBadDetect checks a task whose detect pattern does not
// compile still gets its file by name, and a note says why not by code.
func TestPickAllBadDetect(t *testing.T) {
	tasks := []Task{{Name: "heap", Files: []string{"heap.c"}, Detect: []string{"("}}, {Name: "ksp", Files: []string{"ksp.c"}}}
	tr := tree{"heap.c": heapSrc, "q3.c": kspSrc}
	got, notes := PickAll(tasks, tr.files(), tr.read)
	if !maps.Equal(got, map[string]string{"heap": "heap.c"}) {
		t.Errorf("PickAll = %v", got)
	}
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, `task heap: detect pattern "(":`) }) {
		t.Errorf("notes %q", notes)
	}
	if err := CheckDetect([]string{"ok", "!("}); err == nil {
		t.Error(`CheckDetect("!(") = nil`)
	}
}

func TestCodeText(t *testing.T) {
	for src, want := range map[string]string{
		"a /* brk */ b":                  "a   b",
		"a // brk\nb":                    "a \nb",
		"a // brk \\\n still\nb":         "a \nb",
		`p("/* not a comment */");`:      `p("/* not a comment */");`,
		`c = '"'; /* x */ d`:             `c = '"';   d`,
		`s = "esc \" /* still */"; // x`: `s = "esc \" /* still */"; ` + "\n",
		"unterminated /* brk":            "unterminated ",
	} {
		if got := codeText([]byte(src)); got != want {
			t.Errorf("codeText(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestLooksOld(t *testing.T) {
	for f, want := range map[string]bool{
		"old/heap.c": true, "Backup2/lkm2.c": true, "heap_old.c": true, "lkm2 - Copy.c": true, "v1/ksp.c": true,
		"archive/x/y.c": true, "bak/lkm.c": true,
		"heap.c": false, "golden/heap.c": false, "bold.c": false, "v2/ksp.c": false, "lab1/heap.c": false,
		"folder/holder.c": false,
	} {
		if got := looksOld(f); got != want {
			t.Errorf("looksOld(%q) = %v, want %v", f, got, want)
		}
	}
}

// FuzzPickAll checks any file list and content gives each file to one
// task at most, only files from the list, and a note per task.
func FuzzPickAll(f *testing.F) {
	f.Add("heap/lkm2.c\nold/lkm2.c\nQ1/main.c", heapSrc)
	f.Add("a.c\nb.c\nlkm5.c\nx/y/z.c", bothSrc)
	f.Add("Q0/main.c\nQ0/test.c\n[.c\n*.c", helloSrc)
	tasks := Default().Tasks
	f.Fuzz(func(t *testing.T, list, content string) {
		files := strings.Split(list, "\n")
		read := func(p string) ([]byte, error) { return []byte(p + "\n" + content), nil }
		got, notes := PickAll(tasks, files, read)
		for task, file := range got {
			if !slices.Contains(files, file) {
				t.Errorf("%s got %q, not in the list", task, file)
			}
		}
		checkOneTaskPerFile(t, got)
		checkNoteEach(t, tasks, got, notes)
	})
}
