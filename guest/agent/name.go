package agent

import (
	"path/filepath"
	"strings"
)

// ModuleName is the kernel's name for the module in a .ko file: the base
// name without extension, with dashes as underscores.
func ModuleName(path string) string {
	base := filepath.Base(path)
	if i := strings.Index(base, ".ko"); i >= 0 {
		base = base[:i]
	}
	return strings.ReplaceAll(base, "-", "_")
}
