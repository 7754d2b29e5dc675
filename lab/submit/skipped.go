package submit

import (
	"fmt"
	"slices"
	"strings"
)

// maxListed is how many entries Skipped names one by one; past it (a
// hostile archive of a million symbolic links) they are only counted.
const maxListed = 100

// maxLabels is how many labels a group's line shows before "...".
const maxLabels = 4

// skipLog collects what staging left out: the entries a student wants to
// hear about one by one (a link, a path escape, a file over the size
// limit), and per group a count of the rest.
type skipLog struct {
	lines  []string
	count  [numGroups]int
	labels [numGroups][]string
}

// list names one entry left out and why.
func (l *skipLog) list(name, reason string) {
	if len(l.lines) >= maxListed {
		l.tally(groupListed, "")
		return
	}
	l.lines = append(l.lines, display(name)+": "+reason)
}

// tally counts one file of group g, remembering label for its line.
func (l *skipLog) tally(g group, label string) {
	l.count[g]++
	if label != "" && !slices.Contains(l.labels[g], label) && len(l.labels[g]) <= maxLabels {
		l.labels[g] = append(l.labels[g], label)
	}
}

// report returns the lines for Submission.Skipped: the listed entries in
// the order met, then one line per group in a fixed order. subdir names
// the graded folder for the groupOutside line.
func (l *skipLog) report(subdir string) []string {
	out := append([]string{}, l.lines...)
	for g := groupNone + 1; g < numGroups; g++ {
		n := l.count[g]
		if n <= 0 {
			continue
		}
		noun := groupNouns[g][1]
		if n == 1 {
			noun = groupNouns[g][0]
		}
		switch g {
		case groupOutside:
			out = append(out, fmt.Sprintf("%d %s outside %s/ not staged", n, noun, subdir))
		case groupListed:
			out = append(out, fmt.Sprintf("%d %s (not listed)", n, noun))
		default:
			out = append(out, fmt.Sprintf("%d %s not staged%s", n, noun, l.labelList(g)))
		}
	}
	return out
}

// labelList renders a group's labels as " (*.o, *.ko, ...)".
func (l *skipLog) labelList(g group) string {
	labels := l.labels[g]
	if len(labels) == 0 {
		return ""
	}
	if len(labels) > maxLabels {
		labels = append(labels[:maxLabels:maxLabels], "...")
	}
	return " (" + strings.Join(labels, ", ") + ")"
}
