package assign

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Pick returns the submitted file (a slash path among files) the task
// takes by its name, or "" when none matches. Patterns match base names
// anywhere in the tree, without regard to case, tried in order; among
// the files one pattern matches, a file that looks like an old copy
// (under old/, backup/, v1/, or named heap_old.c) is taken only when no
// pattern matches anything else, then the shallowest wins, then the first
// in sort order. PickAll also looks at what the files say.
func (t Task) Pick(files []string) string {
	chosen, _ := PickAll([]Task{{Name: t.Name, Files: t.Files}}, files, nil)
	return chosen[t.Name]
}

// PickAll gives each task its file among files (slash paths), and notes
// that explain each choice, or why a task has none. A file goes to at
// most one task. Three kinds of evidence, strongest first:
//
//   - the file's name (Task.Files), each task's first pattern before
//     anyone's second: "lkm2.c" before another task's "*heap*.c"; a
//     wildcard pattern passes over a file whose code is clearly another
//     task's ("*size*.c" over a page walker named q4_pagesize.c), and an
//     exact name over a file whose code is one other task's and no other
//     (an lkm1.c that prints hello, from a class numbered from 1); and
//     the file a name takes gives way to a later version of it that its
//     folder's Makefile builds beside it (heap_v2.c or heap_final.c for
//     heap.c, but not heap2.c: see laterVersion);
//   - the name of the file's folder ("heap/main.c" for "heap.c"), when it
//     is the only module there;
//   - the file's code (Task.Detect, comments left out): only modules
//     whose names match no task's patterns, and whose code matches
//     exactly one task's patterns; a module two tasks could claim goes to
//     neither.
//
// A module (a .c file with module_init or init_module) comes before a
// file without (a user-space test program), and a file that looks like
// an old copy (see Pick), or that the Makefile or Kbuild in its folder
// does not build (its obj-m lists other modules: heap.c beside the
// heap_final.c it builds), only after every other module; within each
// of these, stronger evidence first. read returns a file's content; with
// read nil only names decide, and every file may be a module.
func PickAll(tasks []Task, files []string, read func(path string) ([]byte, error)) (map[string]string, []string) {
	p := &picker{tasks: tasks, files: preferred(files), read: read, texts: map[string]string{},
		chosen: map[string]string{}, taken: map[string]bool{}, notes: map[string]string{}, claimed: map[string][]string{},
		makes: map[string]*Makefile{}}
	if read != nil {
		p.dets = p.detectors()
	}
	old := func(f string) bool { return looksOld(f) || p.unbuilt(f) }
	fresh := func(f string) bool { return !old(f) }
	p.byName(func(f string) bool { return fresh(f) && p.isModule(f) })
	if read != nil {
		p.byFolder()
		p.byContent(fresh)
	}
	p.byName(func(f string) bool { return old(f) && p.isModule(f) })
	if read != nil {
		p.byContent(old)
	}
	p.byName(fresh)
	p.byName(old)
	return p.chosen, p.report()
}

// picker is one PickAll: the files, what each task took, and why.
type picker struct {
	tasks   []Task
	files   []string // in order of preference: see preferred
	read    func(string) ([]byte, error)
	texts   map[string]string // code text of the .c files read, "" if unreadable
	chosen  map[string]string // task -> file
	taken   map[string]bool
	notes   map[string]string    // task -> why
	dets    map[string]*detector // task -> its Detect patterns, compiled; none with read nil
	claimed map[string][]string  // file -> the tasks whose Detect patterns its code matches
	extra   []string             // notes about files no task took
	makes   map[string]*Makefile // folder -> its Makefile or Kbuild, nil if none; read once
}

// take gives file f to task t, for the reason why.
func (p *picker) take(t Task, f, why string) {
	p.chosen[t.Name] = f
	p.taken[f] = true
	p.notes[t.Name] = fmt.Sprintf("picked %s for %s: %s", f, t.Name, why)
}

// byName gives tasks their files by name among the files ok accepts,
// each task's first pattern before anyone's second; a later version of
// the file a pattern takes, built beside it, is taken in its place
// (heap_v2.c for heap.c: see laterVersion).
func (p *picker) byName(ok func(f string) bool) {
	p.rounds(func(t Task, g string) {
		var matches []string
		for _, f := range p.files {
			if !p.taken[f] && ok(f) && nameMatch(g, path.Base(f)) && !p.vetoed(t, g, f) {
				matches = append(matches, f)
			}
		}
		if len(matches) > 0 {
			why := p.nameReason(g, matches)
			later, note := p.laterVersion(t, matches[0], g, why)
			if later != "" {
				p.take(t, later, note)
			} else {
				p.take(t, matches[0], why+note)
			}
		}
	})
}

// rounds calls try for each task that has no file yet with its first
// pattern, then its second, and so on.
func (p *picker) rounds(try func(t Task, pattern string)) {
	for i := 0; ; i++ {
		more := false
		for _, t := range p.tasks {
			if i < len(t.Files) {
				more = true
				if p.chosen[t.Name] == "" {
					try(t, t.Files[i])
				}
			}
		}
		if !more {
			return
		}
	}
}

// nameReason explains a pick by name: matches[0] was taken.
func (p *picker) nameReason(pattern string, matches []string) string {
	f := matches[0]
	why := "its name matches " + pattern
	if looksOld(f) {
		why += "; it looks like an old copy, but no other file matches"
	}
	if p.unbuilt(f) {
		why += "; " + p.omitNote(f) + ", but no other file matches"
	}
	if p.read != nil && !p.isModule(f) {
		why += "; it has no module_init"
	}
	return why + alsoMatched(matches[1:]) + p.passedOver(pattern, f)
}

