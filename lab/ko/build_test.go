package ko

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

// These tests build real modules against a cached kernel: this package's
// fixtures (testdata/), the seed modules and every module of the test
// corpus. Only the fixtures written to break the policy may break it.

// want is a violation a hostile module must have: its kind, the start of
// What and the function it is in ("" for imports).
type want struct {
	kind     Kind
	what, fn string
}

// expected are the violations of the modules that have any; every other
// module built here must have none under the default policy.
var expected = map[string][]want{
	"peek":   {{KindImport, "access_process_vm", ""}},
	"portio": {{KindPrivileged, "out dx, al", "portio_init"}},
	"cr0":    {{KindPrivileged, "mov cr0, ", "cr0_init"}},
	"halt":   {{KindPrivileged, "hlt", "halt_exit"}},
	"hidden": {{KindPrivileged, "jmp ", "hidden_init"}, {KindPrivileged, "out dx, al", "hidden_init"}},
	"freeze": {{KindImport, "stop_machine", ""}}, // tests/testdata/modules/freeze stops every CPU
	// Code reached only through relocations (tests/testdata/hostile3).
	"relochidden": {{KindPrivileged, "hlt", "rh_pad"}, {KindPrivileged, "jmp ", "rh_pad"}, {KindPrivileged, "mov ", "rh_init"}},
	"farjump":     {{KindPrivileged, "jmp ", "fj_hop"}, {KindPrivileged, "hlt", "fj_cover"}, {KindPrivileged, "jmp ", "fj_cover"}},
	"datatable":   {{KindPrivileged, "mov rax, ", "dt_pad"}, {KindPrivileged, "out dx, al", "dt_pad"}},
	"abspatch":    {{KindPrivileged, "cli", "ap_init"}, {KindPrivileged, "hlt", "ap_init"}},
}

// notBuilt are corpus sources that do not compile by design; host-include
// would also have the compiler print /etc/shadow into the test log.
var notBuilt = []string{"broken", "compile-error", "host-include"}

func TestModulesAgainstPolicy(t *testing.T) {
	dirs := corpus(t)
	for _, k := range testKernels(t) {
		t.Run(k.Name, func(t *testing.T) {
			mods, errs := buildAll(t, k, dirs)
			for name, err := range errs {
				t.Errorf("build %s: %v", name, err)
			}
			for name, m := range mods {
				checkModule(t, name, m)
			}
			for name := range expected {
				if mods[name] == nil {
					t.Errorf("%s: not built, so its expected violations went unchecked", name)
				}
			}
			checkDetails(t, k, mods)
		})
	}
}

func checkModule(t *testing.T, name string, m *Module) {
	t.Helper()
	got := m.Check(Policy{})
	w := expected[name]
	if len(got) != len(w) {
		t.Errorf("%s: %d violations, want %d:\n%s", name, len(got), len(w), violationLines(got))
		return
	}
	for i, v := range got {
		fn, _, _ := strings.Cut(v.Where, "+")
		if v.Kind != w[i].kind || !strings.HasPrefix(v.What, w[i].what) || (w[i].fn != "" && fn != w[i].fn) || v.Why == "" {
			t.Errorf("%s: violation %d is %s, want %s %s in %q", name, i, v, w[i].kind, w[i].what, w[i].fn)
		}
	}
}

