package kbuild

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

func TestDirectNameTakesOneObjmLine(t *testing.T) {
	for _, tc := range []struct {
		kbuild string
		files  []string
		want   string // "" means make
	}{
		{"obj-m := m.o\n", []string{"m.c"}, "m"},
		{"# a comment\n\nobj-m += m.o\n", []string{"m.c"}, "m"},
		{"obj-m = m_2.o", []string{"m_2.c"}, "m_2"},
		{"obj-m := m.o\n", nil, ""},                                    // no m.c
		{"obj-m := m.o\nm-y := a.o b.o\n", []string{"a.c", "b.c"}, ""}, // composite
		{"obj-m := m.o\nccflags-y := -DX\n", []string{"m.c"}, ""},
		{"obj-m := my-mod.o\n", []string{"my-mod.c"}, ""}, // KBUILD_MODNAME would be my_mod
		{"obj-m := a.o b.o\n", []string{"a.c", "b.c"}, ""},
		{"obj-m := m.o\nobj-m += n.o\n", []string{"m.c", "n.c"}, ""},
		{"obj-m := " + probeName + ".o\n", []string{probeName + ".c"}, ""},
	} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"Kbuild": tc.kbuild})
		for _, f := range tc.files {
			writeFiles(t, dir, map[string]string{f: "int x;\n"})
		}
		if got, _ := directName(dir); got != tc.want {
			t.Errorf("directName(%q) = %q, want %q", tc.kbuild, got, tc.want)
		}
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Kbuild": "obj-m := m.o\n", "m.c": "EXPORT_SYMBOL(f);\n"})
	if _, ok := directName(dir); ok {
		t.Error("a module exporting a symbol builds directly: genksyms would be skipped")
	}
	t.Setenv("LKMLAB_KBUILD", "make")
	writeFiles(t, dir, map[string]string{"m.c": "int x;\n"})
	if _, ok := directName(dir); ok {
		t.Error("LKMLAB_KBUILD=make still builds directly")
	}
}

