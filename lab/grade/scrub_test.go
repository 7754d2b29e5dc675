package grade

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

func TestScrubberText(t *testing.T) {
	s := newScrubber(map[string]string{
		"/srv/grades/.work/alice": "<work>", "/srv/grades": "<out>", "/home/ta": "~",
		"/home/ta/.cache/lkmlab": "<cache>", "/tmp": "<tmp>", "/": "<root>", "": "<none>",
	})
	tests := []struct{ in, want string }{
		{"/srv/grades/.work/alice/tasks/hello/hello.c:3:1: error: x", "<work>/tasks/hello/hello.c:3:1: error: x"},
		{"make -C /home/ta/.cache/lkmlab/kernels/k/build M=/srv/grades/.work/alice/tasks/hello", "make -C <cache>/kernels/k/build M=<work>/tasks/hello"},
		{"wrote /srv/grades/students/bob and /home/ta/notes.txt", "wrote <out>/students/bob and ~/notes.txt"},
		{"open /tmp/lkmlab-check-1/x: no such file", "open <tmp>/lkmlab-check-1/x: no such file"},
		{"in /tmp.", "in <tmp>."},
		{"'/tmp'", "'<tmp>'"},
		// Not the same folder: a longer name, or the folder inside another path.
		{"/tmpfs /var/tmp/x /home/tab /srv/grades2/x /tmp.d/x", "/tmpfs /var/tmp/x /home/tab /srv/grades2/x /tmp.d/x"},
		{"no paths at all / here", "no paths at all / here"},
	}
	for _, tc := range tests {
		if got := s.text(tc.in); got != tc.want {
			t.Errorf("text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScrubberFollowsSymlinks(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := newScrubber(map[string]string{link: "<out>"})
	if got := s.text(real + "/x and " + link + "/y"); got != "<out>/x and <out>/y" {
		t.Fatalf("got %q", got)
	}
}

// TestRunWritesNoHostPath puts the grader's folders everywhere a result
// carries text, as a compiler, a kernel report or a harness error would,
// and checks that no report, result or kept log names them.
func TestRunWritesNoHostPath(t *testing.T) {
	home, _ := os.UserHomeDir()
	cache := kernel.DefaultCacheDir()
	out := t.TempDir() // under the temp dir, so <out> must win over <tmp>
	subs := class(t, "alice")
	var work string
	f := fakeTasks{during: func(_ context.Context, sub *submit.Submission, r *Result) {
		work = filepath.Dir(filepath.Dir(sub.Dir)) // <out>/.work/alice
		paths := strings.Join([]string{sub.Dir + "/hello.c", out + "/x", cache + "/kernels/k", home + "/y", os.TempDir() + "/z", subs[0]}, " ")
		r.Problem = "problem " + paths
		r.Source = subs[0]
		m := r.Tasks[0].Module
		m.Error = "build: " + paths
		m.Steps = []result.Step{{Name: "insmod hello", Verdict: result.Crash, Reason: "reason " + paths, Log: []string{"log " + paths},
			Diff: []string{"+ " + paths}, Facts: map[string]string{"w.path": paths}, Findings: []result.Finding{{Kind: result.Taint, Text: paths}},
			Failures: []*kmsg.Failure{{Kind: kmsg.Oops, Title: paths, Lines: []string{paths}, Source: paths}}}}
		r.Tasks[0].Verdict, r.Tasks[0].Earned.Load = result.Crash, 0
		r.Total--
		check := filepath.Join(work, "check")
		_ = os.MkdirAll(check, 0o755)
		_ = os.WriteFile(filepath.Join(check, "console-1.log"), []byte("console "+paths+"\n"), 0o644)
		_ = os.WriteFile(filepath.Join(check, "qemu-1.cmdline"), []byte("qemu -kernel "+cache+"/k -initrd "+work+"/i.cpio\n"), 0o644)
	}}
	if _, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, nil)); err != nil {
		t.Fatal(err)
	}
	host := []string{out, cache, home, os.TempDir(), filepath.Dir(subs[0])}
	n := 0
	err := filepath.WalkDir(StudentDir(out, "alice"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, _ := os.ReadFile(p)
		for _, h := range host {
			if h != "" && strings.Contains(string(b), h) {
				t.Errorf("%s names host folder %s:\n%s", filepath.Base(p), h, b)
			}
		}
		return nil
	})
	if err != nil || n != 4 { // report.md, result.json, two logs
		t.Fatalf("walked %d files: %v", n, err)
	}
	r, _, err := readResult(filepath.Join(StudentDir(out, "alice"), resultFile), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<work>/staged/alice/hello.c <out>/x <cache>/kernels/k"; !strings.Contains(r.Problem, want) {
		t.Errorf("problem %q lacks %q", r.Problem, want)
	}
	if r.Source != "<submissions>/alice" {
		t.Errorf("source %q", r.Source)
	}
}

// TestScrubberClipsHugeText: one string of a result (a parameter name of
// megabytes, quoted in a problem) is kept to its head and a count.
func TestScrubberClipsHugeText(t *testing.T) {
	huge := "no parameter for the pid (declares: " + strings.Repeat("é", 4<<20) + ")"
	r := &Result{Student: "a", Tasks: []TaskResult{{Name: "mapper", Problem: huge}}}
	newScrubber(nil).value(r)
	p := r.Tasks[0].Problem
	if len(p) > maxText+64 || !strings.HasPrefix(p, "no parameter for the pid") || !strings.Contains(p, "bytes not kept") || !utf8.ValidString(p) {
		t.Fatalf("problem kept %d bytes (valid UTF-8 %v), ends %q", len(p), utf8.ValidString(p), p[max(0, len(p)-40):])
	}
}
