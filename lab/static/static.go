// Package static checks a task's C source without running it: source ->
// compiler warnings (gcc with W=1, through lab/kbuild) and kernel style
// complaints (the kernel's checkpatch.pl --strict), each on a line, and
// the points they leave of a part.
package static

import (
	"github.com/lkmlab/lkmlab/lab/kbuild"
)

// Item is one compiler warning or style complaint on a line of a file.
type Item struct {
	Kind string // Warning or Style
	File string // as the student named it
	Line int
	Rule string // -Wunused-variable, or checkpatch's type (LONG_LINE)
	Text string
}

// The kinds of items.
const (
	Warning = "warning"
	Style   = "style"
)

// Points is what is left of max points after n items costing cost each
// (0 means 1), down to 0.
func Points(max, cost, n int) int {
	if cost <= 0 {
		cost = 1
	}
	if n >= max/cost+1 || max <= 0 {
		return 0 // also where cost*n would overflow
	}
	return max - cost*n
}

// Warnings are the compiler's warnings among a build's diagnostics
// (kbuild.Warnings); errors are a build failure, scored as such.
func Warnings(ds []kbuild.Diagnostic) []Item {
	var items []Item
	for _, d := range ds {
		if d.Severity == "warning" {
			items = append(items, Item{Kind: Warning, File: d.File, Line: d.Line, Rule: d.Option, Text: d.Text})
		}
	}
	return items
}
