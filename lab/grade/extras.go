package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"sort"
	"sync"
	"weak"
)

// Extras are what a grade records besides Result's own fields: the sha256
// of each staged file (what a regrade compares to say the submission
// changed), and by task the flake guard's runs and the static findings
// (compiler warnings, style). They are written into result.json beside
// Result's fields and read back with it.
//
// They ride beside a Result (ExtrasOf) instead of in it until Result and
// TaskResult have fields for them; the JSON is the same either way.
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

// sideTable holds the Extras of Results in memory, keyed weakly: an
// entry goes when its Result is collected.
var sideTable = struct {
	sync.Mutex
	m map[weak.Pointer[Result]]*Extras
}{m: map[weak.Pointer[Result]]*Extras{}}

// ExtrasOf returns r's extras, empty at first; the grader fills them in
// and writing the student's result writes them.
func ExtrasOf(r *Result) *Extras {
	wp := weak.Make(r)
	sideTable.Lock()
	defer sideTable.Unlock()
	if e := sideTable.m[wp]; e != nil {
		return e
	}
	e := &Extras{}
	sideTable.m[wp] = e
	runtime.AddCleanup(r, func(wp weak.Pointer[Result]) {
		sideTable.Lock()
		delete(sideTable.m, wp)
		sideTable.Unlock()
	}, wp)
	return e
}

// setExtras reads the extras in a result.json's bytes into r's.
func setExtras(r *Result, b []byte) {
	var e Extras
	if json.Unmarshal(b, &e) == nil {
		*ExtrasOf(r) = e
	}
}

// encodeResult is result.json: r's fields and its extras, side by side.
func encodeResult(r *Result) ([]byte, error) {
	return json.MarshalIndent(struct {
		*Result
		*Extras
	}{r, ExtrasOf(r)}, "", "  ")
}

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
