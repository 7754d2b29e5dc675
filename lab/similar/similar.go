// Package similar finds suspiciously similar submissions, for staff: each
// task's C file per student -> normalized tokens (no comments, names,
// literals, includes or module boilerplate; the task's skeleton left out)
// -> winnowed fingerprints -> the pairs above a threshold, per task, with
// the regions that match.
package similar

import (
	"sort"
)

// File is one student's file for one task.
type File struct {
	Student string `json:"student"`
	Task    string `json:"task"`
	Path    string `json:"path"` // as in the submission
	Text    string `json:"-"`
}

// Options configure Compare. The zero value works.
type Options struct {
	// K is the k-gram length in tokens, Window the winnowing window;
	// defaults 12 and 6: a shared run of 17 tokens (about two lines of C)
	// is always found, and one under 12 never is.
	K, Window int
	// Threshold is the similarity from which a pair is reported; default
	// 0.7 (the independent solutions of a class of 18 stay under 0.6).
	Threshold float64
	// Skeletons are, by task, the text the course handed out: what every
	// submission may share with it is not counted.
	Skeletons map[string]string
	// Common is the share of a task's files from which a fingerprint is
	// everyone's idiom, not anyone's copy, and is not counted (MOSS's -m,
	// Dolos's --max-fingerprint-percentage); default 0.25, and a
	// fingerprint in two or three files always counts.
	Common float64
	// MinFingerprints is the fewest fingerprints a file needs, once the
	// skeleton and boilerplate are gone, to be compared at all (a hello
	// module has almost nothing of its own); default 10.
	MinFingerprints int
}

func (o Options) withDefaults() Options {
	if o.K <= 0 {
		o.K = 12
	}
	if o.Window <= 0 {
		o.Window = 6
	}
	if o.Threshold <= 0 {
		o.Threshold = 0.7
	}
	if o.Common <= 0 {
		o.Common = 0.25
	}
	if o.MinFingerprints <= 0 {
		o.MinFingerprints = 10
	}
	return o
}

// Report is what Compare found, task by task in the order first seen.
type Report struct {
	K         int          `json:"k"`
	Window    int          `json:"window"`
	Threshold float64      `json:"threshold"`
	Tasks     []TaskReport `json:"tasks"`
}

// TaskReport is one task's pairs, the most similar first.
type TaskReport struct {
	Task  string `json:"task"`
	Files int    `json:"files"`
	// Short are the students whose file had too little of its own to
	// compare.
	Short []string `json:"short,omitempty"`
	Pairs []Pair   `json:"pairs"`
}

// Pair is two students' files for a task and how much of them matches.
type Pair struct {
	A File `json:"a"`
	B File `json:"b"`
	// Similarity is the share of both files' fingerprints found in the
	// other (Dolos's measure); ACovered and BCovered the share of each.
	Similarity float64  `json:"similarity"`
	ACovered   float64  `json:"a_covered"`
	BCovered   float64  `json:"b_covered"`
	Regions    []Region `json:"regions"`
}

// Region is a stretch of lines of A that matches one of B.
type Region struct {
	AFrom int `json:"a_from"`
	ATo   int `json:"a_to"`
	BFrom int `json:"b_from"`
	BTo   int `json:"b_to"`
	// Tokens is how many normalized tokens the region spans in A.
	Tokens int `json:"tokens"`
}

// Compare compares every two students' files of each task.
func Compare(files []File, o Options) *Report {
	o = o.withDefaults()
	r := &Report{K: o.K, Window: o.Window, Threshold: o.Threshold}
	var order []string
	byTask := map[string][]File{}
	for _, f := range files {
		if _, ok := byTask[f.Task]; !ok {
			order = append(order, f.Task)
		}
		byTask[f.Task] = append(byTask[f.Task], f)
	}
	for _, task := range order {
		r.Tasks = append(r.Tasks, compareTask(task, byTask[task], o))
	}
	return r
}

// doc is a file ready to compare: its tokens and its fingerprints, those
// of the base (skeleton, boilerplate) removed, by hash.
type doc struct {
	f      File
	tokens []token
	fps    []fingerprint
	byHash map[uint64][]int // hash -> token positions
}

