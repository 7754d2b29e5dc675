package initramfs

import (
	"debug/elf"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
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
		deps, err := Depends(p)
		if err != nil {
			return err
		}
		for _, d := range deps {
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

// Depends reads the "depends=" field of a .ko's .modinfo section.
func Depends(ko string) ([]string, error) {
	v, err := ModInfo(ko, "depends")
	if err != nil || len(v) == 0 || v[0] == "" {
		return nil, err
	}
	return strings.Split(v[0], ","), nil
}

// ModInfo returns every value of key in a .ko's .modinfo section.
func ModInfo(ko, key string) ([]string, error) {
	f, err := elf.Open(ko)
	if err != nil {
		return nil, fmt.Errorf("read modinfo of %s: %w", ko, err)
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("read modinfo of %s: no .modinfo section (not a kernel module?)", ko)
	}
	b, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read modinfo of %s: %w", ko, err)
	}
	var vals []string
	for _, kv := range strings.Split(string(b), "\x00") {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			vals = append(vals, v)
		}
	}
	return vals, nil
}

func canon(name string) string { return strings.ReplaceAll(name, "-", "_") }
