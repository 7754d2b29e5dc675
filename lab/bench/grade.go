package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

// GradeRow is one timed grading run.
type GradeRow struct {
	Submissions int
	// Clean counts the submissions that earned every point with no
	// problem: GradeTarget is a rate of those, and the others (a compile
	// error, a crash, a timeout) take a grader another time than a clean
	// one.
	Clean int
	Jobs  int
	Took  time.Duration
}

// PerMinute is the grading rate.
func (g GradeRow) PerMinute() float64 { return float64(g.Submissions) / g.Took.Minutes() }

// Class is a class to time grading on.
type Class struct {
	Kernel      *kernel.Kernel
	Assignment  *assign.Assignment
	Submissions []string
	Jobs        int
}

// Grade times lkmlab grade on a class from scratch (a new output folder).
func Grade(ctx context.Context, c Class) (GradeRow, error) {
	k, a, subs, jobs := c.Kernel, c.Assignment, c.Submissions, c.Jobs
	out, err := os.MkdirTemp("", "lkmlab-bench-grade-")
	if err != nil {
		return GradeRow{}, err
	}
	defer os.RemoveAll(out)
	start := time.Now()
	res, err := grader.Run(ctx, subs, grade.Options{Assignment: a, Kernel: k, Out: out, Jobs: jobs})
	if err != nil {
		return GradeRow{}, fmt.Errorf("bench grade: %w", err)
	}
	g := GradeRow{Submissions: len(subs), Jobs: jobs, Took: time.Since(start)}
	for _, r := range res {
		if r != nil && r.Problem == "" && r.Max > 0 && r.Total == r.Max {
			g.Clean++
		}
	}
	return g, nil
}

// WriteGrade prints the grading row and its rate beside the target. The
// target is a rate of clean submissions: a corpus with others says how
// many were clean.
func WriteGrade(w io.Writer, name string, g GradeRow) error {
	verdict := "not met"
	if g.PerMinute() >= GradeTarget {
		verdict = "met"
	}
	if _, err := fmt.Fprintf(w, "\ngrading %s: %d submissions (%d clean) with -j %d in %s: %.1f submissions per minute\n",
		name, g.Submissions, g.Clean, g.Jobs, g.Took.Round(100*time.Millisecond), g.PerMinute()); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "target (issue 17): at least %.0f clean submissions per minute: %s", GradeTarget, verdict)
	if err == nil && g.Clean < g.Submissions {
		_, err = fmt.Fprintf(w, " (on a corpus of which %d of %d are clean)", g.Clean, g.Submissions)
	}
	if err == nil {
		_, err = fmt.Fprintln(w)
	}
	return err
}
