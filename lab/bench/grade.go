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
	Jobs        int
	Took        time.Duration
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
	if _, err := grader.Run(ctx, subs, grade.Options{Assignment: a, Kernel: k, Out: out, Jobs: jobs}); err != nil {
		return GradeRow{}, fmt.Errorf("bench grade: %w", err)
	}
	return GradeRow{Submissions: len(subs), Jobs: jobs, Took: time.Since(start)}, nil
}

// WriteGrade prints the grading row.
func WriteGrade(w io.Writer, name string, g GradeRow) error {
	_, err := fmt.Fprintf(w, "\ngrading %s: %d submissions with -j %d in %s: %.1f submissions per minute\n",
		name, g.Submissions, g.Jobs, g.Took.Round(100*time.Millisecond), g.PerMinute())
	return err
}
