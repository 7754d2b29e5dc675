package watch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

func mod(name string, v result.Verdict, steps ...result.Step) result.Module {
	return result.Module{Name: name, Verdict: v, Steps: steps}
}

func TestChanges(t *testing.T) {
	pass := result.Step{Name: "insmod m", Verdict: result.Pass}
	fail := result.Step{Name: "insmod m", Verdict: result.Fail, Reason: "output differs", Diff: []string{"- a", "+ b"}}
	rm := result.Step{Name: "rmmod m", Verdict: result.Pass}
	built := result.Module{Name: "m", Verdict: result.BuildError, Error: "m.c:3: error: expected ';'"}
	for _, tc := range []struct {
		name     string
		was, now result.Module
		want     []string
	}{
		{"first run lists every step", result.Module{}, mod("m", result.Pass, pass, rm),
			[]string{"  m  insmod m  PASS", "  m  rmmod m  PASS"}},
		{"only what changed", mod("m", result.Pass, pass, rm), mod("m", result.Fail, fail, rm),
			[]string{"  m  insmod m  PASS -> FAIL", "      output differs", "      - a\n      + b"}},
		{"nothing changed", mod("m", result.Pass, pass, rm), mod("m", result.Pass, pass, rm),
			[]string{"  m  no verdict changed (PASS)"}},
		{"a build error", mod("m", result.Pass, pass), built,
			[]string{"  m  BUILD-ERROR", "      m.c:3: error: expected ';'"}},
		{"the same build error again", built, built, []string{"  m  no verdict changed (BUILD-ERROR)"}},
		{"built again", built, mod("m", result.Pass, pass),
			[]string{"  m  insmod m  BUILD-ERROR -> PASS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Changes(tc.was, tc.now)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("Changes =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestRelevant(t *testing.T) {
	for name, want := range map[string]bool{
		"m/m.c": true, "m/util.h": true, "m/spec.yaml": true, "m/Kbuild": true,
		"m/.m.c.swp": false, "m/m.c~": false, "m/4913": false, "m/m.ko": false, "m/m.o": false, "m/#m.c#": false,
	} {
		if Relevant(name) != want {
			t.Errorf("Relevant(%q) = %v", name, !want)
		}
	}
}

// TestWatchRerunsTheChangedModule drives Watch with a stand-in for the
// check (no VM): saving a file in one module's folder reruns that module
// alone, and the output shows only what changed.
func TestWatchRerunsTheChangedModule(t *testing.T) {
	root := t.TempDir()
	var targets []check.Target
	for _, n := range []string{"a", "b"} {
		dir := filepath.Join(root, n)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, n+".c"), []byte("ok"), 0o644)
		os.WriteFile(filepath.Join(dir, "Kbuild"), []byte("obj-m := "+n+".o\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "spec.yaml"), []byte("description: a module.\nsteps:\n  - action: insmod\n"), 0o644)
		tg, err := check.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	var mu sync.Mutex
	var runs [][]string
	ran := make(chan struct{}, 10)
	run := func(_ context.Context, ts []check.Target) (*result.Report, error) {
		r := &result.Report{Seed: 1}
		var names []string
		for _, tg := range ts {
			src, _ := os.ReadFile(filepath.Join(tg.Dir, tg.Name+".c"))
			v := result.Pass
			if strings.Contains(string(src), "bug") {
				v = result.Fail
			}
			r.Modules = append(r.Modules, mod(tg.Name, v, result.Step{Name: "insmod " + tg.Name, Verdict: v}))
			names = append(names, tg.Name)
		}
		mu.Lock()
		runs = append(runs, names)
		mu.Unlock()
		return r, nil
	}
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- Watch(ctx, targets, Options{Run: run, Out: &out, Settle: 20 * time.Millisecond,
			Ran: func(*result.Report) { ran <- struct{}{} }})
	}()
	wait := func(what string) {
		select {
		case <-ran:
		case <-time.After(10 * time.Second):
			t.Fatalf("no run after %s", what)
		}
	}
	wait("the start")
	os.WriteFile(filepath.Join(root, "b", ".b.c.swp"), []byte("x"), 0o644) // not a source: no run
	os.WriteFile(filepath.Join(root, "b", "b.c"), []byte("bug"), 0o644)
	wait("saving b.c")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != 2 || strings.Join(runs[0], ",") != "a,b" || strings.Join(runs[1], ",") != "b" {
		t.Fatalf("runs %v: want a and b, then b alone", runs)
	}
	if !strings.Contains(out.String(), "  b  insmod b  PASS -> FAIL") || strings.Count(out.String(), "insmod a") != 1 {
		t.Fatalf("output:\n%s", out.String())
	}
}
