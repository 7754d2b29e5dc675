package assign

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// hit is a file whose code matches a task's Detect patterns.
type hit struct {
	file     string
	evidence []string
}

// byContent gives the tasks that still have no file the module among
// those ok accepts whose code is clearly theirs: it matches their Detect
// patterns and no other task's, and its name matches no task's patterns
// but those that pass over it (a heap_old.c with heap code is no
// candidate for another task).
func (p *picker) byContent(ok func(f string) bool) {
	hits := map[string][]hit{}         // task -> its clear candidates
	contested := map[string][]string{} // file -> the tasks it could be
	for _, f := range p.contentCandidates(ok) {
		switch claim := p.claims(f); len(claim) {
		case 0:
		case 1:
			_, ev := p.dets[claim[0]].match(p.text(f))
			hits[claim[0]] = append(hits[claim[0]], hit{file: f, evidence: ev})
		default:
			contested[f] = claim
		}
	}
	for _, t := range p.tasks {
		if hs := hits[t.Name]; p.chosen[t.Name] == "" && len(hs) > 0 {
			p.takeByContent(t, p.dets[t.Name], hs)
		}
	}
	p.noteContested(contested)
}

// claims returns the tasks whose Detect patterns f's code matches.
func (p *picker) claims(f string) []string {
	if c, ok := p.claimed[f]; ok {
		return c
	}
	var claim []string
	for _, t := range p.tasks {
		if d := p.dets[t.Name]; d != nil {
			if ok, _ := d.match(p.text(f)); ok {
				claim = append(claim, t.Name)
			}
		}
	}
	p.claimed[f] = claim
	return claim
}

// clearlyOther reports whether f's code is another task's, not t's: a
// wildcard pattern ("*size*.c" on "q4_pagesize.c") or a folder name is
// not evidence enough against that.
func (p *picker) clearlyOther(t Task, f string) bool {
	if p.read == nil || !isC(f) {
		return false
	}
	claim := p.claims(f)
	return len(claim) > 0 && !slices.Contains(claim, t.Name)
}

// vetoed reports whether task t's pattern must pass over f although it
// matches f's name: a wildcard pattern, and f's code clearly another
// task's; an exact name (lkm1.c), and f's code the code of exactly one
// other task that has no module named for it (a class numbered from 1,
// whose lkm1.c is hello). A file two tasks could claim by code keeps its
// exact name, and so does one whose code looks like a task that has its
// own file (a hello.c that prints a size line beside a size.c).
func (p *picker) vetoed(t Task, pattern, f string) bool {
	if strings.ContainsAny(pattern, "*?[") {
		return p.clearlyOther(t, f)
	}
	if p.read == nil || !isC(f) {
		return false
	}
	claim := p.claims(f)
	return len(claim) == 1 && claim[0] != t.Name && !p.hasNamedModule(claim[0], f)
}

// hasNamedModule reports whether a module other than f is named for task
// u by one of its patterns, with code that is not clearly another task's.
func (p *picker) hasNamedModule(u, f string) bool {
	i := slices.IndexFunc(p.tasks, func(t Task) bool { return t.Name == u })
	if i < 0 {
		return false
	}
	t := p.tasks[i]
	return slices.ContainsFunc(p.files, func(g string) bool {
		return g != f && isC(g) && p.isModule(g) && !p.clearlyOther(t, g) &&
			slices.ContainsFunc(t.Files, func(pat string) bool { return nameMatch(pat, path.Base(g)) })
	})
}

// detectors compiles each task's Detect patterns; a task whose patterns
// do not compile takes no file by content, and a note says why.
func (p *picker) detectors() map[string]*detector {
	dets := map[string]*detector{}
	for _, t := range p.tasks {
		d, err := compileDetect(t.Detect)
		if err != nil {
			p.extra = append(p.extra, fmt.Sprintf("task %s: %v: no file is picked for it by its code", t.Name, err))
			continue
		}
		dets[t.Name] = d
	}
	return dets
}

// contentCandidates are the modules ok accepts that no task took and
// whose names match no task's patterns, in order of preference.
func (p *picker) contentCandidates(ok func(f string) bool) []string {
	var out []string
	for _, f := range p.files {
		if !p.taken[f] && ok(f) && isC(f) && !p.namedForSomeTask(f) && p.isModule(f) {
			out = append(out, f)
		}
	}
	return out
}

// namedForSomeTask reports whether f's name matches a task's pattern
// that does not pass over it.
func (p *picker) namedForSomeTask(f string) bool {
	return slices.ContainsFunc(p.tasks, func(t Task) bool {
		return slices.ContainsFunc(t.Files, func(g string) bool { return nameMatch(g, path.Base(f)) && !p.vetoed(t, g, f) })
	})
}

// takeByContent gives t the first of its candidates (they come in order
// of preference) and says why, naming the others.
func (p *picker) takeByContent(t Task, d *detector, hs []hit) {
	var others []string
	for _, h := range hs[1:] {
		others = append(others, h.file)
	}
	why := d.because(hs[0].evidence)
	if looksOld(hs[0].file) {
		why += "; it looks like an old copy, but no other file is this task's"
	}
	if p.unbuilt(hs[0].file) {
		why += "; " + p.omitNote(hs[0].file) + ", but no other file is this task's"
	}
	p.take(t, hs[0].file, why+alsoMatched(others))
}

// noteContested says which modules were left out because several tasks
// could claim them by their code, where one of those tasks has no file.
func (p *picker) noteContested(contested map[string][]string) {
	for _, f := range slices.Sorted(maps.Keys(contested)) {
		claim := contested[f]
		if slices.ContainsFunc(claim, func(task string) bool { return p.chosen[task] == "" }) {
			p.extra = append(p.extra, fmt.Sprintf("%s was not picked by its code: it could be %s; name it after its task",
				f, orList(claim)))
		}
	}
}

// oldStems are words of a folder or file name that mark an old copy,
// with or without a number after them ("old", "backup2", "heap_old.c",
// "lkm2 - Copy").
var oldStems = map[string]bool{"old": true, "older": true, "prev": true, "previous": true, "backup": true,
	"backups": true, "bak": true, "archive": true, "archived": true, "deprecated": true, "unused": true,
	"trash": true, "copy": true, "draft": true, "scratch": true}

// oldWords are whole words that mark an old copy.
var oldWords = map[string]bool{"v0": true, "v1": true, "version1": true}

// looksOld reports whether a folder of f, or f's own name, looks like an
// old copy the student kept beside the work handed in.
func looksOld(f string) bool {
	for _, elem := range strings.Split(strings.TrimSuffix(f, path.Ext(f)), "/") {
		for _, w := range strings.FieldsFunc(strings.ToLower(elem), notAlnum) {
			if oldWords[w] || oldStems[strings.TrimRight(w, "0123456789")] {
				return true
			}
		}
	}
	return false
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}