func violationLines(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

// checkDetails checks what Open reads, on modules whose source says it.
func checkDetails(t *testing.T, k *kernel.Kernel, mods map[string]*Module) {
	t.Helper()
	for _, name := range []string{"hello", "deferred", "walker", "mapper", "bareparam", "size"} {
		if mods[name] == nil {
			t.Fatalf("%s: not built, so what Open reads from it went unchecked", name)
		}
	}
	hello := mods["hello"]
	// printk was renamed _printk in 5.15; 5.10 guests import the old name.
	printk := "_printk"
	if !slices.Contains(hello.Imports, printk) {
		printk = "printk"
	}
	if hello.Name != "hello" || !slices.Contains(hello.Imports, printk) || len(hello.Depends) != 0 ||
		!strings.HasPrefix(hello.VerMagic, k.Release+" ") {
		t.Errorf("hello: name %q imports %q depends %q vermagic %q", hello.Name, hello.Imports, hello.Depends, hello.VerMagic)
	}
	if fns := functionSections(hello); fns["hello_init"] != ".init.text" || fns["hello_exit"] != ".exit.text" {
		t.Errorf("hello: functions %v, want hello_init in .init.text and hello_exit in .exit.text", fns)
	}
	if s, ok := hello.Section(".init.text"); !ok || s.Flags&elf.SHF_EXECINSTR == 0 || s.Size == 0 {
		t.Errorf("hello: .init.text = %+v, %v", s, ok)
	}
	// The implicit imports cover what the compiler and the kernel's
	// build options add: hello calls printk and nothing else.
	if v := hello.Check(Policy{Allow: []string{printk}}); len(v) != 0 {
		t.Errorf("hello under allow [%s]:\n%s", printk, violationLines(v))
	}
	checkParams(t, mods)
	checkUses(t, mods)
}

func functionSections(m *Module) map[string]string {
	out := map[string]string{}
	for _, f := range m.Functions {
		out[f.Name] = f.Section
	}
	return out
}

func checkParams(t *testing.T, mods map[string]*Module) {
	t.Helper()
	for name, want := range map[string][]Param{
		// module_param alone writes parmtype= only (issue #10).
		"bareparam": {{Name: "addr", Type: "charp", Desc: "address to translate: hex"}, {Name: "pid", Type: "int"}},
		"size":      {{Name: "pid", Type: "int", Desc: "pid of the process to measure (required, > 0)"}},
		"hello":     nil,
	} {
		got := slices.Clone(mods[name].Params)
		sort.Slice(got, func(i, j int) bool { return got[i].Name < got[j].Name })
		if !slices.Equal(got, want) {
			t.Errorf("%s: params %+v, want %+v", name, got, want)
		}
	}
}

func checkUses(t *testing.T, mods map[string]*Module) {
	t.Helper()
	u := mods["deferred"].Uses()
	for kind, use := range map[string]Use{"timers": u.Timers, "work": u.Work, "threads": u.Threads} {
		if len(use.Start) == 0 || len(use.Stop) == 0 {
			t.Errorf("deferred: %s %+v, want what starts and what stops them", kind, use)
		}
	}
	if !slices.Contains(u.Threads.Stop, "kthread_stop") || !slices.Contains(u.Work.Start, "queue_work_on") {
		t.Errorf("deferred: uses %+v", u)
	}
	for _, name := range []string{"hello", "walker", "mapper"} {
		if got := mods[name].Uses(); !reflect0(got) {
			t.Errorf("%s: uses %+v, want none", name, got)
		}
	}
}

func reflect0(u Uses) bool {
	return len(u.Timers.Start)+len(u.Timers.Stop)+len(u.Work.Start)+len(u.Work.Stop)+len(u.Threads.Start)+len(u.Threads.Stop) == 0
}

// TestRealSubmissionsHaveNoViolations builds the student modules of
// tests/testdata/real, real2 and real3 (some written for older kernels:
// those that no longer compile are only logged) and checks the default
// policy finds nothing in any of them: a false positive costs a student
// points.
func TestRealSubmissionsHaveNoViolations(t *testing.T) {
	roots, _ := filepath.Glob("../../tests/testdata/real*")
	if len(roots) == 0 {
		t.Skip("no real submissions")
	}
	var dirs []string
	seen := map[[32]byte]bool{}
	for _, root := range roots {
		dirs = append(dirs, stageSubmissions(t, root, seen)...)
	}
	// Against the default kernel of the matrix only: a hundred student
	// modules per kernel cost CI minutes, and the imports the policy reads
	// differ little between kernels (TestModulesAgainstPolicy covers each).
	ks := testKernels(t)
	k := ks[0]
	for _, c := range ks {
		if c.Name == kernel.DefaultName {
			k = c
		}
	}
	for _, k := range []*kernel.Kernel{k} {
		t.Run(k.Name, func(t *testing.T) {
			mods, errs := buildAll(t, k, dirs)
			for name, err := range errs {
				t.Logf("%s does not build against %s: %s", name, k.Name, firstDiagnostic(err))
			}
			if len(mods) < len(dirs)/2 {
				t.Fatalf("only %d of %d real modules built", len(mods), len(dirs))
			}
			for name, m := range mods {
				if vs := m.Check(Policy{}); len(vs) > 0 {
					t.Errorf("%s:\n%s", name, violationLines(vs))
				}
			}
		})
	}
}

func firstDiagnostic(err error) string {
	var ke *kbuild.Error
	if errors.As(err, &ke) && len(ke.Diagnostics()) > 0 {
		return ke.Diagnostics()[0]
	}
	l, _, _ := strings.Cut(err.Error(), "\n")
	return l
}

// buildAll builds every folder in one kbuild.BuildAll call and opens each
// .ko; both results are by folder name.
func buildAll(t *testing.T, k *kernel.Kernel, dirs []string) (map[string]*Module, map[string]error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	opts := kbuild.Options{WorkDir: t.TempDir(), Cache: filepath.Join(kernel.DefaultCacheDir(), "builds")}
	t.Logf("building %d modules against %s (%s)", len(dirs), k.Name, k.Release)
	built, errs := kbuild.BuildAll(ctx, dirs, k.BuildDir, opts)
	mods, failed := map[string]*Module{}, map[string]error{}
	for i, b := range built {
		name := filepath.Base(dirs[i])
		if errs[i] != nil {
			failed[name] = errs[i]
			continue
		}
		m, err := Open(b.KO)
		if err != nil {
			t.Fatal(err)
		}
		mods[name] = m
	}
	return mods, failed
}

// corpus lists the module folders to build: the fixtures, the seed
// modules, tests/testdata's modules, and each C file of the submissions
// staged as a module (as the grader does), every source once.
func corpus(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, g := range []string{"testdata/*/Kbuild", "../../modules/*/Kbuild",
		"../../tests/testdata/modules/*/Kbuild", "../../tests/testdata/variants/*/Kbuild", "../../tests/testdata/leaks/*/Kbuild"} {
		kb, _ := filepath.Glob(g)
		for _, f := range kb {
			if d := filepath.Dir(f); !slices.Contains(notBuilt, filepath.Base(d)) {
				dirs = append(dirs, d)
			}
		}
	}
	if len(dirs) < 20 {
		t.Fatalf("found %d module folders; run from lab/ko in the repository", len(dirs))
	}
	return append(dirs, stageSubmissions(t, "../../tests/testdata/submissions", sources(t, dirs))...)
}

// sources hashes the C files of dirs, to stage each submitted file once.
func sources(t *testing.T, dirs []string) map[[32]byte]bool {
	seen := map[[32]byte]bool{}
	for _, d := range dirs {
		cs, _ := filepath.Glob(filepath.Join(d, "*.c"))
		for _, c := range cs {
			b, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			seen[sha256.Sum256(b)] = true
		}
	}
	return seen
}

var unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)

