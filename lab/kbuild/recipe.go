package kbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
)

// A recipe is the list of commands Kbuild runs to build a one-file module
// against one kernel tree, read once from a probe module's .cmd files, so
// that later builds run those commands without make (see direct.go).

// recipeVersion changes whenever the recipe's format or derivation does;
// it is part of the recipe's and the build cache's keys.
const recipeVersion = 2

// probeName is the probe module's name: unique enough that every
// occurrence in a command is the module's name.
const probeName = "lkmlabprobe"

// probeSource exercises what a recipe must reproduce: MODULE_VERSION
// makes modpost add a srcversion, which reads the object's .cmd file.
const probeSource = `#include <linux/module.h>
#include <linux/init.h>
static int __init lkmlabprobe_init(void) { return 0; }
static void __exit lkmlabprobe_exit(void) { }
module_init(lkmlabprobe_init);
module_exit(lkmlabprobe_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION("1");
`

// recipe is what a tree's Kbuild runs for the probe.
type recipe struct {
	Version int    `json:"version"`
	Dir     string `json:"dir"`  // the probe folder the commands name
	Make    string `json:"make"` // non-empty: why this tree builds with make
	// Env are the variables make exports to its commands ("NAME=value"),
	// beyond those the build's own environment has: Debian's objtool
	// wrapper reads SRCARCH.
	Env   []string `json:"env"`
	Steps []step   `json:"steps"`
}

// step is one Kbuild target's command, as the shell runs it.
type step struct {
	Target string `json:"target"` // file name in the module folder
	Label  string `json:"label"`  // make's short line, such as "CC [M]"; "" prints none
	Cmd    string `json:"cmd"`
	// Fixdep writes the target's .cmd file from the compiler's
	// dependencies, as make does: modpost reads it for srcversion.
	Fixdep bool `json:"fixdep,omitempty"`
}

// recipeTargets are the targets a one-file module's build makes, in the
// order Kbuild makes them (scripts/Makefile.build, Makefile.modpost,
// Makefile.modfinal); optional ones only some kernel versions have.
var recipeTargets = []struct {
	name, label string
	optional    bool
}{
	{probeName + ".o", "CC [M]", false},
	{probeName + ".mod", "", false},
	{"modules.order", "", false},
	{"Module.symvers", "MODPOST", false},
	{probeName + ".mod.o", "CC [M]", false},
	{".module-common.o", "CC [M]", true}, // 6.12 and later
	{probeName + ".ko", "LD [M]", false},
}

// recipeLocks keeps parallel builds in this process from deriving the
// same recipe twice.
var recipeLocks sync.Map

