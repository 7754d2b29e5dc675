package check

import (
	"strings"
	"testing"
)

func TestLoadAll(t *testing.T) {
	all, err := LoadAll("../../modules", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range all {
		names = append(names, m.Name)
	}
	if strings.Join(names, " ") != "heap hello ksp mapper running size" {
		t.Fatalf("LoadAll(modules) = %v, want the six seed modules, sorted", names)
	}
	byPath, err := LoadAll("../../modules", []string{"../../tests/testdata/modules/oops"})
	if err != nil || byPath[0].Name != "oops" {
		t.Fatalf("LoadAll(path) = %v, %v", byPath, err)
	}
	_, err = LoadAll("../../modules", []string{"nosuch"})
	if err == nil || !strings.Contains(err.Error(), "modules in ../../modules: heap, hello, ksp") {
		t.Fatalf("LoadAll(nosuch) error %v, want the list of modules", err)
	}
}
