package kbuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/command"
)

// Error is a failed build; it carries the compiler's output.
type Error struct {
	Module string
	Src    string // the module's folder, as the user named it
	Dir    string // the build copy the compiler saw
	Output string
	Err    error
	// Names maps the build copy's file names to the ones the user knows
	// (Options.Names). When set, a copy's file without an entry is shown
	// by its bare name, never under Src.
	Names map[string]string
	// Stopped says which limit ended the build ("its time limit (2m0s)"),
	// or is "" when the build ended on its own.
	Stopped string
	// hide maps host paths the compiler may print (the kernel tree, the
	// work folder, the home folder) to neutral labels.
	hide []relabel
}

// Diagnostics returns the compiler's error and warning lines, with the
// build copy's paths turned back into the module's own (or the names in
// Names) and other host paths into labels such as <kernel>, or the last
// lines of the output when there are none.
func (e *Error) Diagnostics() []string {
	rs := e.relabels()
	var diags []string
	lines := strings.Split(strings.TrimRight(e.Output, "\n"), "\n")
	for i, l := range lines {
		l = scrub(l, rs)
		lines[i] = l
		// modpost writes "ERROR: modpost: missing MODULE_LICENSE() in ...".
		if strings.Contains(l, "error:") || strings.Contains(l, "warning:") || strings.Contains(l, "undefined!") || strings.Contains(l, "ERROR: ") {
			diags = append(diags, l)
		}
	}
	if len(diags) == 0 && len(lines) > 0 {
		diags = lines[max(0, len(lines)-10):]
	}
	return diags
}

func (e *Error) Error() string {
	d := e.Diagnostics()
	shown := d[:min(len(d), 20)]
	status := fmt.Sprint(e.Err)
	var ce *command.Error
	if errors.As(e.Err, &ce) {
		status = ce.Status() // its own tail lines are not scrubbed
	}
	head := fmt.Sprintf("build %s: make: %s", e.Module, status)
	if e.Stopped != "" {
		head = fmt.Sprintf("build %s: stopped by %s: make: %s", e.Module, e.Stopped, status)
	}
	msg := head + "\n  " + strings.Join(shown, "\n  ")
	if len(d) > len(shown) {
		msg += fmt.Sprintf("\n  (%d lines omitted)", len(d)-len(shown))
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// relabel is one replacement: a host path and what people see instead.
type relabel struct {
	old, new string
	dir      bool // old is a folder: it matches old/... too
}

// relabels lists e's replacements, most specific first.
func (e *Error) relabels() []relabel {
	var rs []relabel
	if e.Dir != "" {
		dir := filepath.Clean(e.Dir)
		for name, as := range e.Names {
			if mod, file, ok := strings.Cut(name, "/"); ok {
				if mod != e.Module {
					continue
				}
				name = file
			}
			rs = append(rs, relabel{old: dir + "/" + name, new: as}, relabel{old: name, new: as})
		}
		switch {
		case e.Names != nil:
			rs = append(rs, relabel{old: dir, new: "", dir: true})
		case e.Src != "":
			rs = append(rs, relabel{old: dir, new: filepath.Clean(e.Src), dir: true})
		}
	}
	rs = append(rs, e.hide...)
	sort.SliceStable(rs, func(i, j int) bool { return len(rs[i].old) > len(rs[j].old) })
	return rs
}

// scrub replaces, in one pass, each path in line that rs names. A path
// matches only as a whole: not inside a longer name, and a folder only
// when followed by "/" or the end of the path.
func scrub(line string, rs []relabel) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if i == 0 || !pathChar(line[i-1]) {
			if r, ok := matchAt(line[i:], rs); ok {
				n := len(r.old)
				if r.new == "" && n < len(line)-i && line[i+n] == '/' {
					n++ // "<dir>/m.h" becomes "m.h"
				}
				b.WriteString(orDot(r.new, n == len(r.old)))
				i += n
				continue
			}
		}
		b.WriteByte(line[i])
		i++
	}
	return b.String()
}

func matchAt(s string, rs []relabel) (relabel, bool) {
	for _, r := range rs {
		if r.old == "" || !strings.HasPrefix(s, r.old) {
			continue
		}
		if len(s) == len(r.old) || !pathChar(s[len(r.old)]) || (r.dir && s[len(r.old)] == '/') {
			return r, true
		}
	}
	return relabel{}, false
}

// orDot shows a folder relabelled to "" as "." when it stands alone.
func orDot(s string, alone bool) string {
	if s == "" && alone {
		return "."
	}
	return s
}

func pathChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-+~/", c) >= 0
}

// hostPaths lists the host folders a build's output may name, with the
// labels people see instead: the kernel tree (in the cache, with its
// Debian siblings and resolved links) as <kernel>, the work folder as
// <work>, the cache as <cache>, the home folder as ~ and the temporary
// folder as <tmp>.
func hostPaths(kdir, work string, kernelDirs []string) []relabel {
	var rs []relabel
	add := func(p, label string) {
		if abs, err := filepath.Abs(p); err == nil && p != "" && abs != "/" && abs != "." {
			rs = append(rs, relabel{old: abs, new: label, dir: true})
		}
	}
	kdirs := append([]string{kdir}, kernelDirs...)
	for _, p := range []string{kdir, filepath.Join(kdir, "source")} {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			kdirs = append(kdirs, r)
		}
	}
	// A Debian headers tree includes its "-common" sibling's Makefile
	// and headers by absolute path.
	if abs, err := filepath.Abs(kdir); err == nil && strings.HasPrefix(filepath.Base(abs), "linux-headers-") {
		sib, _ := filepath.Glob(filepath.Join(filepath.Dir(abs), "linux-headers-*"))
		kdirs = append(kdirs, sib...)
	}
	for _, p := range kdirs {
		add(p, "<kernel>")
		if abs, err := filepath.Abs(p); err == nil {
			for d := abs; d != filepath.Dir(d); d = filepath.Dir(d) {
				if filepath.Base(filepath.Dir(d)) == "kernels" { // the cache's kernels/<name>
					add(d, "<kernel>")
					add(filepath.Dir(filepath.Dir(d)), "<cache>")
				}
			}
		}
	}
	add(work, "<work>")
	if home, err := os.UserHomeDir(); err == nil {
		add(home, "~")
	}
	add(os.TempDir(), "<tmp>")
	return rs
}
