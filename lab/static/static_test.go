package static

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

func TestPoints(t *testing.T) {
	for _, c := range []struct{ max, cost, n, want int }{
		{3, 1, 0, 3}, {3, 1, 2, 1}, {3, 1, 3, 0}, {3, 1, 40, 0}, {4, 2, 1, 2}, {4, 0, 1, 3},
		{2, 1 << 40, 1 << 40, 0}, {0, 1, 0, 0},
	} {
		if got := Points(c.max, c.cost, c.n); got != c.want {
			t.Errorf("Points(%d, %d, %d) = %d, want %d", c.max, c.cost, c.n, got, c.want)
		}
	}
}

// Hand-written in checkpatch's --terse --show-types format (not captured).
const handMadeOutput = `lkm5.c:1: WARNING:SPDX_LICENSE_TAG: Missing or malformed SPDX-License-Identifier tag in line 1
lkm5.c:33: CHECK:PARENTHESIS_ALIGNMENT: Alignment should match open parenthesis
Use of uninitialized value in concatenation at checkpatch.pl line 1480.
lkm5.c:40: ERROR:CODE_INDENT: code indent should use tabs where possible
`

func TestComplaints(t *testing.T) {
	items := complaints(handMadeOutput, "lab2/lkm5.c")
	if len(items) != 3 {
		t.Fatalf("items %+v, want 3", items)
	}
	if i := items[1]; i.File != "lab2/lkm5.c" || i.Line != 33 || i.Rule != "PARENTHESIS_ALIGNMENT" || i.Kind != Style ||
		i.Text != "check: Alignment should match open parenthesis" {
		t.Errorf("item %+v", i)
	}
}

func TestSafeBase(t *testing.T) {
	for name, want := range map[string]string{"lab2/lkm5.c": "lkm5.c", "x/--help.c": "module.c", "<img src=x>.c": "module.c", "a.h": "a.h", "notes": "module.c"} {
		if got := safeBase(name); got != want {
			t.Errorf("safeBase(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestWarningsKeepsWarnings(t *testing.T) {
	items := Warnings([]kbuild.Diagnostic{{File: "a.c", Line: 3, Severity: "warning", Text: "unused variable 'x'", Option: "-Wunused-variable"},
		{File: "a.c", Line: 5, Severity: "error", Text: "expected ';'"}})
	if len(items) != 1 || items[0].Rule != "-Wunused-variable" || items[0].Kind != Warning {
		t.Errorf("items %+v", items)
	}
}

// checkpatch returns the cache's checkpatch.pl, or skips saying how to
// get it (a failure with LKMLAB_REQUIRE_VM=1, where the minimal kernels
// are built).
func checkpatch(t *testing.T) Checkpatch {
	t.Helper()
	script, err := FindCheckpatch(kernel.DefaultCacheDir())
	if err != nil {
		if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return Checkpatch{Script: script}
}

func TestStyleOnAStudentFile(t *testing.T) {
	c := checkpatch(t)
	text, err := os.ReadFile("../../tests/testdata/real/amelia-r/mapper/lkm4.c")
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.Style(context.Background(), "mapper/lkm4.c", text)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, i := range items {
		rules[i.Rule] = true
		if i.File != "mapper/lkm4.c" || i.Line < 1 {
			t.Errorf("item %+v", i)
		}
	}
	// The file uses printk(KERN_INFO ...) and has no SPDX line.
	if !rules["PREFER_PR_LEVEL"] || !rules["SPDX_LICENSE_TAG"] {
		t.Errorf("rules %v, want PREFER_PR_LEVEL and SPDX_LICENSE_TAG", rules)
	}
	c.Ignore = []string{"PREFER_PR_LEVEL", "SPDX_LICENSE_TAG"}
	items, err = c.Style(context.Background(), "mapper/lkm4.c", text)
	for _, i := range items {
		if i.Rule == "PREFER_PR_LEVEL" || i.Rule == "SPDX_LICENSE_TAG" {
			t.Errorf("ignored rule reported: %+v (%v)", i, err)
		}
	}
	seed, _ := os.ReadFile("../../modules/hello/hello.c")
	if items, err := c.Style(context.Background(), "hello.c", seed); err != nil || len(items) != 0 {
		t.Errorf("the seed's hello.c: %v %+v, want no complaint", err, items)
	}
}

func TestFindCheckpatchSaysWhereItComesFrom(t *testing.T) {
	_, err := FindCheckpatch(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "lkmlab kernel build minimal") {
		t.Errorf("error %v", err)
	}
}
