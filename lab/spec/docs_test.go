package spec

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
)

const docsPath = "../../docs/spec.md"

// TestDocsExamplesLoad loads every whole spec docs/spec.md shows, so an
// example a course copies is one that works.
func TestDocsExamplesLoad(t *testing.T) {
	b, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	n := 0
	for _, m := range blocks {
		if !strings.HasPrefix(m[1], "steps:") && !strings.HasPrefix(m[1], "description:") {
			continue
		}
		n++
		if _, err := Parse("docs/spec.md example", []byte(m[1])); err != nil {
			t.Errorf("%v\n%s", err, m[1])
		}
	}
	if n < 10 {
		t.Errorf("found %d whole examples in %s, want one per construct", n, docsPath)
	}
}

// TestDocsNameTheCatalogue checks that the workloads table names every
// kind and fact of plan.Facts, and the reference every function.
func TestDocsNameTheCatalogue(t *testing.T) {
	b, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if m := regexp.MustCompile("^\\| `([a-z]+)` \\|").FindStringSubmatch(l); m != nil {
			rows[m[1]] = l
		}
	}
	for _, kind := range plan.Kinds {
		row, ok := rows[kind]
		if !ok {
			t.Errorf("docs/spec.md: the workloads table has no row for kind %q", kind)
			continue
		}
		for _, f := range plan.Facts[kind] {
			if !strings.Contains(row, "`"+f+"`") {
				t.Errorf("docs/spec.md: the row of %s does not name its fact `%s`", kind, f)
			}
		}
	}
	for name := range functions {
		if !strings.Contains(string(b), "`"+name+"(") {
			t.Errorf("docs/spec.md does not show the function %s()", name)
		}
	}
}
