package initramfs

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeKO compiles a hand-written C file holding only a .modinfo section
// (what SupportModules reads) into dir/name.ko: an ELF object like a
// module, not a kernel module.
func fakeKO(t *testing.T, dir, name, modinfo string) {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: apt-get install gcc")
	}
	src := filepath.Join(t.TempDir(), name+".c")
	c := `static const char info[] __attribute__((section(".modinfo"), used)) = "` + modinfo + `";` + "\n"
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-c", "-o", filepath.Join(dir, name+".ko"), src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
}

func TestSupportModulesOrdersDependenciesFirst(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "kernel", "drivers")
	os.MkdirAll(sub, 0o755)
	fakeKO(t, sub, "top", `license=GPL\0depends=mid,base-mod,absent`)
	fakeKO(t, dir, "mid", `depends=base_mod`)
	fakeKO(t, sub, "base_mod", `depends=`)
	fakeKO(t, dir, "unrelated", `depends=`)

	files, err := SupportModules(dir, "top", "not-in-this-kernel")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f.Host)+" "+f.Guest)
	}
	want := []string{
		"base_mod.ko /lib/modules/support/base_mod.ko",
		"mid.ko /lib/modules/support/mid.ko",
		"top.ko /lib/modules/support/top.ko",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SupportModules = %q, want %q", got, want)
	}
	if files, err := SupportModules("", "top"); files != nil || err != nil {
		t.Errorf("no modules folder: %v, %v; want nothing", files, err)
	}
}

func TestSupportModulesNamesABrokenFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.ko"), []byte("truncated download"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := SupportModules(dir, "bad")
	if err == nil || !strings.Contains(err.Error(), "bad.ko") || !strings.HasPrefix(err.Error(), "find support modules") {
		t.Fatalf("SupportModules on a broken .ko = %v, want an error naming it", err)
	}
}