func compareTask(task string, files []File, o Options) TaskReport {
	tr := TaskReport{Task: task, Files: len(files), Pairs: []Pair{}}
	base := baseHashes(o.Skeletons[task], o)
	for h := range commonHashes(files, o) {
		base[h] = true
	}
	var docs []*doc
	for _, f := range files {
		d := prepare(f, base, o)
		if len(d.fps) < o.MinFingerprints {
			tr.Short = append(tr.Short, f.Student)
			continue
		}
		docs = append(docs, d)
	}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			if docs[i].f.Student == docs[j].f.Student {
				continue
			}
			if p := pair(docs[i], docs[j], o); p.Similarity >= o.Threshold {
				tr.Pairs = append(tr.Pairs, p)
			}
		}
	}
	sort.SliceStable(tr.Pairs, func(i, j int) bool { return tr.Pairs[i].Similarity > tr.Pairs[j].Similarity })
	return tr
}

func prepare(f File, base map[uint64]bool, o Options) *doc {
	d := &doc{f: f, tokens: normalize(f.Text), byHash: map[uint64][]int{}}
	for _, fp := range winnow(d.tokens, o.K, o.Window) {
		if base[fp.hash] {
			continue
		}
		d.fps = append(d.fps, fp)
		d.byHash[fp.hash] = append(d.byHash[fp.hash], fp.pos)
	}
	return d
}

// boilerplateBase is a module as every solution starts it, in the usual
// spellings: what a submission shares with it is nobody's own work. (It
// is text for the normalizer, not a module anyone builds.)
const boilerplateBase = `
static int __init m_init(void) { printk(KERN_INFO "x\n"); return 0; }
static void __exit m_exit(void) { printk(KERN_INFO "x\n"); }
static int __init m_init(void) { pr_info("x\n"); return 0; }
static void __exit m_exit(void) { pr_info("x\n"); }
static int m_init(void) { printk("x\n"); return 0; }
static void m_exit(void) { printk("x\n"); }
int init_module(void) { printk(KERN_INFO "x\n"); return 0; }
void cleanup_module(void) { printk(KERN_INFO "x\n"); }
`

// baseHashes are every k-gram hash of the skeleton and the boilerplate
// (all of them, not only the winnowed ones, so that no fingerprint of a
// submission survives from them).
func baseHashes(skeleton string, o Options) map[uint64]bool {
	base := map[uint64]bool{}
	for _, text := range []string{skeleton, boilerplateBase} {
		for _, h := range kgrams(normalize(text), o.K) {
			base[h] = true
		}
	}
	return base
}

// commonHashes are the fingerprints found in more of the files than
// Options.Common allows (and in more than three), each student counted
// once.
func commonHashes(files []File, o Options) map[uint64]bool {
	in := map[uint64]map[string]bool{}
	for _, f := range files {
		for _, fp := range winnow(normalize(f.Text), o.K, o.Window) {
			if in[fp.hash] == nil {
				in[fp.hash] = map[string]bool{}
			}
			in[fp.hash][f.Student] = true
		}
	}
	limit := max(3, int(o.Common*float64(len(files))))
	common := map[uint64]bool{}
	for h, students := range in {
		if len(students) > limit {
			common[h] = true
		}
	}
	return common
}

// pair measures a against b and finds the regions they share.
func pair(a, b *doc, o Options) Pair {
	covA, covB := 0, 0
	for _, fp := range a.fps {
		if len(b.byHash[fp.hash]) > 0 {
			covA++
		}
	}
	for _, fp := range b.fps {
		if len(a.byHash[fp.hash]) > 0 {
			covB++
		}
	}
	p := Pair{A: a.f, B: b.f,
		Similarity: float64(covA+covB) / float64(len(a.fps)+len(b.fps)),
		ACovered:   float64(covA) / float64(len(a.fps)),
		BCovered:   float64(covB) / float64(len(b.fps))}
	p.Regions = regions(a, b, o)
	return p
}
