package assign

import (
	"path"
	"regexp"
	"slices"
	"strings"
)

// A student's Makefile or Kbuild is make code, and it never runs: the
// grader writes its own Kbuild. What it says about the build the student
// meant is read as data instead, from the simple assignments only:
//
//	obj-m += a.o b.o           the modules, each a.c or a composite
//	a-objs := x.o y.o          a composite's objects (also a-y)
//	ccflags-y += -I$(src)/inc -DDEBUG   (also EXTRA_CFLAGS)
//	NAME = value               a variable the lines above use
//
// with $(src), $(obj), $(PWD), $(CURDIR), $(M) and $(shell pwd) as the
// Makefile's folder. Everything else (rules, conditionals, functions,
// variables from the command line) is ignored, and a module list that
// needs what is ignored is unknown rather than guessed. No library reads
// make's assignments without running make, hence this small reader.

// Makefile is what a student's Makefile or Kbuild in one folder says.
type Makefile struct {
	// Dir is its folder, a slash path in the submission ("." for the top).
	Dir string
	// File is the file read, a slash path in the submission.
	File string
	// Modules are the obj-m modules, in order, by path without ".o"
	// relative to Dir ("mapper", "sub/mod").
	Modules []string
	// Objects are a composite module's objects (its -objs and -y lists),
	// relative to Dir ("main.o"); a module of one file has none.
	Objects map[string][]string
	// Known says every obj-m word could be read: when false, Modules may
	// miss some, and a file it does not list may still be built.
	Known bool
	// Includes are the -I folders of ccflags-y and EXTRA_CFLAGS inside
	// the submission, slash paths, in order; a folder outside is left out.
	Includes []string
	// Defines are the -D flags of ccflags-y and EXTRA_CFLAGS of a safe
	// form: -DNAME or -DNAME=VALUE with a plain value.
	Defines []string
}

// makefileNames are the files a folder's build is read from, in the
// order kbuild prefers them (a Kbuild file over a Makefile); the case of
// a name does not matter, as on the machines students use.
var makefileNames = []string{"kbuild", "makefile", "gnumakefile"}

// ReadMakefile reads the Kbuild or Makefile in folder dir (a slash path;
// "." for the top) among files, through read. It returns nil when the
// folder has none that can be read.
func ReadMakefile(dir string, files []string, read func(string) ([]byte, error)) *Makefile {
	if read == nil {
		return nil
	}
	for _, want := range makefileNames {
		for _, f := range files {
			if path.Dir(f) == dir && strings.ToLower(path.Base(f)) == want {
				if b, err := read(f); err == nil {
					m := ParseMakefile(dir, b)
					m.File = f
					return m
				}
			}
		}
	}
	return nil
}

// ParseMakefile reads the text of a Makefile or Kbuild in folder dir.
func ParseMakefile(dir string, text []byte) *Makefile {
	p := &mkParser{dir: dir, vars: map[string]mkVar{}}
	for _, line := range logicalLines(string(text)) {
		p.line(line)
	}
	return p.result()
}

// mkParser collects a Makefile's assignments.
type mkParser struct {
	dir  string
	vars map[string]mkVar
}

// mkVar is a variable as make keeps it: a recursive one's raw text,
// expanded where it is used, or a simple one's (:=) value, expanded when
// it was assigned, and whether that expansion could be read in full.
type mkVar struct {
	value   string
	simple  bool
	unknown bool
}

// assignRE is a simple assignment: one word, an operator, a value.
var assignRE = regexp.MustCompile(`^([^\s:#=?+!]+)\s*(\+=|\?=|::=|:=|=)\s*(.*)$`)

// line reads one logical line: an assignment, or nothing.
func (p *mkParser) line(line string) {
	if strings.HasPrefix(line, "\t") {
		return // a recipe line
	}
	line = strings.TrimSpace(stripComment(line))
	if strings.HasPrefix(line, "export ") || strings.HasPrefix(line, "override ") {
		_, line, _ = strings.Cut(line, " ")
		line = strings.TrimSpace(line)
	}
	m := assignRE.FindStringSubmatch(line)
	if m == nil {
		return
	}
	name, ok := p.expand(m[1])
	if !ok || strings.ContainsAny(name, " \t") {
		return // obj-$(CONFIG_X), or a name that is not one
	}
	p.assign(name, m[2], m[3])
}