// recipeFor returns kdir's recipe for opts, deriving and storing it the
// first time; a recipe whose Make is set says to use make.
func recipeFor(ctx context.Context, kdir string, opts Options) (*recipe, error) {
	key, err := recipeKey(kdir, opts)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(kinfo.DefaultCacheDir(), "kbuild-recipes")
	path := filepath.Join(dir, key+".json")
	mu, _ := recipeLocks.LoadOrStore(path, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	if r, err := loadRecipe(path); err == nil {
		return r, nil
	}
	r, err := deriveRecipe(ctx, kdir, dir, opts)
	if err != nil {
		return nil, err // a failed probe build is not stored: it may be the host's
	}
	if err := storeRecipe(path, r); err != nil {
		return nil, err
	}
	return r, nil
}

// recipeEnv are environment variables Kbuild or the compiler read; the
// sandbox clears them, a build outside it inherits them.
var recipeEnv = []string{"PATH", "ARCH", "CROSS_COMPILE", "CC", "LD", "LLVM", "KCFLAGS", "KCPPFLAGS", "KAFLAGS",
	"CFLAGS_MODULE", "LDFLAGS_MODULE", "KBUILD_EXTRA_SYMBOLS", "KBUILD_VERBOSE", "SOURCE_DATE_EPOCH",
	"KBUILD_BUILD_TIMESTAMP", "GCC_EXEC_PREFIX", "COMPILER_PATH", "C_INCLUDE_PATH", "CPATH"}

// recipeKey names a recipe by everything its commands depend on: the
// tree, the make arguments, the sandbox and the environment it passes.
func recipeKey(kdir string, opts Options) (string, error) {
	abs, err := filepath.Abs(kdir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "recipe %d\nkdir %s\nmake %s\nargs %q\n", recipeVersion, abs, or2(opts.Make, "make"), opts.ExtraArgs)
	if opts.Sandbox != nil {
		fmt.Fprintf(h, "sandbox %s container=%v\n", sandboxEpoch, containerMode())
	} else {
		for _, v := range recipeEnv {
			fmt.Fprintf(h, "env %s=%q\n", v, os.Getenv(v))
		}
	}
	for _, f := range []string{".config", "Module.symvers", "Makefile"} {
		if fi, err := os.Stat(filepath.Join(abs, f)); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", f, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

func loadRecipe(path string) (*recipe, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r recipe
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if r.Version != recipeVersion {
		return nil, fmt.Errorf("recipe %s: version %d, want %d", path, r.Version, recipeVersion)
	}
	return &r, nil
}

func storeRecipe(path string, r *recipe) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + fmt.Sprintf(".%d.tmp", os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("store build recipe: %w", err)
	}
	return os.Rename(tmp, path)
}

// deriveRecipe builds the probe with make, reads its commands, and
// replays them on the probe: a recipe that does not make the same .ko
// byte for byte says to use make.
func deriveRecipe(ctx context.Context, kdir, dir string, opts Options) (*recipe, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("derive build recipe: %w", err)
	}
	probe, err := os.MkdirTemp(dir, "probe-")
	if err != nil {
		return nil, fmt.Errorf("derive build recipe: %w", err)
	}
	defer os.RemoveAll(probe)
	if err := writeProbe(probe); err != nil {
		return nil, fmt.Errorf("derive build recipe: %w", err)
	}
	o := opts
	o.Output, o.Cache = nil, ""
	if out, _, err := execute(ctx, probe, makeArgv(kdir, probe, o), o); err != nil {
		return nil, fmt.Errorf("derive build recipe: build the probe module with make: %w\n%s", err, lastLines(out, 10))
	}
	r := readRecipe(probe, kdir)
	if r.Make != "" {
		return r, nil
	}
	if r.Env, err = readEnv(probe, opts.Sandbox != nil); err != nil {
		r.Make = fmt.Sprintf("the probe's environment was not recorded: %v", err)
		return r, nil
	}
	want, err := os.ReadFile(filepath.Join(probe, probeName+".ko"))
	if err != nil {
		return nil, fmt.Errorf("derive build recipe: %w", err)
	}
	if err := os.Remove(filepath.Join(probe, probeName+".ko")); err != nil {
		return nil, fmt.Errorf("derive build recipe: %w", err)
	}
	script, _ := r.script(kdir, probe, probeName)
	out, _, err := execute(ctx, probe, []string{"sh", "-c", script}, o)
	got, _ := os.ReadFile(filepath.Join(probe, probeName+".ko"))
	switch {
	case err != nil:
		r.Make = fmt.Sprintf("the recorded commands fail on the probe: %v: %s", err, lastLines(out, 3))
	case !bytes.Equal(got, want):
		r.Make = "the recorded commands make another .ko than make does (Kbuild runs steps its .cmd files do not record)"
	}
	return r, nil
}

// probeKbuild builds the probe and, as an extra target, writes the
// environment make gives its commands.
const probeKbuild = "obj-m := " + probeName + ".o\n" +
	"always-y += " + probeName + ".env\n" +
	"$(obj)/" + probeName + ".env: FORCE\n\tenv -0 > $@\n"

func writeProbe(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, probeName+".c"), []byte(probeSource), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Kbuild"), []byte(probeKbuild), 0o644)
}