// passedOver names the files that pattern matches and that were passed
// over, although their names may match better, because their folder's
// Makefile does not build them.
func (p *picker) passedOver(pattern, picked string) string {
	if p.unbuilt(picked) {
		return ""
	}
	var over []string
	for _, t := range p.tasks {
		if !slices.Contains(t.Files, pattern) {
			continue
		}
		for _, g := range t.Files {
			for _, f := range p.files {
				if f != picked && !p.taken[f] && p.unbuilt(f) && nameMatch(g, path.Base(f)) && !slices.Contains(over, f) {
					over = append(over, f)
				}
			}
		}
	}
	if len(over) == 0 {
		return ""
	}
	if len(over) > 3 {
		over = append(over[:3:3], "...")
	}
	return "; passed over " + strings.Join(over, ", ") + ": " + p.omitNote(over[0])
}

// makefile is the Makefile or Kbuild of folder dir, read once; nil
// without one, or with no read function.
func (p *picker) makefile(dir string) *Makefile {
	m, ok := p.makes[dir]
	if !ok {
		m = ReadMakefile(dir, p.files, p.read)
		p.makes[dir] = m
	}
	return m
}

// unbuilt reports whether the Makefile in f's folder lists the modules
// it builds and f is not among their sources.
func (p *picker) unbuilt(f string) bool {
	return isC(f) && p.makefile(path.Dir(f)).Omits(f)
}

// omitNote says that f's folder's Makefile does not build it.
func (p *picker) omitNote(f string) string {
	m := p.makefile(path.Dir(f))
	mods := m.Modules
	if len(mods) > 4 {
		mods = append(mods[:4:4], "...")
	}
	return fmt.Sprintf("%s does not build it (obj-m: %s)", m.File, strings.Join(mods, ", "))
}

// byFolder gives a task the one module in a folder named like its file
// ("heap/main.c" for heap.c, "lkm2/main.c" for lkm2*.c).
func (p *picker) byFolder() {
	p.rounds(func(t Task, g string) {
		for _, f := range p.files {
			dir := path.Dir(f)
			if dir != "." && !p.taken[f] && isC(f) && !looksOld(f) && !p.unbuilt(f) && p.isModule(f) &&
				nameMatch(g, path.Base(dir)+".c") && p.onlyModuleIn(dir) && !p.clearlyOther(t, f) {
				p.take(t, f, fmt.Sprintf("its folder %s/ is named like %s, and it is the one module there", path.Base(dir), g))
				return
			}
		}
	})
}

// onlyModuleIn reports whether dir holds exactly one module no task took.
func (p *picker) onlyModuleIn(dir string) bool {
	n := 0
	for _, f := range p.files {
		if path.Dir(f) == dir && !p.taken[f] && isC(f) && p.isModule(f) {
			n++
		}
	}
	return n == 1
}

// report returns the notes: per task in the assignment's order, then
// about files no task took.
func (p *picker) report() []string {
	var out []string
	for _, t := range p.tasks {
		if n, ok := p.notes[t.Name]; ok {
			out = append(out, n)
		} else if p.chosen[t.Name] == "" {
			out = append(out, missingNote(t, p.read != nil))
		}
	}
	return append(out, p.extra...)
}

// missingNote says a task has no file, and how to name one.
func missingNote(t Task, looked bool) string {
	if len(t.Files) == 0 {
		return fmt.Sprintf("no file for %s: the assignment names none", t.Name)
	}
	s := fmt.Sprintf("no file for %s: name it %s (no file is named %s", t.Name, t.Files[0], orList(t.Files))
	if looked && len(t.Detect) > 0 {
		s += ", and no module's code is clearly this task's"
	}
	return s + ")"
}

// isModule reports whether f is a C file with module_init or init_module
// in its code; with no read function every file may be one.
func (p *picker) isModule(f string) bool {
	if p.read == nil {
		return true
	}
	return isC(f) && moduleRE.MatchString(p.text(f))
}

// text is f's code without comments, read once; "" if unreadable.
func (p *picker) text(f string) string {
	if s, ok := p.texts[f]; ok {
		return s
	}
	b, err := p.read(f)
	s := ""
	if err == nil {
		s = codeText(b)
	}
	p.texts[f] = s
	return s
}

// nameMatch matches a pattern against a base name, without regard to
// case ("Heap.c", "LKM2.C" from a Windows machine). A build product
// named like a source (heap.mod.c) never matches.
func nameMatch(pattern, base string) bool {
	lower := strings.ToLower(base)
	if strings.HasSuffix(lower, ".mod.c") {
		return false
	}
	ok, _ := path.Match(strings.ToLower(pattern), lower)
	return ok
}

// isC reports whether f is a C source (and not a build product).
func isC(f string) bool {
	lower := strings.ToLower(f)
	return strings.HasSuffix(lower, ".c") && !strings.HasSuffix(lower, ".mod.c")
}

// preferred sorts files shallowest first, then in sort order: the order
// in which equally good matches are taken.
func preferred(files []string) []string {
	out := slices.Clone(files)
	slices.SortFunc(out, func(a, b string) int {
		if d := strings.Count(a, "/") - strings.Count(b, "/"); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(out)
}

// alsoMatched names the files passed over, the first few.
func alsoMatched(others []string) string {
	if len(others) == 0 {
		return ""
	}
	if len(others) > 3 {
		others = append(others[:3:3], "...")
	}
	return "; also matched: " + strings.Join(others, ", ")
}

// orList renders patterns as "a.c, b.c or c.c".
func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
