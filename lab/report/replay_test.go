package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableNamesTheReplayOfEachFailedStep(t *testing.T) {
	r := sample()
	r.Seed = 42
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "    replay: lkmlab check --step bad:1 --kernel debian-6.1 --seed 42 hello bad broken\n"
	if !strings.Contains(b.String(), want) || strings.Count(b.String(), "replay:") != 1 {
		t.Fatalf("table lacks one replay line %q:\n%s", want, b.String())
	}
	b.Reset()
	if err := WriteTableFor(&b, r, ReplayCommand(r, "labs/week 3")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "--step bad:1 --kernel debian-6.1 --seed 42 --modules 'labs/week 3' hello bad broken") {
		t.Fatalf("a module folder with a blank is quoted:\n%s", b.String())
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"heap:2":       "heap:2",
		"modules/heap": "modules/heap",
		"":             "''",
		"a b":          "'a b'",
		"it's":         `'it'\''s'`,
		"$(rm -rf ~)":  "'$(rm -rf ~)'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
