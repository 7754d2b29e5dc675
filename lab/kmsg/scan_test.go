package kmsg

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenCases are the logs in testdata, with what Scan must find in each.
// The .golden files hold the full rendering; this table pins the parts
// that must not drift when the goldens are regenerated.
var goldenCases = []struct {
	name    string
	kinds   []Kind
	modules []string
}{
	{"clean-boot", nil, nil},
	{"null-deref-module", []Kind{Oops}, []string{"oopsmod"}},
	{"gpf", []Kind{Oops}, []string{"gpfmod"}},
	{"divide-error", []Kind{Oops}, []string{"divmod"}},
	{"warn", []Kind{Warning}, []string{"warnmod"}},
	{"soft-lockup", []Kind{SoftLockup}, []string{"spinmod"}},
	{"hung-task", []Kind{HungTask, HungTask, HungTask, HungTask}, []string{"hungmod", "hungmod", "hungmod", "hungmod"}},
	{"rcu-stall", []Kind{RCUStall}, []string{"rcumod"}},
	{"panic-after-oops", []Kind{Oops, Panic}, []string{"oopsmod", ""}},
	{"panic-crlf", []Kind{Panic}, []string{"panicmod"}},
	{"panic-end-marker", []Kind{Panic}, []string{"panicmod"}},
	{"kernel-bug", []Kind{Bug}, []string{"bugmod"}},
	{"list-corruption", []Kind{Bug}, []string{"listmod"}},
	{"scheduling-while-atomic", []Kind{Bug, Warning}, []string{"atomicmod", ""}},
	{"sanitizers-handmade", []Kind{Bug, Bug, Bug, Bug}, []string{"ubmod", "kasmod", "sleepmod", "leakmod"}},
	{"lookalike", nil, nil},
	{"caller-id", []Kind{Warning}, []string{"warnmod"}},
	{"oops-cut-off", []Kind{Oops}, []string{"oopsmod"}},
	{"lockdep-rcu", []Kind{Lockdep}, []string{"ancestry_norcu"}},
	{"lockdep-assert", []Kind{Warning, Warning}, []string{"vmas_nolock", "vmas_nolock"}},
	{"injected-oops", []Kind{Bug, Oops}, []string{"pool_unchecked", "pool_unchecked"}},
}

func TestScanGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range goldenCases {
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tc.name+".log"))
			if err != nil {
				t.Fatal(err)
			}
			fs := Scan(ParseLines(string(in)))
			var kinds []Kind
			var mods []string
			for _, f := range fs {
				kinds = append(kinds, f.Kind)
				mods = append(mods, f.Module)
			}
			if !reflect.DeepEqual(kinds, tc.kinds) || !reflect.DeepEqual(mods, tc.modules) {
				t.Errorf("kinds %v modules %q, want %v %q", kinds, mods, tc.kinds, tc.modules)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden"), renderFailures(fs))
		})
	}
	logs, _ := filepath.Glob("testdata/*.log")
	for _, l := range logs {
		if name := strings.TrimSuffix(filepath.Base(l), ".log"); !seen[name] {
			t.Errorf("%s has no entry in goldenCases", l)
		}
	}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lab/kmsg -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// renderFailures is the readable form kept in the .golden files.
func renderFailures(fs []*Failure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "failures: %d\n", len(fs))
	for i, f := range fs {
		fmt.Fprintf(&b, "\n[%d] %s\n", i+1, f.Kind)
		fmt.Fprintf(&b, "title:  %s\n", f.Title)
		fmt.Fprintf(&b, "module: %s\n", f.Module)
		fmt.Fprintf(&b, "lines:  %d\n", len(f.Lines))
		if len(f.Lines) > 0 {
			fmt.Fprintf(&b, "first:  %s\n", f.Lines[0])
			fmt.Fprintf(&b, "last:   %s\n", f.Lines[len(f.Lines)-1])
		}
	}
	return b.String()
}
