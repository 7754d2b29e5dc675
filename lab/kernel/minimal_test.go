package kernel

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{
			name: "values, unset and comments",
			in:   "# a comment\n\nCONFIG_A=y\nCONFIG_B=\"-x\"\n# CONFIG_C is not set\nCONFIG_D=n\n  CONFIG_E=0x10  \n",
			want: map[string]string{"CONFIG_A": "y", "CONFIG_B": `"-x"`, "CONFIG_C": "n", "CONFIG_D": "n", "CONFIG_E": "0x10"},
		},
		{name: "later line wins", in: "CONFIG_A=y\nCONFIG_A=m\n", want: map[string]string{"CONFIG_A": "m"}},
		{name: "no prefix", in: "CONFIG_A=y\nFOO=y\n", err: `line 2: "FOO=y"`},
		{name: "no value", in: "CONFIG_A\n", err: `line 1: "CONFIG_A"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parseConfig = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestEmbeddedFragments(t *testing.T) {
	for _, p := range minimalProfiles {
		want, err := p.wantedConfig()
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		for _, sym := range []string{"CONFIG_PVH", "CONFIG_MODULES", "CONFIG_SERIAL_8250_CONSOLE"} {
			if want[sym] != "y" {
				t.Errorf("%s: %s = %q, want y", p.name, sym, want[sym])
			}
		}
	}
	debug, _ := lookupMinimal("minimal-debug")
	want, _ := debug.wantedConfig()
	if got := want["CONFIG_LOCALVERSION"]; got != `"-lkmlab-debug"` {
		t.Errorf("minimal-debug LOCALVERSION = %s: debug.config, merged last, should win", got)
	}
}

func TestVerifyConfig(t *testing.T) {
	want := map[string]string{"CONFIG_A": "y", "CONFIG_NR": "8", "CONFIG_OFF": "n", "CONFIG_GONE": "n"}
	const good = "CONFIG_A=y\nCONFIG_NR=8\n# CONFIG_OFF is not set\nCONFIG_OTHER=y\n"
	for _, tc := range []struct {
		name, final string
		errs        []string // substrings of the error; none means success
	}{
		{name: "all applied", final: good},
		{name: "dropped", final: "CONFIG_NR=8\n# CONFIG_OFF is not set\n", errs: []string{"CONFIG_A is absent (want y)"}},
		{name: "unset", final: "# CONFIG_A is not set\nCONFIG_NR=8\n", errs: []string{"CONFIG_A is not set (want y)"}},
		{name: "changed", final: "CONFIG_A=m\nCONFIG_NR=64\n", errs: []string{"CONFIG_A is m (want y)", "CONFIG_NR is 64 (want 8)"}},
		{name: "off but on", final: "CONFIG_A=y\nCONFIG_NR=8\nCONFIG_OFF=y\nCONFIG_GONE=m\n",
			errs: []string{"CONFIG_OFF=y (want it off)", "CONFIG_GONE=m (want it off)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := verifyConfig(want, []byte(tc.final), "frag.config")
			if len(tc.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("verifyConfig accepted a config that lacks fragment lines")
			}
			for _, s := range append(tc.errs, "frag.config") {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestCacheKey(t *testing.T) {
	p, _ := lookupMinimal("minimal")
	key := p.cacheKey("6.1.192-2", "12.2.0")
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(key) {
		t.Fatalf("key %q is not 12 hex digits", key)
	}
	if again := p.cacheKey("6.1.192-2", "12.2.0"); again != key {
		t.Fatalf("key changed between calls: %s, %s", key, again)
	}
	edited := p
	edited.fragments = []fragment{{"minimal.config", append(slices.Clone(minimalFragment), "CONFIG_X=y\n"...)}}
	debug, _ := lookupMinimal("minimal-debug")
	for name, other := range map[string]string{
		"source version": p.cacheKey("6.1.193-1", "12.2.0"),
		"compiler":       p.cacheKey("6.1.192-2", "12.3.0"),
		"fragment bytes": edited.cacheKey("6.1.192-2", "12.2.0"),
		"profile":        debug.cacheKey("6.1.192-2", "12.2.0"),
	} {
		if other == key {
			t.Errorf("a different %s gives the same key %s", name, key)
		}
	}
}

func TestLookupMinimal(t *testing.T) {
	for name, want := range map[string]string{
		"minimal": "minimal-6.1", "minimal-6.1": "minimal-6.1",
		"minimal-debug": "minimal-debug", "minimal-debug-6.1": "minimal-debug",
		"minimal-5.10": "minimal-5.10",
	} {
		if p, ok := lookupMinimal(name); !ok || p.name != want {
			t.Errorf("lookupMinimal(%q) = %q, %v; want %q", name, p.name, ok, want)
		}
	}
	for _, name := range []string{"minimal-6.2", "minimal-", "debug", "Minimal", ""} {
		if p, ok := lookupMinimal(name); ok {
			t.Errorf("lookupMinimal(%q) = %q, want no match", name, p.name)
		}
	}
}

func TestProgressCounting(t *testing.T) {
	var log strings.Builder
	p := &buildProgress{}
	out := &outputTail{log: &log, progress: p}
	chunks := []string{
		"  SYNC    include/config/auto.conf\n  HOSTCC  scripts/basic/fixdep\n  CC     ",
		" init/main.o\n  AS      arch/x86/entry/entry_64.o\n  AR      init/built-in.a\n",
		"  LD      vmlinux.o\n  CC [M]  /m/hello.o\n  LDS     scripts/module.lds\nwarning: CC is odd\n  CC      kernel/fork.o",
	}
	for _, c := range chunks {
		out.Write([]byte(c))
	}
	if got := p.files(); got != 4 {
		t.Errorf("counted %d files before the last line ends, want 4 (CC, AS, LD, CC [M])", got)
	}
	out.Write([]byte("\n"))
	if got := p.files(); got != 5 {
		t.Errorf("counted %d files, want 5", got)
	}
	if log.String() != strings.Join(chunks, "")+"\n" {
		t.Error("the log did not get the output verbatim")
	}
	if lines := out.lines(); lines[len(lines)-1] != "  CC      kernel/fork.o" {
		t.Errorf("tail ends with %q", lines[len(lines)-1])
	}
}

func TestOutputTailKeepsLastLines(t *testing.T) {
	out := &outputTail{log: &strings.Builder{}}
	for i := range makeTailLines + 10 {
		out.Write([]byte(strings.Repeat("x", i) + "\n"))
	}
	out.Write([]byte("unterminated"))
	lines := out.lines()
	if len(lines) != makeTailLines || lines[len(lines)-1] != "unterminated" {
		t.Fatalf("lines() = %d lines ending %q, want %d ending with the unterminated one", len(lines), lines[len(lines)-1], makeTailLines)
	}
}

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		done, total int
		want        string
	}{
		{812, 1400, "build minimal-6.1: 812/1400 files (58%), 4m10s"},
		{0, 1400, "build minimal-6.1: 0/1400 files (0%), 4m10s"},
		{1500, 1400, "build minimal-6.1: 1500/1500 files (99%), 4m10s"},
	} {
		if got := progressLine("minimal-6.1", tc.done, tc.total, 250*time.Second+300*time.Millisecond); got != tc.want {
			t.Errorf("progressLine(%d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
}

func TestReadFileCount(t *testing.T) {
	dir := t.TempDir()
	if got := readFileCount(filepath.Join(dir, "none")); got != estimatedFiles {
		t.Errorf("missing file: %d, want the estimate %d", got, estimatedFiles)
	}
	if got := readFileCount(writeFile(t, dir, "ok", []byte("1234\n"))); got != 1234 {
		t.Errorf("got %d, want 1234", got)
	}
	if got := readFileCount(writeFile(t, dir, "bad", []byte("x"))); got != estimatedFiles {
		t.Errorf("garbage: %d, want the estimate", got)
	}
}

func TestBuildEnviron(t *testing.T) {
	got := buildEnviron([]string{"PATH=/bin", "MAKEFLAGS=s -j4", "MAKELEVEL=1", "MAKEFLAGSX=1", "KBUILD_OUTPUT=/o"})
	if want := []string{"PATH=/bin", "MAKEFLAGSX=1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("buildEnviron = %v, want %v", got, want)
	}
}

func TestCheckBuildTools(t *testing.T) {
	if err := checkBuildTools(func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	err := checkBuildTools(func(p string) bool { return p != "flex" && p != "/usr/include/gelf.h" })
	if err == nil {
		t.Fatal("no error with flex and gelf.h missing")
	}
	for _, want := range []string{"flex, /usr/include/gelf.h", "apt-get install flex libelf-dev", "lkmlab setup"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestPruneTree(t *testing.T) {
	out := t.TempDir()
	gone := []string{"init/main.o", "init/.main.o.cmd", "vmlinux.o", ".tmp_vmlinux.kallsyms1", ".vmlinux.cmd"}
	kept := []string{"scripts/mod/modpost.o", "scripts/.x.cmd", "tools/objtool/objtool.o", "tools/objtool/.y.cmd",
		"include/generated/autoconf.h", ".config", "Module.symvers", "Makefile", "vmlinux", "init/built-in.a", "a.cmd"}
	for _, f := range append(slices.Clone(gone), kept...) {
		writeFile(t, out, f, []byte("x"))
	}
	if err := pruneTree(out); err != nil {
		t.Fatal(err)
	}
	for _, f := range gone {
		if exists(filepath.Join(out, f)) {
			t.Errorf("%s was kept", f)
		}
	}
	for _, f := range kept {
		if !exists(filepath.Join(out, f)) {
			t.Errorf("%s was removed", f)
		}
	}
}

func TestRemoveOlderBuilds(t *testing.T) {
	kernels := t.TempDir()
	p, _ := lookupMinimal("minimal")
	keep, older := p.dirName("aaaaaaaaaaaa"), p.dirName("bbbbbbbbbbbb")
	others := []string{"minimal-debug-cccccccccccc", "minimal-6.1-notakey", "debian-6.1.0-56-amd64"}
	for _, d := range append([]string{keep, older}, others...) {
		writeFile(t, filepath.Join(kernels, d), "f", nil)
	}
	writeFile(t, kernels, "minimal-6.1.lock", nil)
	removeOlderBuilds(kernels, p, keep, t.Logf)
	if exists(filepath.Join(kernels, older)) {
		t.Error("the older build was kept")
	}
	for _, d := range append([]string{keep, "minimal-6.1.lock"}, others...) {
		if !exists(filepath.Join(kernels, d)) {
			t.Errorf("%s was removed", d)
		}
	}
}

func TestBuildMinimalInDiscardsFailure(t *testing.T) {
	o := mustDefaults(t)
	p, _ := lookupMinimal("minimal")
	dir := filepath.Join(o.kernelsDir(), p.dirName("aaaaaaaaaaaa"))
	writeFile(t, dir, "src/leftover", []byte("from a killed run"))
	src := kernelSource{version: "1", tarball: filepath.Join(t.TempDir(), "missing.tar.xz")}
	_, err := buildMinimalIn(context.Background(), &minimalBuild{profile: p, src: src, dir: dir, o: o})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, buildLogFile)) {
		t.Fatalf("err = %v, want a failure naming the build log", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != buildLogFile {
		t.Errorf("a failed build left %v, want only its log", entries)
	}
	if loadReady(dir) != nil {
		t.Error("a failed build is marked ready")
	}
}

func TestResolveMinimalUsesCache(t *testing.T) {
	o := mustDefaults(t)
	ctx := context.Background()
	p, _ := lookupMinimal("minimal")
	src, err := findSource(ctx, o, p, false)
	if err != nil {
		t.Skipf("no %s without the network here: %v", p.pin().Package, err)
	}
	gcc, err := gccVersion(ctx)
	if err != nil {
		t.Skip(err)
	}
	want := fakeReady(t, o, p.dirName(p.cacheKey(src.version, gcc)))
	k, err := Resolve(ctx, "minimal", o)
	if err != nil || !reflect.DeepEqual(k, want) {
		t.Fatalf("Resolve = %+v, %v; want the cached %+v", k, err, want)
	}
}
