package check

import (
	"strings"
	"testing"
)

func TestLoadAll(t *testing.T) {
	all, err := LoadAll("../../modules", nil)
	if err != nil || len(all) == 0 || all[0].Name != "hello" {
		t.Fatalf("LoadAll(modules) = %v, %v", all, err)
	}
	byPath, err := LoadAll("../../modules", []string{"../../tests/testdata/modules/oops"})
	if err != nil || byPath[0].Name != "oops" {
		t.Fatalf("LoadAll(path) = %v, %v", byPath, err)
	}
	_, err = LoadAll("../../modules", []string{"nosuch"})
	if err == nil || !strings.Contains(err.Error(), "modules in ../../modules: hello") {
		t.Fatalf("LoadAll(nosuch) error %v, want the list of modules", err)
	}
}
