package initramfs

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/ko"
)

// SupportModules finds the named kernel modules under modulesDir with
// everything they depend on (the .ko's modinfo "depends="), ordered so that
// each comes after its dependencies, as guest files under /lib/modules/support.
// Names that are not there (built in, or not in this kernel) are left out:
// support modules make failures clearer, they are not required.
func SupportModules(modulesDir string, names ...string) ([]File, error) {
	if modulesDir == "" {
		return nil, nil
	}
	index := map[string]string{}
	err := filepath.WalkDir(modulesDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".ko") {
			index[canon(strings.TrimSuffix(d.Name(), ".ko"))] = p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index modules in %s: %w", modulesDir, err)
	}
	var out []File
	seen := map[string]bool{}
	var add func(name string) error
	add = func(name string) error {
		name = canon(name)
		p, ok := index[name]
		if !ok || seen[name] {
			return nil
		}
		seen[name] = true
		m, err := ko.Open(p)
		if err != nil {
			return fmt.Errorf("find support modules: %w", err)
		}
		for _, d := range m.Depends {
			if err := add(d); err != nil {
				return err
			}
		}
		out = append(out, File{Host: p, Guest: "/lib/modules/support/" + filepath.Base(p)})
		return nil
	}
	for _, n := range names {
		if err := add(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ModInfo returns every value of key in a .ko's .modinfo section.
//
// Deprecated: use ko.Open and Module.ModInfo (or Module.Params, which also
// sees parameters declared without MODULE_PARM_DESC). Kept only until the
// grader's parameter check moves to lab/ko.
func ModInfo(path, key string) ([]string, error) {
	m, err := ko.Open(path)
	if err != nil {
		return nil, err
	}
	return m.ModInfo[key], nil
}

func canon(name string) string { return strings.ReplaceAll(name, "-", "_") }
