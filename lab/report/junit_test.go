package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
