package bench

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/result"
)

// Every timing in these tests is made up for them.

func s(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// TestMedian: each stage's median is taken on its own, the breakdown's
// stages too.
func TestMedian(t *testing.T) {
	ts := []result.Timing{
		{Boot: s(0.3), Restore: s(0.12), Steps: s(0.5), StepWork: s(0.2), Finish: s(0.09), Total: s(0.9)},
		{Boot: s(0.2), Restore: s(0.15), Steps: s(0.4), StepWork: s(0.1), Finish: s(0.07), Total: s(0.7)},
		{Boot: s(0.4), Restore: s(0.10), Steps: s(0.6), StepWork: s(0.3), Finish: s(0.08), Total: s(0.8)},
	}
	want := result.Timing{Boot: s(0.3), Restore: s(0.12), Steps: s(0.5), StepWork: s(0.2), Finish: s(0.08), Total: s(0.8)}
	if got := median(ts); got != want {
		t.Errorf("median:\n got %+v\nwant %+v", got, want)
	}
}

// benchResult is a bench of two kernels: on k1, hello on every path but
// not the six together; on k2, the six together on the snapshot path only.
func benchResult() *Result {
	return &Result{Accel: "tcg", Runs: 3, Rows: []Row{
		{Kernel: "k1", Set: "hello", Path: Snapshot, Runs: 3, Boots: 1, Restored: 1, Timing: result.Timing{
			Build: s(0.01), Boot: s(0.30), Restore: s(0.12), Steps: s(0.40), StepWork: s(0.14), Finish: s(0.23),
			Shutdown: s(0.05), Total: s(0.35)}},
		{Kernel: "k1", Set: "hello", Path: Rebuilt, Runs: 3, Boots: 1, Restored: 1, Timing: result.Timing{
			Build: s(1.1), Boot: s(0.31), Restore: s(0.11), Steps: s(0.20), StepWork: s(0.15), Finish: s(0.02),
			Shutdown: s(0.04), Total: s(1.6)}},
		{Kernel: "k1", Set: "hello", Path: Cold, Runs: 3, Boots: 1, Timing: result.Timing{
			Initramfs: s(0.1), Boot: s(1.70), Steps: s(0.30), StepWork: s(0.16), Finish: s(0.06),
			Shutdown: s(0.07), Total: s(2.5)}},
		{Kernel: "k1", Set: "hello", Path: Baseline, Runs: 3, Boots: 1, Timing: result.Timing{Total: s(5.0)}},
		{Kernel: "k2", Set: AllName(6), Path: Snapshot, Runs: 3, Boots: 1, Restored: 1, Timing: result.Timing{Total: s(2.4)}},
	}}
}

// section is the table under heading in Write's output, up to the empty
// line after it (the line between two kernels holds blanks), each line's
// fields joined by one space.
func section(t *testing.T, out, heading string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n"+heading+"\n\n")
	if !ok {
		t.Fatalf("no %q section in:\n%s", heading, out)
	}
	table, _, _ := strings.Cut(rest, "\n\n")
	var lines []string
	for _, l := range strings.Split(table, "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return lines
}

func has(t *testing.T, what string, lines []string, want string) {
	t.Helper()
	for _, l := range lines {
		if l == want {
			return
		}
	}
	t.Errorf("%s: no line %q in:\n%s", what, want, strings.Join(lines, "\n"))
}

// TestWriteBreakdown: the second table takes each row's boot and steps
// apart: a restored row's restore and wake-up, a cold row's "-" and its
// whole boot as wake-up; step work, between steps, finish, shutdown.
func TestWriteBreakdown(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, benchResult()); err != nil {
		t.Fatal(err)
	}
	lines := section(t, b.String(), "where the time goes")
	has(t, "header", lines, "kernel modules path restore agent wake-up step work between steps finish shutdown")
	has(t, "hello restored", lines, "k1 hello snapshot 0.12s 0.18s 0.14s 0.03s 0.23s 0.05s")
	has(t, "hello cold", lines, "k1 hello cold boot - 1.70s 0.16s 0.08s 0.06s 0.07s")
}

// TestWriteTargets: each target beside the measured total, met or not,
// with the ratios to the same set's cold boot and baseline; a target
// whose rows were not timed is not measured.
func TestWriteTargets(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, benchResult()); err != nil {
		t.Fatal(err)
	}
	lines := section(t, b.String(), "targets (issue 17)")
	for _, want := range []string{
		"kernel modules path measured target result vs cold boot vs baseline",
		"k1 hello snapshot 0.35s at most 0.40s met 0.14x 0.07x",
		"k1 hello snapshot 0.35s at most cold boot / 10 = 0.25s not met 0.14x 0.07x",
		"k1 hello snapshot+build 1.60s at most 1.50s not met 0.64x 0.32x",
		"k1 all 6 snapshot - at most 2.50s not measured - -",
		"k2 hello snapshot - at most 0.40s not measured - -",
		"k2 hello snapshot - at most cold boot / 10 not measured - -",
		"k2 all 6 snapshot 2.40s at most 2.50s met - -",
	} {
		has(t, "targets", lines, want)
	}
}

// TestWriteGrade: the grading rate beside its target, and a corpus with
// submissions that are not clean says so.
func TestWriteGrade(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    GradeRow
		want string
	}{
		{"clean and fast", GradeRow{Submissions: 20, Clean: 20, Jobs: 2, Took: 25 * time.Second},
			"target (issue 17): at least 40 clean submissions per minute: met\n"},
		{"mixed and slow", GradeRow{Submissions: 10, Clean: 4, Jobs: 2, Took: 30 * time.Second},
			"target (issue 17): at least 40 clean submissions per minute: not met (on a corpus of which 4 of 10 are clean)\n"},
	} {
		var b bytes.Buffer
		if err := WriteGrade(&b, "corpus", tc.g); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), tc.want) {
			t.Errorf("%s: got\n%s\nwant it to end with\n%s", tc.name, b.String(), tc.want)
		}
	}
}
