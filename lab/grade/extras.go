package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
)

// Extras are what a grade records besides Result's own fields: the sha256
// of each staged file (what a regrade compares to say the submission
// changed), and by task the flake guard's runs and the static findings
// (compiler warnings, style). They are written into result.json beside
// Result's fields and read back with it.
type Extras struct {
	Files  map[string]string   `json:"files,omitempty"`
	Runs   map[string]Runs     `json:"runs,omitempty"`
	Static map[string][]Static `json:"static,omitempty"`
}

// Runs is what the flake guard did with a task: how many times it ran,
// how many of those lost points for what may be chance, each run's seed,
// and which run's grade was kept.
type Runs struct {
	Runs   int      `json:"runs"`
	Failed int      `json:"failed"`
	Seeds  []uint64 `json:"seeds"`
	Kept   int      `json:"kept"`          // index in Seeds
	Why    []string `json:"why,omitempty"` // per failed run, what looked like chance
}

// Static is one compiler warning (Kind "warning", gcc with W=1) or style
// complaint (Kind "style", checkpatch --strict) on a line of the
// student's own file.
type Static struct {
	Kind string `json:"kind"`
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Rule string `json:"rule,omitempty"` // -Wunused-variable, or checkpatch's type
	Text string `json:"text"`
}

// The static kinds.
const (
	Warning = "warning"
	Style   = "style"
)

// ExtrasOf returns r's extras; the grader fills them in and writing the
// student's result writes them.
func ExtrasOf(r *Result) *Extras { return &r.Extras }

// FileDigests hashes files (relative paths) read by read: what a regrade
// compares to tell whether the submission changed.
func FileDigests(files []string, read func(string) ([]byte, error)) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		b, err := read(f)
		if err != nil {
			m[f] = "unreadable"
			continue
		}
		sum := sha256.Sum256(b)
		m[f] = hex.EncodeToString(sum[:])
	}
	return m
}

// staticCount counts a task's static findings of a kind.
func staticCount(items []Static, kind string) int {
	n := 0
	for _, s := range items {
		if s.Kind == kind {
			n++
		}
	}
	return n
}

// sortedKeys are m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
