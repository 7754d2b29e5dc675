package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/verdict"
)

func TestKTAPRoundTrip(t *testing.T) {
	r := sample()
	r.Modules = append(r.Modules,
		verdict.Module{Name: "hang", Verdict: verdict.Timeout, Steps: []verdict.Step{
			{Name: "insmod hang", Verdict: verdict.Timeout, Reason: "insmod did not return within 3s"},
			{Name: "rmmod hang", Verdict: verdict.Skipped, Reason: "an earlier step of this module did not succeed"}}},
		verdict.Module{Name: "oops", Verdict: verdict.Crash, Steps: []verdict.Step{
			{Name: "insmod oops", Verdict: verdict.Crash, Reason: "oops: BUG: kernel NULL pointer dereference # not a directive\nRIP: 0010:f+0x1/0x2 [oops]"}}})
	var b bytes.Buffer
	if err := WriteKTAP(&b, r); err != nil {
		t.Fatal(err)
	}
	tests, err := ParseKTAP(&b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(tests) != len(r.Modules) {
		t.Fatalf("%d tests, want %d", len(tests), len(r.Modules))
	}
	for i, m := range r.Modules {
		got := tests[i]
		wantOK := m.Verdict == verdict.Pass
		if got.Name != m.Name || got.OK != wantOK || len(got.Subtests) != len(m.Steps) {
			t.Errorf("module %s: got %+v", m.Name, got)
		}
		for j, s := range m.Steps {
			st := got.Subtests[j]
			want := map[verdict.Verdict]string{verdict.Skipped: "SKIP", verdict.Timeout: "TIMEOUT", verdict.Crash: "ERROR"}[s.Verdict]
			if st.Name != s.Name || st.Directive != want || st.OK != (s.Verdict == verdict.Pass || s.Verdict == verdict.Skipped) {
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
		if _, err := ParseKTAP(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}
