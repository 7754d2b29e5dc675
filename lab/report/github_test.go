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

// annotation is a workflow command line as the Actions runner reads it
// (actions/runner ActionCommand.TryParseV2): "::name k=v,k=v::message",
// properties split on ',' and '=', then unescaped.
type annotation struct {
	name    string
	props   map[string]string
	message string
}

func parseCommand(t *testing.T, line string) annotation {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "::")
	head, msg, ok2 := strings.Cut(rest, "::")
	if !ok || !ok2 {
		t.Fatalf("not a workflow command: %q", line)
	}
	name, props, _ := strings.Cut(head, " ")
	a := annotation{name: name, props: map[string]string{}, message: unescapeData(msg)}
	for _, p := range strings.Split(props, ",") {
		if k, v, ok := strings.Cut(p, "="); ok {
			a.props[k] = unescapeProp(v)
		}
	}
	return a
}

func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func unescapeProp(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// TestGitHubAnnotationsHoldHostileText: what a student prints or names
// arrives whole in one annotation, and never starts a command of its own.
func TestGitHubAnnotationsHoldHostileText(t *testing.T) {
	evil := "done\n::add-mask::secret\r\n::stop-commands::x\n%0A::error::forged, title=x"
	r := &result.Report{Modules: []result.Module{
		{Name: "m,1::x", Verdict: result.BuildError,
			Error: "build m: make: exit 2\nsrc/a,b::c.c:3:7: error: '" + evil + "'"},
		{Name: "n", Verdict: result.Fail, Steps: []result.Step{{Name: "insmod n::x,y", Verdict: result.Fail, Reason: evil,
			Diff: []string{"- want", "+ ::error::got"}}}},
		{Name: "o", Verdict: result.Crash, Steps: []result.Step{{Name: "insmod o", Verdict: result.Crash, Reason: "oops",
			Failures: []*kmsg.Failure{{Kind: kmsg.Oops, Title: evil, Source: "dir,x=1::y/o.c:12 (f)"}}}}},
	}}
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 { // m's compiler line names no file the pattern takes ("::" in it): only n and o
		t.Fatalf("%d lines, want 2 annotations:\n%s", len(lines), b.String())
	}
	n, o := parseCommand(t, lines[0]), parseCommand(t, lines[1])
	if n.name != "error" || n.props["title"] != "insmod n::x,y: fail" || n.message != evil+"\n- want\n+ ::error::got" {
		t.Errorf("step annotation read back as %+v", n)
	}
	if o.props["file"] != "dir,x=1::y/o.c" || o.props["line"] != "12" || !strings.Contains(o.message, evil) {
		t.Errorf("failure annotation read back as %+v", o)
	}
}

func TestGitHubCompilerAnnotationProps(t *testing.T) {
	r := &result.Report{Modules: []result.Module{{Name: "m,1::x", Verdict: result.BuildError,
		Error: "build: exit 2\nsrc/a,b.c:3:7: error: 'x' undeclared %0A::error::y"}}}
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	a := parseCommand(t, strings.TrimSuffix(b.String(), "\n"))
	if a.props["file"] != "src/a,b.c" || a.props["line"] != "3" || a.props["col"] != "7" ||
		a.props["title"] != "build m,1::x" || a.message != "'x' undeclared %0A::error::y" {
		t.Fatalf("compiler annotation read back as %+v from %q", a, b.String())
	}
}

func TestSummaryEscapesStudentText(t *testing.T) {
	r := &result.Report{Kernel: "k", Modules: []result.Module{{Name: "m", Verdict: result.Fail, Steps: []result.Step{
		{Name: "insmod m", Verdict: result.Fail, Reason: "<script>alert(1)</script> | [x](javascript:alert(1))\n# next"}}}}}
	var b bytes.Buffer
	if err := WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	tags, text := elements(render(t, b.String()))
	for _, tag := range tags {
		if tag == "script" || tag == "a" || tag == "h1" {
			t.Errorf("summary renders a <%s>:\n%s", tag, b.String())
		}
	}
	if !strings.Contains(text, "<script>alert(1)</script> | [x](javascript:alert(1))") {
		t.Errorf("summary text lost the reason: %q", text)
	}
}
