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
