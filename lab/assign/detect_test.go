package assign

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestDetectSeedModules checks each seed module's code is recognised as
// its own task's and no other's, by the built-in assignment's patterns.
func TestDetectSeedModules(t *testing.T) {
	a := Default()
	for _, task := range a.Tasks {
		if err := CheckDetect(task.Detect); err != nil {
			t.Fatalf("task %s: %v", task.Name, err)
		}
		src, err := os.ReadFile(filepath.Join("..", "..", "modules", task.Name, task.Name+".c")) // the repository's own

		if err != nil {
			t.Fatal(err)
		}
		var claim []string
		for _, other := range a.Tasks {
			d, _ := compileDetect(other.Detect)
			if ok, _ := d.match(codeText(src)); ok {
				claim = append(claim, other.Name)
			}
		}
		if !slices.Equal(claim, []string{task.Name}) {
			t.Errorf("modules/%s/%s.c is claimed by %v, want only %s", task.Name, task.Name, claim, task.Name)
		}
	}
}
