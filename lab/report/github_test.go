package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
)

func TestGitHubAnnotations(t *testing.T) {
	r := sample()
	r.Modules[2].Error = "build broken: make: exit status 2\n  modules/broken/broken.c:10:16: error: 'x' undeclared, here"
	r.Modules = append(r.Modules, result.Module{Name: "oops", Verdict: result.Crash, Steps: []result.Step{{
		Name: "insmod oops", Verdict: result.Crash, Reason: "oops",
		Failures: []*kmsg.Failure{{Kind: kmsg.Oops, Title: "BUG: kernel NULL pointer dereference",
			Source: "modules/oops/oops.c:12 (oops_init)"}}}}})
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"::error file=modules/broken/broken.c,line=10,col=16,title=build broken::'x' undeclared, here\n",
		"::error file=modules/oops/oops.c,line=12,title=insmod oops%3A crash::oops: BUG: kernel NULL pointer dereference%0Aat modules/oops/oops.c:12 (oops_init)\n",
		"::error title=insmod bad%3A fail::output differs from the spec (- expected, + got)%0A- Hello%0A+ hello\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hello::") || strings.Count(out, "\n") != 3 {
		t.Errorf("passing modules must not be annotated:\n%s", out)
	}
}

func TestSummaryTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, sample()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| hello | insmod hello | ✅ pass | 25 |  |", "| bad | insmod bad | ❌ fail | 20 | output differs", "| broken | build | ❌ build-error |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}
