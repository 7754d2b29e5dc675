package kbuild

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The direct path builds a one-file module by running the commands of
// the tree's recipe (recipe.go) in one shell, in the sandbox when there
// is one: the same compiler, flags, objtool, modpost and link as make
// runs, without make re-reading the kernel's makefiles (2.7 of a hello
// build's 3.6 s on Debian's 6.1). LKMLAB_KBUILD=make turns it off.

// directMethod names the build method in the build cache's key.
func directMethod() string {
	if os.Getenv("LKMLAB_KBUILD") == "make" {
		return "make"
	}
	return fmt.Sprintf("direct-%d", recipeVersion)
}

// kbuildLine is the one line of a Kbuild file the direct path builds:
// "obj-m := NAME.o" (or += or =).
var kbuildLine = regexp.MustCompile(`^obj-m\s*[:+]?=\s*([A-Za-z0-9_]+)\.o$`)

// directName returns the module name when the module folder dir can be
// built directly: its Kbuild is one obj-m line naming NAME.o with
// NAME.c beside it, and no source exports a symbol (Kbuild then runs
// genksyms, a step no .cmd file records).
func directName(dir string) (string, bool) {
	if directMethod() == "make" {
		return "", false
	}
	b, err := os.ReadFile(filepath.Join(dir, "Kbuild"))
	if err != nil {
		return "", false
	}
	var name string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := kbuildLine.FindStringSubmatch(l)
		if m == nil || name != "" {
			return "", false
		}
		name = m[1]
	}
	if name == "" || name == probeName {
		return "", false
	}
	if _, err := os.Stat(filepath.Join(dir, name+".c")); err != nil {
		return "", false
	}
	return name, !exportsSymbols(dir)
}

func exportsSymbols(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.Type().IsRegular() || !isSource(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || bytes.Contains(b, []byte("EXPORT_SYMBOL")) {
			return true
		}
	}
	return false
}

// safePath matches folders a command line can name unquoted, as make
// does: anything else builds with make.
var safePath = regexp.MustCompile(`^[A-Za-z0-9_./+-]+$`)

// script returns the shell script that builds module name in work with
// r's commands; ok is false when r cannot (it says to use make).
func (r *recipe) script(kdir, work, name string) (string, bool) {
	if r.Make != "" || !safePath.MatchString(work) || strings.Contains(work, probeName) {
		return "", false
	}
	var b strings.Builder
	// set -e as Kbuild's own command wrapper: the first failing command
	// ends the build with its status.
	fmt.Fprintf(&b, "set -e\ncd %s\n", shellQuote(kdir))
	sub := strings.NewReplacer(r.Dir, work)
	for _, kv := range r.Env {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(strings.ReplaceAll(sub.Replace(v), probeName, name)))
	}
	for _, s := range r.Steps {
		target := filepath.Join(work, strings.ReplaceAll(s.Target, probeName, name))
		if s.Label != "" {
			fmt.Fprintf(&b, "echo %s\n", shellQuote(fmt.Sprintf("  %-7s %s", s.Label, target)))
		}
		cmd := strings.ReplaceAll(sub.Replace(s.Cmd), probeName, name)
		fmt.Fprintf(&b, "( %s\n)\n", cmd)
		if s.Fixdep {
			dep := filepath.Join(work, "."+filepath.Base(target)+".d")
			fmt.Fprintf(&b, "scripts/basic/fixdep %s %s 'lkmlab direct build' > %s\nrm -f %s\n",
				shellQuote(dep), shellQuote(target), shellQuote(filepath.Join(work, "."+filepath.Base(target)+".cmd")), shellQuote(dep))
		}
	}
	return b.String(), true
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// directScript returns the script that builds the module copy in
// j.work directly, or ok false when it must build with make.
func directScript(ctx context.Context, j makeJob, opts Options) (script string, ok bool) {
	name, ok := directName(j.work)
	if !ok {
		return "", false
	}
	work, err := filepath.Abs(j.work)
	if err != nil {
		return "", false
	}
	r, err := recipeFor(ctx, j.kdir, opts)
	if err != nil {
		if opts.Logf != nil {
			opts.Logf("build %s: with make: %v", name, err)
		}
		return "", false
	}
	return r.script(j.kdir, work, name)
}