// makeOwnEnv are variables of make's own that a command run without make
// must not see, and the shell's.
var makeOwnEnv = map[string]bool{"MAKEFLAGS": true, "MFLAGS": true, "MAKELEVEL": true, "MAKEOVERRIDES": true,
	"MAKE_TERMOUT": true, "MAKE_TERMERR": true, "PWD": true, "OLDPWD": true, "SHLVL": true, "_": true}

// envName matches a variable a shell can export.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// readEnv reads the probe's recorded environment and keeps the variables
// make added: not its own, not the sandbox's PATH and HOME, and outside
// the sandbox not those this process passes on unchanged.
func readEnv(probe string, sandboxed bool) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(probe, probeName+".env"))
	if err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range strings.Split(string(b), "\x00") {
		k, v, ok := strings.Cut(kv, "=")
		switch {
		case !ok || makeOwnEnv[k] || !envName.MatchString(k):
		case sandboxed && (k == "PATH" || k == "HOME"):
		case !sandboxed && os.Getenv(k) == v:
		default:
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	return env, nil
}

// readRecipe reads the probe's .cmd files into a recipe; anything
// unexpected (a .cmd file of another target, a missing one, a make
// variable left in a command) gives a recipe that says to use make.
func readRecipe(probe, kdir string) *recipe {
	r := &recipe{Version: recipeVersion, Dir: probe}
	cmds, _ := filepath.Glob(filepath.Join(probe, ".*.cmd"))
	known := map[string]bool{}
	for _, t := range recipeTargets {
		known["."+t.name+".cmd"] = true
	}
	sort.Strings(cmds)
	for _, c := range cmds {
		if !known[filepath.Base(c)] {
			r.Make = "the probe's build made " + filepath.Base(c) + ", which a recipe does not know"
			return r
		}
	}
	for _, t := range recipeTargets {
		s, why := readStep(probe, t.name)
		if why == "missing" && t.optional {
			continue
		}
		if why != "" {
			r.Make = t.name + ": " + why
			return r
		}
		s.Label = t.label
		r.Steps = append(r.Steps, s)
	}
	if _, err := os.Stat(filepath.Join(kdir, "scripts", "basic", "fixdep")); err != nil && r.Steps[0].Fixdep {
		r.Make = "the tree has no scripts/basic/fixdep"
	}
	return r
}

// readStep reads the command of one target from its .cmd file; why says
// what is wrong with it, "missing" when there is none.
func readStep(probe, target string) (s step, why string) {
	b, err := os.ReadFile(filepath.Join(probe, "."+target+".cmd"))
	if err != nil {
		return s, "missing"
	}
	text := string(b)
	var line string
	for _, prefix := range []string{"savedcmd_", "cmd_"} {
		head := prefix + filepath.Join(probe, target) + " := "
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, head) && line == "" {
				line = strings.TrimPrefix(l, head)
			}
		}
	}
	if line == "" {
		return s, "no command line in its .cmd file"
	}
	cmd, ok := unescapeMake(line)
	if !ok {
		return s, "a make expression in its command: " + line
	}
	// fixdep writes "source_<target> := <source>" under the command.
	fixdep := strings.Contains(text, "\nsource_"+filepath.Join(probe, target)+" := ")
	return step{Target: target, Cmd: cmd, Fixdep: fixdep && target == probeName+".o"}, ""
}

// unescapeMake undoes what Kbuild's make-cmd does to a command it saves
// in a .cmd file: "$" doubled and "#" written "$(pound)". Any other "$"
// is a make expression the shell cannot run.
func unescapeMake(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '$':
			b.WriteByte(s[i])
		case strings.HasPrefix(s[i:], "$$"):
			b.WriteByte('$')
			i++
		case strings.HasPrefix(s[i:], "$(pound)"):
			b.WriteByte('#')
			i += len("$(pound)") - 1
		default:
			return "", false
		}
	}
	return b.String(), true
}

func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
