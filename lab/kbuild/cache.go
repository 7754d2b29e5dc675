package kbuild

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A build cache keeps each built .ko under a key made of everything the
// build reads: the module's sources, the kernel build tree's configuration
// and symbols, and the make arguments. An unchanged module is not built
// again; any change to what it reads is a new key.

// sandboxEpoch changes whenever the sandbox shows a build less of the host
// (2: empty /proc/cmdline and /proc/version; 3: no /proc at all).
const sandboxEpoch = "sandbox-3"

// cacheKey returns the key for building srcDir against kdir with opts.
func cacheKey(srcDir, kdir string, opts Options) (string, error) {
	h := sha256.New()
	sandbox := "none"
	if opts.Sandbox != nil {
		// What a sandboxed build can read is part of what it read: a
		// module built before the sandbox hid a host file may carry it.
		sandbox = fmt.Sprintf("%s container=%v", sandboxEpoch, containerMode())
	}
	// A direct build runs make's commands, but a .ko from one method is
	// not taken for the other's should they ever differ.
	method := "make"
	if _, ok := directName(srcDir); ok {
		method = directMethod()
	}
	fmt.Fprintf(h, "kbuild-cache-1\nkdir %s\nargs %q\nsandbox %s\nmethod %s\n", kdir, opts.ExtraArgs, sandbox, method)
	for _, f := range []string{".config", "Module.symvers", "Makefile"} {
		fi, err := os.Stat(filepath.Join(kdir, f))
		if err != nil {
			if f == "Module.symvers" {
				continue
			}
			return "", err
		}
		fmt.Fprintf(h, "%s %d %d\n", f, fi.Size(), fi.ModTime().UnixNano())
	}
	entries, err := os.ReadDir(srcDir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && isSource(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(srcDir, n))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %q %d\n", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

// cached is what the cache keeps of one build.
type cached struct {
	ko    string // the .ko in the cache
	built string // the folder the compiler saw (debug info names it)
}

func cacheLookup(dir, key string) (cached, bool) {
	entry := filepath.Join(dir, key)
	built, err := os.ReadFile(filepath.Join(entry, "built-in"))
	if err != nil {
		return cached{}, false
	}
	kos, _ := filepath.Glob(filepath.Join(entry, "*.ko"))
	if len(kos) != 1 {
		return cached{}, false
	}
	return cached{ko: kos[0], built: strings.TrimSpace(string(built))}, true
}

// cacheStore copies a built module in; a failure only costs the next
// build, so it is not reported.
func cacheStore(dir, key string, m *Module) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.MkdirTemp(dir, ".new-")
	if err != nil {
		return
	}
	defer os.RemoveAll(tmp)
	if copyFile(m.KO, filepath.Join(tmp, filepath.Base(m.KO))) != nil ||
		os.WriteFile(filepath.Join(tmp, "built-in"), []byte(m.Dir+"\n"), 0o644) != nil {
		return
	}
	_ = os.Rename(tmp, filepath.Join(dir, key)) // lost a race: theirs is the same
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
