package initramfs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/ulikunitz/xz"
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
		if err == nil && !d.IsDir() {
			// Debian compresses its modules from 6.x on: name.ko.xz.
			if base, ok := strings.CutSuffix(strings.TrimSuffix(d.Name(), ".xz"), ".ko"); ok {
				index[canon(base)] = p
			}
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
		p, err := uncompressed(p)
		if err != nil {
			return fmt.Errorf("find support modules: %w", err)
		}
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

// uncompressed returns the path of an uncompressed copy of an xz module,
// made once beside it (a kernel lkmlab unpacked into its cache) or in the
// user's temp folder; an uncompressed module is its own.
func uncompressed(p string) (string, error) {
	if !strings.HasSuffix(p, ".xz") {
		return p, nil
	}
	out := strings.TrimSuffix(p, ".xz")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := unxz(p, out); err == nil {
		return out, nil
	}
	out = filepath.Join(os.TempDir(), fmt.Sprintf("lkmlab-support-%d", os.Getuid()), filepath.Base(out))
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return "", err
	}
	return out, unxz(p, out)
}

// unxz writes the decompressed in to out, through a temp file renamed
// into place.
func unxz(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := xz.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".unxz-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("decompress %s: %w", in, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func canon(name string) string { return strings.ReplaceAll(name, "-", "_") }
