package grade

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
)

func TestShardSplitsDeterministically(t *testing.T) {
	var subs []string
	for i := 0; i < 11; i++ {
		subs = append(subs, fmt.Sprintf("class/s%02d.zip", (i*7)%11))
	}
	var all []string
	for i := 1; i <= 3; i++ {
		part := Shard(subs, i, 3)
		again := Shard(append([]string(nil), subs...), i, 3)
		if !slices.Equal(part, again) {
			t.Fatalf("shard %d differs between runs: %v %v", i, part, again)
		}
		all = append(all, part...)
	}
	slices.Sort(all)
	want := Shard(subs, 0, 0)
	if !slices.Equal(all, want) {
		t.Fatalf("shards together %v, want every submission once %v", all, want)
	}
}

func fakeResult(t *testing.T, dir, student string, total int) {
	t.Helper()
	r := &Result{Student: student, Total: total, Max: 13, Tasks: []TaskResult{
		{Name: "hello", Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 1, Load: 1, Output: 2, Unload: 1}}}}
	if err := writeStudent(StudentDir(dir, student), r, nil); err != nil {
		t.Fatal(err)
	}
}

func TestMergeJoinsShards(t *testing.T) {
	a := &assign.Assignment{Name: "x", Tasks: []assign.Task{{Name: "hello"}}}
	s1, s2, out := t.TempDir(), t.TempDir(), t.TempDir()
	fakeResult(t, s1, "alice", 5)
	fakeResult(t, s1, "bob", 3)
	fakeResult(t, s2, "carol", 1)
	if err := os.MkdirAll(filepath.Join(StudentDir(s2, "carol"), logsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(StudentDir(s2, "carol"), logsDir, "console-1.log"), []byte("boot\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Merge(out, a, s1, s2); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	want := "student,hello,total,max\nalice,1,5,13\nbob,1,3,13\ncarol,1,1,13\n"
	if string(csv) != want {
		t.Fatalf("grades.csv:\n%s\nwant:\n%s", csv, want)
	}
	for _, f := range []string{"summary.json", "junit.xml", "students/carol/result.json", "students/carol/report.md", "students/carol/logs/console-1.log"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("merge did not write %s", f)
		}
	}
	fakeResult(t, s2, "alice", 4)
	if err := Merge(t.TempDir(), a, s1, s2); err == nil || !strings.Contains(err.Error(), "alice graded twice") {
		t.Fatalf("merging two different grades of one student: %v", err)
	}
}

func TestWriteAtomicLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		if err := writeAtomic(filepath.Join(dir, "f"), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("entries %v", entries)
	}
}

func TestClassKTAPParses(t *testing.T) {
	rs := []*Result{
		{Student: "alice", Total: 5, Max: 5, Tasks: []TaskResult{{Name: "hello", Earned: assign.Points{Build: 5}, Max: assign.Points{Build: 5}}}},
		{Student: "bob", Total: 1, Max: 5, Tasks: []TaskResult{{Name: "hello", Problem: "insmod hello: crash # oops",
			Earned: assign.Points{Build: 1}, Max: assign.Points{Build: 5}}}},
	}
	out := string(KTAP("x", rs))
	for _, want := range []string{"KTAP version 1\n", "1..2\n", "ok 1 alice\n", "not ok 2 bob\n", "    not ok 1 hello\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
