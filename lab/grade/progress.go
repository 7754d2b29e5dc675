package grade

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/lkmlab/lkmlab/lab/report"
)

// progress prints one line per student, in the order they finish, with
// an estimate of the time left from the students graded so far (a result
// kept from an earlier run costs nothing and does not count), jobs at a
// time.
type progress struct {
	mu                      sync.Mutex
	w                       io.Writer
	total, finished, graded int
	jobs                    int
	spent                   time.Duration
}

func newProgress(w io.Writer, total, jobs int) *progress {
	return &progress{w: w, total: total, jobs: max(jobs, 1)}
}

// done prints a student's line.
func (p *progress) done(name string, oc outcome, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	if oc.state == graded {
		p.graded++
		p.spent += took
	}
	if p.w == nil {
		return
	}
	for _, w := range oc.warnings {
		fmt.Fprintf(p.w, "warning: %s\n", oneLine(w))
	}
	line := fmt.Sprintf("[%d/%d] %-20s %s", p.finished, p.total, name, oneLine(oc.describe()))
	if p.graded > 0 && p.finished < p.total {
		left := p.spent / time.Duration(p.graded) * time.Duration(p.total-p.finished) / time.Duration(p.jobs)
		line += fmt.Sprintf(" (about %s left)", left.Round(time.Second))
	}
	fmt.Fprintln(p.w, line)
}

// describe is the outcome for a progress line.
func (oc outcome) describe() string {
	switch oc.state {
	case kept:
		return fmt.Sprintf("%d/%d (graded earlier)", oc.r.Total, oc.r.Max)
	case graded:
		if oc.why != "" {
			return fmt.Sprintf("%d/%d (regraded: %s)", oc.r.Total, oc.r.Max, oc.why)
		}
		return fmt.Sprintf("%d/%d", oc.r.Total, oc.r.Max)
	case interrupted:
		return "interrupted: nothing written, a rerun grades it"
	}
	return "error: " + fmt.Sprint(oc.err)
}

// oneLine makes text safe for one line of a terminal or CI log: line
// breaks become " | " and control characters U+FFFD, so nothing a guest
// said can start a line of its own (in GitHub Actions, a line starting
// with "::" is a workflow command) or drive the terminal.
func oneLine(s string) string { return report.PlainLine(strings.TrimSpace(s)) }
