package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/agentbin/agentgen"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestStandalone uses lkmlab the way someone who never saw this repository
// does: the binary installed with go install into a GOBIN of its own, run
// from a folder outside the repository, with no Go toolchain in PATH, as
// an unprivileged user whose cache starts empty. The user fetches the
// kernel itself (Debian's packages through lkmlab's private apt state need
// no root), starts a module with lkmlab new and checks it, checks a copy
// of modules/hello, and grades a submission holding hello.c. Each must
// give verdicts: passes, here.
func TestStandalone(t *testing.T) {
	needVM(t)
	requireCurrentAgent(t)
	u := newUser(t)
	lk := installLkmlab(t, u)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	if out, err := u.run(ctx, u.base, lk, "version"); err != nil || !strings.Contains(out, "agent  sha256:") {
		t.Fatalf("lkmlab version: %v\n%s", err, out)
	}
	if _, err := u.run(ctx, u.base, lk, "kernel", "--kernel", kernelName()); err != nil {
		skipOrFailf(t, "the unprivileged user could not fetch %s (is the network reachable?): %v", kernelName(), err)
	}
	t.Run("new and check", func(t *testing.T) {
		dir := u.mkdir(t, "new")
		if out, err := u.run(ctx, dir, lk, "new", "demo"); err != nil {
			t.Fatalf("lkmlab new demo: %v\n%s", err, out)
		}
		assertModulePassed(t, u, ctx, lk, dir, "demo")
	})
	t.Run("check a copy of hello", func(t *testing.T) {
		dir := u.mkdir(t, "mods")
		u.copyDir(t, "../modules/hello", filepath.Join(dir, "hello"))
		assertModulePassed(t, u, ctx, lk, dir, "hello")
	})
	t.Run("grade", func(t *testing.T) {
		subs := u.mkdir(t, "subs")
		u.copyDir(t, "../modules/hello", filepath.Join(subs, "alice"))
		// A source no build has seen, and relative folders, as a person
		// types them: make -C KDIR must get an absolute M=.
		src := filepath.Join(subs, "alice", "hello.c")
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(src, append(b, "\n/* alice's */\n"...), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := u.run(ctx, u.base, lk, "grade", "--kernel", kernelName(), "--json", "--out", "grades", "subs/alice")
		if err != nil {
			t.Fatalf("lkmlab grade: %v\n%s", err, out)
		}
		assertGradedHello(t, out)
	})
}

// kernelName is the kernel the test boots (LKMLAB_KERNEL, default debian-6.1).
func kernelName() string {
	if k := os.Getenv("LKMLAB_KERNEL"); k != "" {
		return k
	}
	return "debian-6.1"
}

// assertModulePassed runs lkmlab check --json on one module and wants a
// passing verdict for it.
func assertModulePassed(t *testing.T, u *user, ctx context.Context, lk, dir, name string) {
	t.Helper()
	out, err := u.run(ctx, dir, lk, "check", "--kernel", kernelName(), "--json", "--modules", ".", name)
	if err != nil {
		t.Fatalf("lkmlab check --modules . %s: %v\n%s", name, err, out)
	}
	var r struct { // what lkmlab check --json prints (lab/report)
		Modules []struct {
			Name    string
			Verdict result.Verdict
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("lkmlab check --json: %v\n%s", err, out)
	}
	if len(r.Modules) != 1 || r.Modules[0].Name != name || r.Modules[0].Verdict != result.Pass {
		t.Fatalf("report %+v, want %s passed:\n%s", r.Modules, name, out)
	}
}

// assertGradedHello wants the student's hello task graded pass.
func assertGradedHello(t *testing.T, out string) {
	t.Helper()
	var rs []struct {
		Student string
		Tasks   []struct {
			Name    string
			Verdict result.Verdict
		}
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("lkmlab grade --json: %v\n%s", err, out)
	}
	if len(rs) != 1 {
		t.Fatalf("graded %d students, want 1:\n%s", len(rs), out)
	}
	for _, task := range rs[0].Tasks {
		if task.Name == "hello" {
			if task.Verdict != result.Pass {
				t.Fatalf("hello graded %s, want pass:\n%s", task.Verdict, out)
			}
			return
		}
	}
	t.Fatalf("no hello task in the grade:\n%s", out)
}

// requireCurrentAgent fails when lab/agentbin is older than guest/: the
// installed binary carries that agent, not the one TestMain builds.
func requireCurrentAgent(t *testing.T) {
	t.Helper()
	err := agentgen.Generate(context.Background(), agentgen.Options{Root: "..", Check: true})
	if err != nil {
		t.Fatalf("%v (the installed lkmlab would boot an agent older than guest/)", err)
	}
}

// user runs commands as an unprivileged user: nobody, through setpriv,
// when the test runs as root; else the user running the test.
type user struct {
	base     string   // a folder the user owns, outside the repository
	uid, gid int      // -1 when running as the test's own user
	env      []string // PATH without go, HOME and the cache in base
}

func newUser(t *testing.T) *user {
	t.Helper()
	u := &user{uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("setpriv"); err != nil {
			skipOrFailf(t, "setpriv not found: apt-get install util-linux (the test runs lkmlab as nobody)")
		}
		u.uid, u.gid = 65534, 65534 // nobody, nogroup
	}
	// Not t.TempDir: its parent is private to root, and nobody must reach
	// base.
	base, err := os.MkdirTemp("", "lkmlab-standalone-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	u.base = base
	u.chown(t, base)
	home := u.mkdir(t, "home")
	u.env = []string{"PATH=" + pathWithoutGo(t), "HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"LANG=C.UTF-8", "TMPDIR=" + u.mkdir(t, "tmp")}
	return u
}

// pathWithoutGo is $PATH less every folder holding a go binary.
func pathWithoutGo(t *testing.T) string {
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "go")); err != nil && d != "" {
			keep = append(keep, d)
		}
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
		if !strings.Contains(":"+strings.Join(keep, ":")+":", ":"+d+":") {
			keep = append(keep, d)
		}
	}
	p := strings.Join(keep, string(filepath.ListSeparator))
	for _, d := range keep {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			t.Fatalf("PATH %s still finds go", p)
		}
	}
	return p
}