// stageSubmissions copies each submitted C file not seen yet into a module
// folder of its own with a Kbuild, as the grader stages a task.
func stageSubmissions(t *testing.T, root string, seen map[[32]byte]bool) []string {
	t.Helper()
	stage := t.TempDir()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".mod.c") {
			return err // a .mod.c is modpost's output some students hand in
		}
		rel, _ := filepath.Rel(root, p)
		if slices.Contains(notBuilt, strings.Split(rel, string(filepath.Separator))[0]) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil || seen[sha256.Sum256(b)] {
			return err
		}
		seen[sha256.Sum256(b)] = true
		name := "sub_" + unsafeName.ReplaceAllString(strings.TrimSuffix(strings.ToLower(rel), ".c"), "_")
		dir := filepath.Join(stage, name)
		dirs = append(dirs, dir)
		return stageOne(dir, name, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func stageOne(dir, name string, src []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".c"), src, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Kbuild"), []byte("obj-m := "+name+".o\n"), 0o644)
}

// testKernels returns the kernels to build against: the ones LKMLAB_KERNELS
// (comma-separated) or LKMLAB_KERNEL names, fetched if need be as the VM
// tests do; else the first kernel the cache holds, never a download. With
// none it skips, or fails under LKMLAB_REQUIRE_VM=1.
func testKernels(t *testing.T) []*kernel.Kernel {
	t.Helper()
	if testing.Short() {
		skipOrFail(t, "module builds skipped in -short mode")
	}
	names := strings.FieldsFunc(os.Getenv("LKMLAB_KERNELS"), func(r rune) bool { return r == ',' })
	if len(names) == 0 && os.Getenv("LKMLAB_KERNEL") != "" {
		names = []string{os.Getenv("LKMLAB_KERNEL")}
	}
	if len(names) == 0 {
		names = firstCached(t)
	}
	var out []*kernel.Kernel
	for _, n := range names {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		k, err := kernel.Resolve(ctx, n, kernel.Options{Logf: t.Logf})
		cancel()
		if err != nil {
			skipOrFail(t, "no kernel %s to build against: %v", n, err)
		}
		out = append(out, k)
	}
	return out
}