func TestUnescapeMake(t *testing.T) {
	for in, want := range map[string]string{
		`awk '!x[$$0]++'`:     `awk '!x[$0]++'`,
		`echo '$(pound)x'`:    `echo '#x'`,
		`sed 's/ko$$/o/' a b`: `sed 's/ko$/o/' a b`,
		`$(CC) -c`:            "",
	} {
		got, ok := unescapeMake(in)
		if want == "" && ok || want != "" && got != want {
			t.Errorf("unescapeMake(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// seedModules are the repository's own modules, built both ways.
var seedModules = []string{"hello", "running", "heap", "ksp", "mapper", "size"}

// matrixKernels returns the cached kernels of the direct path's matrix,
// skipping when there is none.
func matrixKernels(t *testing.T) []*kernel.Kernel {
	t.Helper()
	entries, err := kernel.List(kernel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ks []*kernel.Kernel
	for _, e := range entries {
		switch e.Name {
		case "debian-5.10", "debian-6.1", "debian-6.12", "minimal-6.1":
		default:
			continue
		}
		if !e.Cached {
			t.Logf("kernel %s is not cached: run 'lkmlab kernel --kernel %s' to test it too", e.Name, e.Name)
			continue
		}
		k, err := kernel.Resolve(context.Background(), e.Name, kernel.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		skipOrFail(t, "no kernel of debian-5.10, debian-6.1, debian-6.12, minimal-6.1 is cached: run 'lkmlab kernel'")
	}
	return ks
}

// seedCopies copies the seed modules to a temporary folder.
func seedCopies(t *testing.T) []string {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for _, m := range seedModules {
		dst := filepath.Join(root, m)
		if err := copyFiles(filepath.Join("..", "..", "modules", m), dst, isSource); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dst)
	}
	return dirs
}

// buildAllWith builds dirs with make ("make") or directly ("").
func buildAllWith(t *testing.T, method string, dirs []string, kdir string, opts Options) []*Module {
	t.Helper()
	t.Setenv("LKMLAB_KBUILD", method)
	opts.WorkDir = t.TempDir()
	mods, errs := BuildAll(context.Background(), dirs, kdir, opts)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("build %s (LKMLAB_KBUILD=%q): %v", dirs[i], method, err)
		}
	}
	return mods
}

func TestDirectBuildMatchesMake(t *testing.T) {
	dirs := seedCopies(t)
	for _, k := range matrixKernels(t) {
		t.Run(k.Name, func(t *testing.T) {
			r, err := recipeFor(context.Background(), k.BuildDir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// 5.10 runs objtool and genksyms as steps no .cmd file
			// records: its recipe must say so, and it builds with make.
			switch {
			case r.Make != "" && k.Name == "debian-5.10":
				t.Logf("%s builds with make: %s", k.Name, r.Make)
			case r.Make != "":
				t.Errorf("%s builds with make, want directly: %s", k.Name, r.Make)
			case k.Name == "debian-5.10":
				t.Errorf("%s has a direct recipe, but its objtool step is not recorded", k.Name)
			}
			byMake := buildAllWith(t, "make", dirs, k.BuildDir, Options{})
			direct := buildAllWith(t, "", dirs, k.BuildDir, Options{})
			for i := range dirs {
				a, b := koSummary(t, byMake[i].KO), koSummary(t, direct[i].KO)
				if a != b {
					t.Errorf("%s: make and direct builds differ:\nmake:\n%s\ndirect:\n%s", seedModules[i], a, b)
				}
			}
		})
	}
}

// koSummary lists what makes a module the module: its sections, its
// .modinfo fields, its defined symbols with their sections and its
// undefined ones. The build folder is in debug info only, left out.
func koSummary(t *testing.T, ko string) string {
	t.Helper()
	f, err := elf.Open(ko)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, s := range f.Sections {
		fmt.Fprintf(&b, "section %s\n", s.Name)
	}
	if mi := f.Section(".modinfo"); mi != nil {
		data, _ := mi.Data()
		for _, field := range bytes.Split(data, []byte{0}) {
			if len(field) > 0 {
				fmt.Fprintf(&b, "modinfo %s\n", field)
			}
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range syms {
		switch {
		case s.Section == elf.SHN_UNDEF && s.Name != "":
			lines = append(lines, "undefined "+s.Name)
		case int(s.Section) < len(f.Sections) && s.Name != "":
			lines = append(lines, fmt.Sprintf("defined %s in %s size %d", s.Name, f.Sections[s.Section].Name, s.Size))
		}
	}
	sort.Strings(lines)
	return b.String() + strings.Join(lines, "\n")
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// bothWays runs f once with make and once directly.
func bothWays(t *testing.T, f func(t *testing.T)) {
	for _, method := range []string{"make", "direct"} {
		t.Run(method, func(t *testing.T) {
			t.Setenv("LKMLAB_KBUILD", strings.TrimPrefix(method, "direct"))
			f(t)
		})
	}
}

func TestDirectBuildErrorsAndWarnings(t *testing.T) {
	k := cachedKernel(t)
	broken := filepath.Join(t.TempDir(), "broken")
	writeFiles(t, broken, map[string]string{"Kbuild": "obj-m := broken.o\n", "broken.c": "#include <linux/module.h>\n" +
		"static int __init b_init(void) { return undeclared_thing; }\nmodule_init(b_init);\nMODULE_LICENSE(\"GPL\");\n"})
	warned := filepath.Join(t.TempDir(), "warned")
	writeFiles(t, warned, map[string]string{"Kbuild": "obj-m := warned.o\n", "warned.c": "#include <linux/module.h>\n" +
		"static int __init w_init(void) { int unused; return 0; }\nmodule_init(w_init);\nMODULE_LICENSE(\"GPL\");\n"})
	bothWays(t, func(t *testing.T) {
		var out bytes.Buffer
		_, err := Build(context.Background(), broken, k.BuildDir, Options{WorkDir: t.TempDir(), Output: &out})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Build = %v, want a build error", err)
		}
		if d := strings.Join(e.Diagnostics(), "\n"); !strings.Contains(d, broken+"/broken.c:2:") || !strings.Contains(d, "undeclared_thing") {
			t.Errorf("diagnostics do not name broken.c:2 and undeclared_thing:\n%s", d)
		}
		diags, err := Warnings(context.Background(), warned, k.BuildDir, Options{WorkDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if len(diags) == 0 || diags[0].Option != "-Wunused-variable" || diags[0].Line != 2 {
			t.Errorf("warnings = %+v, want -Wunused-variable on line 2", diags)
		}
	})
}

func TestModulesDirectCannotBuildStillBuild(t *testing.T) {
	k := cachedKernel(t)
	dir := filepath.Join(t.TempDir(), "two")
	writeFiles(t, dir, map[string]string{"Kbuild": "obj-m := two.o\ntwo-y := a.o b.o\nccflags-y := -DGREETING=1\n",
		"a.c": "#include <linux/module.h>\nint b(void);\nstatic int __init a_init(void) { return b() - GREETING; }\n" +
			"module_init(a_init);\nMODULE_LICENSE(\"GPL\");\n",
		"b.c": "int b(void) { return 1; }\n"})
	dash := filepath.Join(t.TempDir(), "my-mod")
	writeFiles(t, dash, map[string]string{"Kbuild": "obj-m := my-mod.o\n",
		"my-mod.c": "#include <linux/module.h>\nMODULE_LICENSE(\"GPL\");\n"})
	for _, d := range []string{dir, dash} {
		var out bytes.Buffer
		m, err := Build(context.Background(), d, k.BuildDir, Options{WorkDir: t.TempDir(), Output: &out})
		if err != nil {
			t.Fatalf("build %s: %v", filepath.Base(d), err)
		}
		if !strings.Contains(out.String(), "Entering directory") {
			t.Errorf("%s was not built with make:\n%s", filepath.Base(d), out.String())
		}
		t.Logf("built %s", m.KO)
	}
}

func TestSandboxedDirectBuild(t *testing.T) {
	k := cachedKernel(t)
	needSandbox(t)
	hello := seedCopies(t)[0]
	var out bytes.Buffer
	if _, err := Build(context.Background(), hello, k.BuildDir, Options{WorkDir: t.TempDir(), Output: &out,
		Sandbox: graderSandbox(k, "direct"), Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Entering directory") {
		t.Errorf("hello was built with make, not directly:\n%s", out.String())
	}
	host := filepath.Join(t.TempDir(), "host")
	writeFiles(t, host, map[string]string{"Kbuild": "obj-m := host.o\n", "host.c": "#include \"/etc/hostname\"\n"})
	bothWays(t, func(t *testing.T) {
		_, err := Build(context.Background(), host, k.BuildDir, Options{WorkDir: t.TempDir(), Sandbox: graderSandbox(k, "direct")})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Build = %v, want a build error", err)
		}
		if d := strings.Join(e.Diagnostics(), "\n"); !strings.Contains(d, "/etc/hostname: No such file or directory") {
			t.Errorf("diagnostics lack the missing /etc/hostname:\n%s", d)
		}
	})
}
