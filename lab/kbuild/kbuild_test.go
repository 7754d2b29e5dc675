package kbuild

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestErrorShowsCompilerLinesAtSourcePaths(t *testing.T) {
	e := &Error{Module: "m", Src: "modules/m", Dir: "/tmp/w/m", Err: errors.New("exit status 2"), Output: `make: Entering directory '/k'
  CC [M]  /tmp/w/m/m.c
/tmp/w/m/m.c:3:9: error: 'x' undeclared (first use in this function)
/tmp/w/m/m.c:4:1: warning: no return statement
make[1]: *** [/k/scripts/Makefile.build:255: /tmp/w/m/m.o] Error 1
`}
	got := e.Error()
	for _, want := range []string{"build m: make: exit status 2", "modules/m/m.c:3:9: error: 'x' undeclared", "modules/m/m.c:4:1: warning"} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() = %q, missing %q", got, want)
		}
	}
	if strings.Contains(got, "/tmp/w") || strings.Contains(got, "Makefile.build") {
		t.Errorf("Error() shows build-copy paths or make noise: %q", got)
	}
}

func TestErrorFallsBackToLastLines(t *testing.T) {
	e := &Error{Module: "m", Err: errors.New("exit status 2"), Output: "a\nb\nmake: *** No rule to make target 'modules'.  Stop.\n"}
	if !strings.Contains(e.Error(), "No rule to make target") {
		t.Fatalf("Error() = %q", e.Error())
	}
}

func TestCopySourcesNeedsKbuildAndSkipsMakefile(t *testing.T) {
	src := t.TempDir()
	for name, body := range map[string]string{"m.c": "int x;", "m.h": "", "Makefile": "all:\n\trm -rf /\n", "notes.txt": ""} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "m")
	if err := copySources(src, dst); err == nil || !strings.Contains(err.Error(), "no Kbuild") {
		t.Fatalf("copySources without Kbuild: %v", err)
	}
	if err := os.WriteFile(filepath.Join(src, "Kbuild"), []byte("obj-m := m.o\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := copySources(src, dst); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dst)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "Kbuild m.c m.h" {
		t.Fatalf("copied %v, want Kbuild m.c m.h", names)
	}
}
