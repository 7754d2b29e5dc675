package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lkmlab/lkmlab/lab/result"
)

func TestJUnitCounts(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var got JUnitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Tests != 4 || got.Failures != 1 || got.Errors != 1 || len(got.Suites) != 3 {
		t.Fatalf("tests %d failures %d errors %d suites %d:\n%s", got.Tests, got.Failures, got.Errors, len(got.Suites), b.String())
	}
	if c := got.Suites[2].Cases[0]; c.Name != "build" || c.Error == nil || c.Error.Type != "build-error" {
		t.Fatalf("build error case: %+v", c)
	}
}

// hostileJUnit is a report whose kernel log and reasons hold what XML 1.0
// forbids: control characters, invalid UTF-8, U+FFFE.
func hostileJUnit() *result.Report {
	r := sample()
	r.Modules[1].Steps[0].Reason = "bad\x00nul \x1b[31mred\x07 \xff\xfe utf8 \uFFFE ]]> </failure><x>"
	r.Modules[1].Steps[0].Log = []string{"[ 1.0] \x01\x02 line", "\xc3\x28 broken", "ok \t\ttab"}
	r.Modules[1].Name = "bad\x0b"
	return r
}

func TestJUnitStripsForbiddenCharacters(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, hostileJUnit()); err != nil {
		t.Fatal(err)
	}
	var got JUnitSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%q", err, b.String())
	}
	c := got.Suites[1].Cases[0]
	tests := []struct{ name, got, want string }{
		{"suite name", got.Suites[1].Name, "bad"},
		{"failure message", c.Failure.Message, "badnul [31mred  utf8  ]]> </failure><x>"},
		{"system-out", c.SystemOut, "[ 1.0]  line\n( broken\nok \t\ttab"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

// TestJUnitValidates checks the output against the common JUnit schema
// with xmllint (package libxml2-utils); CI installs it.
func TestJUnitValidates(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
			t.Fatal("xmllint not found: apt-get install libxml2-utils")
		}
		t.Skip("xmllint not found: apt-get install libxml2-utils")
	}
	var b bytes.Buffer
	if err := WriteJUnit(&b, sample()); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "junit.xml")
	var hostile bytes.Buffer
	if err := WriteJUnit(&hostile, hostileJUnit()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, hostile.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", f).CombinedOutput(); err != nil {
		t.Fatalf("xmllint on hostile text: %v\n%s", err, out)
	}
	if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	// The schema must be able to say no: a case without classname.
	bad := bytes.Replace(b.Bytes(), []byte(`classname="lkmlab.hello" `), nil, 1)
	if err := os.WriteFile(f, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", f).Run(); err == nil {
		t.Fatal("xmllint accepted a testcase without classname")
	}
}
