package setup

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

func TestForCommand(t *testing.T) {
	empty := kernel.Options{CacheDir: t.TempDir()}
	tests := []struct {
		command, kernel string
		want            []Purpose
	}{
		{"check", "", []Purpose{Boot, BuildModules, Fetch}},
		{"check", "debian-6.12", []Purpose{Boot, BuildModules, Fetch}},
		{"grade", "", []Purpose{Boot, BuildModules, Grade, Fetch}},
		{"check", "minimal", []Purpose{Boot, BuildModules, BuildKernel}},
		{"check", "host", []Purpose{Boot, BuildModules}},
		{"build", "/src/linux", []Purpose{BuildModules}},
		{"kernel", "minimal-debug", []Purpose{BuildKernel}},
		{"shell", "host", []Purpose{Boot, BuildModules}},
		{"debug", "host", []Purpose{Boot, BuildModules, Debug}},
		{"check", "debian-6.1-arm64", []Purpose{Boot, BuildModules, Arm64, Fetch}},
	}
	for _, tt := range tests {
		got := ForCommand(tt.command, tt.kernel, empty)
		if !slices.Equal(got, tt.want) {
			t.Errorf("ForCommand(%q, %q) = %v, want %v", tt.command, tt.kernel, got, tt.want)
		}
		for _, n := range For(got...) {
			if n.Path == "xmllint" {
				t.Errorf("ForCommand(%q, %q) needs xmllint, which only this repository's tests use", tt.command, tt.kernel)
			}
		}
	}
}

func TestEveryNeedHasAPurpose(t *testing.T) {
	for _, n := range Needs {
		if len(n.For) == 0 || n.Package == "" || n.Why == "" {
			t.Errorf("need %+v: want a package, a reason and at least one purpose", n)
		}
	}
	if got := For(Purposes...); len(got) != len(Needs) {
		t.Errorf("For(every purpose) = %d needs, want all %d", len(got), len(Needs))
	}
}

func TestCheckGivesTheCommand(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // nothing is installed
	err := Check("lkmlab check", Boot, Grade)
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("Check = %v, want a *MissingError", err)
	}
	for _, want := range []string{"lkmlab check needs", "sudo apt-get install qemu-system-x86 bubblewrap util-linux", "lkmlab setup --for boot,grade"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := Check("nothing"); err != nil {
		t.Errorf("Check with no purpose: %v", err)
	}
}

func TestParsePurpose(t *testing.T) {
	for _, p := range Purposes {
		if got, err := ParsePurpose(string(p)); err != nil || got != p {
			t.Errorf("ParsePurpose(%q) = %q, %v", p, got, err)
		}
	}
	if _, err := ParsePurpose("fly"); err == nil || !strings.Contains(err.Error(), "build-kernel") {
		t.Errorf("ParsePurpose(fly) = %v, want an error listing the purposes", err)
	}
}

func TestUserNamespaces(t *testing.T) {
	files := func(kv ...string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == name {
					return []byte(kv[i+1] + "\n"), nil
				}
			}
			return nil, fs.ErrNotExist
		}
	}
	ok := func() error { return nil }
	denied := func() error { return errors.New("bwrap: setting up uid map: Permission denied") }
	tests := []struct {
		name string
		h    usernsHost
		want string // "" means allowed
	}{
		{"root", usernsHost{euid: 0, readFile: files("/proc/sys/user/max_user_namespaces", "0"), probe: ok}, ""},
		{"root in a container", usernsHost{euid: 0, readFile: files(), probe: denied}, "LKMLAB_SANDBOX=container"},
		{"allowed", usernsHost{euid: 1000, readFile: files("/proc/sys/user/max_user_namespaces", "63000"), probe: ok}, ""},
		{"no namespaces", usernsHost{euid: 1000, readFile: files("/proc/sys/user/max_user_namespaces", "0"), probe: ok},
			"sysctl -w user.max_user_namespaces=15000"},
		{"debian switch", usernsHost{euid: 1000, readFile: files("/proc/sys/kernel/unprivileged_userns_clone", "0"), probe: ok},
			"sysctl -w kernel.unprivileged_userns_clone=1"},
		{"ubuntu apparmor", usernsHost{euid: 1000, readFile: files("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"), probe: denied},
			"kernel.apparmor_restrict_unprivileged_userns=0"},
		{"ubuntu apparmor with a bwrap profile", usernsHost{euid: 1000,
			readFile: files("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"), probe: ok}, ""},
		{"probe fails", usernsHost{euid: 1000, readFile: files(), probe: denied}, "Permission denied"},
		{"no bwrap", usernsHost{euid: 1000, readFile: files()}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.check()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("check = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrUserNamespaces) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("check = %v, want ErrUserNamespaces saying %q", err, tt.want)
			}
		})
	}
}