func (u *user) mkdir(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(u.base, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u.chown(t, dir)
	return dir
}

func (u *user) chown(t *testing.T, path string) {
	t.Helper()
	if u.uid < 0 {
		return
	}
	err := filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, u.uid, u.gid)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// copyDir copies a module's regular files into dst, owned by the user.
func (u *user) copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	u.chown(t, dst)
}

// run runs lk with args in dir as the user, and returns its standard
// output; an error carries the standard error, where lkmlab says why.
func (u *user) run(ctx context.Context, dir, lk string, args ...string) (string, error) {
	argv := append([]string{lk}, args...)
	if u.uid >= 0 {
		argv = append([]string{"setpriv", fmt.Sprintf("--reuid=%d", u.uid), fmt.Sprintf("--regid=%d", u.gid), "--clear-groups", "--"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, u.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, stderr.Bytes())
	}
	return stdout.String(), nil
}

// installLkmlab runs go install into a GOBIN of the test's own and
// returns the binary, which the user can run.
func installLkmlab(t *testing.T, u *user) string {
	t.Helper()
	gobin := filepath.Join(u.base, "bin")
	if err := os.Mkdir(gobin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "install", "github.com/lkmlab/lkmlab/lab/cmd/lkmlab")
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	return filepath.Join(gobin, "lkmlab")
}

// skipOrFailf skips, or fails when LKMLAB_REQUIRE_VM=1 (CI).
func skipOrFailf(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatalf("%s (LKMLAB_REQUIRE_VM=1: VM tests must run)", msg)
	}
	t.Skip(msg)
}
