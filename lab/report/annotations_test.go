package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteAnnotations(t *testing.T) {
	var b bytes.Buffer
	err := WriteAnnotations(&b, []Annotation{
		{Level: "warning", File: "lab2/lkm4.c", Line: 12, Title: "warnings: mapper", Text: "unused variable 'x' [-Wunused-variable]"},
		{Level: "notice", File: "a,b:c.c", Line: 3, Title: "style: size", Text: "line\n::error file=grades.csv::forged"},
		{Level: "bogus", File: "x.c", Title: "t", Text: "no line"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "::warning file=lab2/lkm4.c,line=12,title=warnings%3A mapper::unused variable 'x' [-Wunused-variable]\n" +
		"::notice file=a%2Cb%3Ac.c,line=3,title=style%3A size::line%0A::error file=grades.csv::forged\n" +
		"::warning file=x.c,title=t::no line\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if strings.HasPrefix(l, "::error") {
			t.Errorf("student text started a workflow command: %q", l)
		}
	}
}
