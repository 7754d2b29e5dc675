package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

func TestKTAPRoundTrip(t *testing.T) {
	r := sample()
	r.Modules = append(r.Modules,
		result.Module{Name: "hang", Verdict: result.Timeout, Steps: []result.Step{
			{Name: "insmod hang", Verdict: result.Timeout, Reason: "insmod did not return within 3s"},
			{Name: "rmmod hang", Verdict: result.Skipped, Reason: "an earlier step of this module did not succeed"}}},
		result.Module{Name: "oops", Verdict: result.Crash, Steps: []result.Step{
			{Name: "insmod oops", Verdict: result.Crash, Reason: "oops: BUG: kernel NULL pointer dereference # not a directive\nRIP: 0010:f+0x1/0x2 [oops]"}}})
	var b bytes.Buffer
	if err := WriteKTAP(&b, r); err != nil {
		t.Fatal(err)
	}
	tests, err := parseKTAP(&b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(tests) != len(r.Modules) {
		t.Fatalf("%d tests, want %d", len(tests), len(r.Modules))
	}
	for i, m := range r.Modules {
		got := tests[i]
		wantOK := m.Verdict == result.Pass
		if got.Name != m.Name || got.OK != wantOK || len(got.Subtests) != len(m.Steps) {
			t.Errorf("module %s: got %+v", m.Name, got)
		}
		for j, s := range m.Steps {
			st := got.Subtests[j]
			want := map[result.Verdict]string{result.Skipped: "SKIP", result.Timeout: "TIMEOUT", result.Crash: "ERROR"}[s.Verdict]
			if st.Name != s.Name || st.Directive != want || st.OK != (s.Verdict == result.Pass || s.Verdict == result.Skipped) {
				t.Errorf("step %s: got %+v, want directive %q", s.Name, st, want)
			}
		}
	}
}

func TestParseKTAPRejectsBrokenInput(t *testing.T) {
	for name, in := range map[string]string{
		"no version":    "1..1\nok 1 a\n",
		"bad number":    "KTAP version 1\n1..2\nok 1 a\nok 3 b\n",
		"plan mismatch": "KTAP version 1\n1..3\nok 1 a\nok 2 b\n",
		"garbage":       "KTAP version 1\n1..1\nhello\nok 1 a\n",
	} {
		if _, err := parseKTAP(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

// TestKTAPWithKunitTool checks the encoder's output with the kernel's own
// KTAP parser, kunit_tool, from the Linux source the minimal kernels are
// built from.
func TestKTAPWithKunitTool(t *testing.T) {
	tools := ktapKunitTools()
	if len(tools) == 0 {
		msg := "no kunit.py that parses KTAP: it comes with the Linux 6.x source the minimal kernels build from (lkmlab kernel build minimal)"
		if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found: apt-get install python3")
	}
	r := sample()
	r.Modules = append(r.Modules, result.Module{Name: "oops", Verdict: result.Crash, Steps: []result.Step{
		{Name: "insmod oops", Verdict: result.Crash, Reason: "oops: BUG # not a directive"}}})
	var b bytes.Buffer
	if err := WriteKTAP(&b, r); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", tools[0], "parse", "--json") // KTAP on stdin
	cmd.Stdin = bytes.NewReader(b.Bytes())
	out, _ := cmd.Output() // exit 1 when a test failed, as some do here
	text := string(out)
	if strings.Contains(text, "[ERROR]") || strings.Contains(text, "missing") {
		t.Fatalf("kunit_tool found errors in our KTAP:\n%s\n%s", b.String(), text)
	}
	for _, m := range r.Modules {
		if !strings.Contains(text, `"name": "`+m.Name+`"`) {
			t.Errorf("kunit_tool did not see test %s:\n%s", m.Name, text)
		}
	}
}

// ktapKunitTools are the cached kunit.py whose parser reads KTAP (5.10's
// predates it: minimal-5.10's source has a TAP-only kunit_tool).
func ktapKunitTools() []string {
	all, _ := filepath.Glob(filepath.Join(kernel.DefaultCacheDir(), "kernels", "minimal-*", "src", "tools", "testing", "kunit", "kunit.py"))
	var tools []string
	for _, t := range all {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(t), "kunit_parser.py"))
		if err == nil && bytes.Contains(b, []byte("KTAP version")) {
			tools = append(tools, t)
		}
	}
	return tools
}