// assign applies one assignment with operator op.
func (p *mkParser) assign(name, op, value string) {
	old, exists := p.vars[name]
	if op == "+=" && exists && len(old.value) > maxExpandBytes {
		return // already past the bound, and not read
	}
	switch {
	case op == "?=" && exists:
	case op == ":=" || op == "::=":
		v, ok := p.expand(value)
		p.vars[name] = mkVar{value: v, simple: true, unknown: !ok}
	case op == "+=" && exists && old.simple:
		v, ok := p.expand(value) // make expands what it appends to a simple variable at once
		p.vars[name] = mkVar{value: old.value + " " + v, simple: true, unknown: old.unknown || !ok}
	case op == "+=" && exists:
		p.vars[name] = mkVar{value: old.value + " " + value, unknown: old.unknown}
	default:
		p.vars[name] = mkVar{value: value}
	}
	// A value appended to line after line is bounded as an expansion is:
	// past the bound it is not read (obj-m += a.o, 40000 times).
	if v := p.vars[name]; len(v.value) > maxExpandBytes {
		p.vars[name] = mkVar{value: v.value[:maxExpandBytes] + unknownPart, simple: v.simple, unknown: true}
	}
}

// maxModules and maxObjects bound what a Makefile is read for: no
// student's folder builds more modules, or a module from more objects.
const (
	maxModules = 64
	maxObjects = 64
)

// result reads the modules and flags from the variables.
func (p *mkParser) result() *Makefile {
	m := &Makefile{Dir: p.dir, Objects: map[string][]string{}, Known: true}
	words, ok := p.words("obj-m")
	m.Known = ok
	for _, w := range words {
		mod, isObj := strings.CutSuffix(w, ".o")
		if !isObj || !inside(p.dir, mod) {
			continue // a subfolder to descend into, or a path outside
		}
		mod = path.Clean(mod) // "$(src)/a.o" is "./a.o"
		if slices.Contains(m.Modules, mod) {
			continue
		}
		if len(m.Modules) == maxModules {
			m.Known = false // more modules than a student's folder builds: not read
			break
		}
		m.Modules = append(m.Modules, mod)
		for _, v := range objectVars(w[:len(w)-2], mod) {
			objs, _ := p.words(v)
			for _, o := range objs {
				if strings.HasSuffix(o, ".o") && inside(p.dir, o) && len(m.Objects[mod]) < maxObjects {
					m.Objects[mod] = append(m.Objects[mod], path.Clean(o))
				}
			}
		}
	}
	for _, v := range []string{"ccflags-y", "EXTRA_CFLAGS"} {
		flags, _ := p.words(v)
		m.readFlags(flags)
	}
	return m
}

// objectVars are the variables that list a composite module's objects:
// its -objs and -y lists, under the name obj-m gives it and its clean one.
func objectVars(raw, clean string) []string {
	vars := []string{raw + "-objs", raw + "-y"}
	if clean != raw {
		vars = append(vars, clean+"-objs", clean+"-y")
	}
	return vars
}

// words expands a variable and splits it into words; ok is false when
// some part of it could not be read.
func (p *mkParser) words(name string) ([]string, bool) {
	e := expander{p: p, ok: true}
	s := e.ref(name, 0)
	if _, defined := p.vars[name]; !defined {
		return nil, true
	}
	words := slices.DeleteFunc(strings.Fields(s), func(w string) bool { return strings.Contains(w, unknownPart) })
	return words, e.ok && len(s) <= maxExpandBytes
}

// readFlags keeps the -I folders inside the submission and the safe -D
// defines of a flags list.
func (m *Makefile) readFlags(flags []string) {
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		switch {
		case f == "-I" && i+1 < len(flags):
			i++
			m.addInclude(flags[i])
		case strings.HasPrefix(f, "-I"):
			m.addInclude(f[2:])
		case safeDefine(f):
			if !slices.Contains(m.Defines, f) {
				m.Defines = append(m.Defines, f)
			}
		}
	}
}

