package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/result"
)

func sample() *result.Report {
	return &result.Report{Kernel: "debian-6.1", Release: "6.1.0-56-amd64", Boots: 1,
		Accel: result.Accel{Name: "tcg", Reason: "no kvm"},
		Modules: []result.Module{
			{Name: "hello", Verdict: result.Pass, Steps: []result.Step{
				{Name: "insmod hello", Verdict: result.Pass, MS: 25}, {Name: "rmmod hello", Verdict: result.Pass, MS: 12}}},
			{Name: "bad", Verdict: result.Fail, Steps: []result.Step{
				{Name: "insmod bad", Verdict: result.Fail, MS: 20, Reason: "output differs from the spec (- expected, + got)",
					Diff: []string{"- Hello", "+ hello"}}}},
			{Name: "broken", Verdict: result.BuildError, Error: "build broken: make: exit status 2\n  broken.c:3: error: x"},
		}}
}

// TestJSONShape decodes the report generically, as a consumer would, and
// checks the fields the CLI promises.
func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Kernel  string `json:"kernel"`
		Accel   string `json:"accel"`
		Passed  bool   `json:"passed"`
		Modules []struct {
			Name    string `json:"name"`
			Verdict string `json:"verdict"`
			Steps   []struct {
				Name    string `json:"name"`
				Verdict string `json:"verdict"`
				MS      *int64 `json:"ms"`
			} `json:"steps"`
		} `json:"modules"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Kernel != "debian-6.1" || got.Accel != "tcg" || got.Passed || len(got.Modules) != 3 {
		t.Fatalf("header: %+v", got)
	}
	m := got.Modules[0]
	if m.Name != "hello" || m.Verdict != "pass" || len(m.Steps) != 2 || m.Steps[0].Name != "insmod hello" ||
		m.Steps[0].MS == nil || *m.Steps[0].MS != 25 {
		t.Fatalf("module: %+v", m)
	}
	if got.Modules[2].Verdict != "build-error" || got.Modules[2].Steps == nil {
		t.Fatalf("build error module must have a verdict and an empty steps list: %s", b.String())
	}
}

func TestTableShowsDiffAndCompilerLines(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sample()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"hello   insmod hello", "PASS", "- Hello", "+ hello", "broken.c:3: error: x", "1 of 3 modules passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
