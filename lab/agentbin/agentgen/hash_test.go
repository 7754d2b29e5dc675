package agentgen

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAddPackage(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "guest"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "guest", "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pkg  listedPackage
		want []string // keys expected in the entries
	}{
		{name: "standard library", pkg: listedPackage{ImportPath: "os", Standard: true}},
		{name: "this module", pkg: listedPackage{Dir: filepath.Join(root, "guest"), GoFiles: []string{"main.go"},
			Module: &listedModule{Path: "example.com/m", Main: true}}, want: []string{"file guest/main.go"}},
		{name: "dependency", pkg: listedPackage{Module: &listedModule{Path: "example.com/dep", Version: "v1.2.3", Sum: "h1:x"}},
			want: []string{"module example.com/dep@v1.2.3"}},
		{name: "replaced by a version", pkg: listedPackage{Module: &listedModule{Path: "example.com/dep", Version: "v1.2.3",
			Replace: &listedModule{Path: "example.com/fork", Version: "v1.2.4", Sum: "h1:y"}}},
			want: []string{"module example.com/fork@v1.2.4"}},
		{name: "replaced by a folder", pkg: listedPackage{Dir: filepath.Join(root, "guest"), GoFiles: []string{"main.go"},
			Module: &listedModule{Path: "example.com/dep", Version: "v1.2.3", Replace: &listedModule{Path: "../fork"}}},
			want: []string{"file guest/main.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := map[string]string{}
			if err := addPackage(entries, root, tt.pkg); err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(tt.want) {
				t.Fatalf("entries %v, want keys %v", entries, tt.want)
			}
			for _, k := range tt.want {
				if entries[k] == "" {
					t.Errorf("no entry %q in %v", k, entries)
				}
			}
		})
	}
}

func TestAddPackageMissingFile(t *testing.T) {
	err := addPackage(map[string]string{}, t.TempDir(), listedPackage{Dir: t.TempDir(), GoFiles: []string{"gone.go"},
		Module: &listedModule{Main: true}})
	if err == nil {
		t.Fatal("no error for a listed file that does not exist")
	}
}

// TestSourceHashIgnoresHowRootIsNamed hashes this module from two names
// of its root: the hash must not depend on where the checkout is or how
// the caller names it.
func TestSourceHashIgnoresHowRootIsNamed(t *testing.T) {
	abs, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
		t.Skipf("not in the repository: %v", err)
	}
	a, err := SourceHash(t.Context(), "go", "../../..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := SourceHash(t.Context(), "go", abs)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("SourceHash(../../..) = %s, SourceHash(%s) = %s", a, abs, b)
	}
}