func firstCached(t *testing.T) []string {
	t.Helper()
	es, err := kernel.List(kernel.Options{})
	if err != nil {
		skipOrFail(t, "list cached kernels: %v", err)
	}
	for _, e := range es {
		if e.Cached {
			return []string{e.Name}
		}
	}
	skipOrFail(t, "no kernel cached to build modules against: run 'lkmlab kernels' to see the cache, 'make check' to fill it, or set LKMLAB_KERNEL")
	return nil
}

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatalf(format+" (LKMLAB_REQUIRE_VM=1: tests that need a kernel must run)", args...)
	}
	t.Skipf(format, args...)
}

// TestHostile3RelocationAttacksAreRefused builds the two submissions of
// tests/testdata/hostile3 that hide a halt behind a relocation (a pointer
// into an instruction, a jump into another section) as the grader stages
// them: their hello must break the policy, naming the hlt and where it
// is, and their size (the control) must not.
func TestHostile3RelocationAttacksAreRefused(t *testing.T) {
	const root = "../../tests/testdata/hostile3"
	hides := map[string]string{"reloc-hidden": "greet_pad", "far-jump": "greet_cover"}
	stage := t.TempDir()
	var dirs []string
	for sub := range hides {
		for _, task := range []string{"hello", "size"} {
			b, err := os.ReadFile(filepath.Join(root, sub, task+".c"))
			if err != nil {
				t.Skipf("no hostile3 corpus: %v", err)
			}
			name := unsafeName.ReplaceAllString(sub, "_") + "_" + task
			dir := filepath.Join(stage, name)
			if err := stageOne(dir, name, b); err != nil {
				t.Fatal(err)
			}
			dirs = append(dirs, dir)
		}
	}
	// The attacks are written for Debian's kernels, the corpus's: their
	// hand-written assembly returns through __x86_return_thunk, which the
	// minimal kernels (no RETHUNK) do not export.
	ran := 0
	for _, k := range testKernels(t) {
		if !strings.HasPrefix(k.Name, "debian-") {
			t.Logf("%s: not a Debian kernel, which the attacks are written for", k.Name)
			continue
		}
		ran++
		t.Run(k.Name, func(t *testing.T) {
			mods, errs := buildAll(t, k, dirs)
			for name, err := range errs {
				t.Errorf("build %s: %v", name, err)
			}
			for sub, fn := range hides {
				base := unsafeName.ReplaceAllString(sub, "_")
				if m := mods[base+"_size"]; m != nil {
					if vs := m.Check(Policy{}); len(vs) > 0 {
						t.Errorf("%s/size:\n%s", sub, violationLines(vs))
					}
				}
				m := mods[base+"_hello"]
				if m == nil {
					continue
				}
				vs := m.Check(Policy{})
				found := false
				for _, v := range vs {
					found = found || (v.Kind == KindPrivileged && v.What == "hlt" && strings.HasPrefix(v.Where, fn+"+") && v.Why != "")
				}
				if !found {
					t.Errorf("%s/hello: want a privileged hlt in %s, found:\n%s", sub, fn, violationLines(vs))
				}
			}
		})
	}
	if ran == 0 {
		skipOrFail(t, "no Debian kernel among the test kernels: the attacks are built against one")
	}
}