// addInclude keeps an -I folder that lies inside the submission. A
// relative one is taken from the Makefile's folder, as the student meant
// it (make would take it from the kernel tree's).
func (m *Makefile) addInclude(dir string) {
	if dir == "" || strings.HasPrefix(dir, "/") {
		return
	}
	p := path.Clean(path.Join(m.Dir, dir))
	if inside(".", p) && !slices.Contains(m.Includes, p) {
		m.Includes = append(m.Includes, p)
	}
}

// inside reports whether rel, taken from folder dir, stays inside the
// submission.
func inside(dir, rel string) bool {
	p := path.Clean(path.Join(dir, rel))
	return !strings.HasPrefix(rel, "/") && p != ".." && !strings.HasPrefix(p, "../")
}

// defineRE is a -D flag the grader passes on: a C identifier, and a
// value of letters, digits and . + - _ only. A quote, a $, a paren or a
// backslash would be make or shell code in the Kbuild the grader writes.
var defineRE = regexp.MustCompile(`^-D[A-Za-z_][A-Za-z0-9_]{0,63}(=[A-Za-z0-9_.+-]{0,64})?$`)

// reservedDefines are prefixes of the names the kernel and kbuild define
// themselves (__KERNEL__, KBUILD_MODNAME, CONFIG_...), which a define
// must not take; MODULE is one too, whole.
var reservedDefines = []string{"__", "KBUILD_", "CONFIG_"}

// safeDefine reports whether f is a -D flag the grader passes on.
func safeDefine(f string) bool {
	if !defineRE.MatchString(f) {
		return false
	}
	name, _, _ := strings.Cut(f[2:], "=")
	return name != "MODULE" && !slices.ContainsFunc(reservedDefines, func(r string) bool { return strings.HasPrefix(name, r) })
}

// logicalLines splits make text into lines, joining a line that ends in
// a backslash with the next, as make does.
func logicalLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	var out []string
	var cur strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if body, cont := strings.CutSuffix(l, "\\"); cont {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(l)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// stripComment cuts a line at its first # that is not escaped.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '#':
			return line[:i]
		}
	}
	return line
}

// ModuleOf returns the module m builds file with (a slash path in the
// submission, in m's folder or below it): the module of one file named
// like it, or the composite module one of whose objects it is.
func (m *Makefile) ModuleOf(file string) (string, bool) {
	if m == nil {
		return "", false
	}
	rel, ok := m.relative(file)
	if !ok || !strings.HasSuffix(rel, ".c") {
		return "", false
	}
	stem := strings.TrimSuffix(rel, ".c")
	for _, mod := range m.Modules {
		objs := m.Objects[mod]
		if len(objs) == 0 && mod == stem || slices.Contains(objs, stem+".o") {
			return mod, true
		}
	}
	return "", false
}

// Sources returns the C files module mod is built from, as slash paths
// in the submission: its objects' sources, or the one file named like it.
func (m *Makefile) Sources(mod string) []string {
	objs := m.Objects[mod]
	if len(objs) == 0 {
		objs = []string{mod + ".o"}
	}
	var out []string
	for _, o := range objs {
		out = append(out, path.Join(m.Dir, strings.TrimSuffix(o, ".o")+".c"))
	}
	return out
}

// Omits reports whether m says which modules it builds and file is not
// among their sources: the Makefile is then evidence that the student
// did not mean file to be built.
func (m *Makefile) Omits(file string) bool {
	if m == nil || !m.Known || len(m.Modules) == 0 {
		return false
	}
	_, built := m.ModuleOf(file)
	return !built
}

// relative returns file's path from m's folder, if it is inside it.
func (m *Makefile) relative(file string) (string, bool) {
	if m.Dir == "." {
		return file, true
	}
	return strings.CutPrefix(file, m.Dir+"/")
}
