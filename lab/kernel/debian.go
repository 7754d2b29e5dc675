package kernel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// cachePathBadChars are characters make, Kbuild or apt.conf cannot take in
// the cache path.
const cachePathBadChars = " \t\n\"'#$:;\\"

// resolveDebian returns the pinned Debian kernel, fetching it on first use.
func resolveDebian(ctx context.Context, name string, pin debianPin, o Options) (*Kernel, error) {
	k, err := fetchDebian(ctx, name, pin, o)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", name, err)
	}
	return k, nil
}

// fetchDebian returns the cached kernel or, under the pin's lock, builds it.
func fetchDebian(ctx context.Context, name string, pin debianPin, o Options) (*Kernel, error) {
	if k, err := cachedDebian(name, pin, o); k != nil || err != nil {
		return k, err
	}
	if err := checkCachePath(o.CacheDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.kernelsDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	lock := filepath.Join(o.kernelsDir(), pin.dirName()+".lock")
	unlock, err := acquireLock(ctx, lock, "fetching "+name, o.Logf)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if k, err := cachedDebian(name, pin, o); k != nil || err != nil {
		return k, err
	}
	return fetchLocked(ctx, name, pin, o)
}

// cachedDebian returns the cached kernel for pin, or the one that replaced
// it when the pin was gone from the archive (warning again; an error under
// strict pins), or nil.
func cachedDebian(name string, pin debianPin, o Options) (*Kernel, error) {
	kernels := o.kernelsDir()
	if k := loadReady(filepath.Join(kernels, pin.dirName())); k != nil {
		return k, nil
	}
	k := loadFallback(kernels, pin)
	if k == nil {
		return nil, nil
	}
	if o.Strict {
		return nil, debianPinError(name, pin, fallbackPin(pin, k))
	}
	o.Logf("kernel: WARNING: using %s because Debian no longer offers the pinned %s %s; update the pin in %s",
		k.Source, pin.imagePackage(), pin.Version, pinFile)
	return k, nil
}

// loadFallback returns the cached kernel recorded as replacing pin, or nil.
func loadFallback(kernels string, pin debianPin) *Kernel {
	alt := readFallback(kernels, pin)
	if alt == "" {
		return nil
	}
	return loadReady(filepath.Join(kernels, alt))
}

// fallbackPin is the pin k was fetched from, as far as its record tells
// (cache entries before Package was recorded give pin's Version back).
func fallbackPin(pin debianPin, k *Kernel) debianPin {
	alt := pin
	alt.ABI = strings.TrimSuffix(k.Release, "-"+pin.Flavour)
	identify(k)
	if _, v, ok := strings.Cut(k.Package, "="); ok {
		alt.Version = v
	}
	return alt
}

// fetchLocked downloads, unpacks and caches the kernel. The caller holds
// the pin's lock.
func fetchLocked(ctx context.Context, name string, pin debianPin, o Options) (*Kernel, error) {
	if err := requireTool("dpkg-deb", "dpkg"); err != nil {
		return nil, err
	}
	if err := requireTool("xz", "xz-utils"); err != nil {
		return nil, err
	}
	apt := newAptRepo(o)
	unlock, err := apt.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := apt.prepare(); err != nil {
		return nil, err
	}
	if o.Strict {
		if err := strictOffered(ctx, apt, name, pin); err != nil {
			return nil, err
		}
	}
	set, err := apt.selectPackages(ctx, pin)
	if err != nil {
		return nil, err
	}
	final := filepath.Join(o.kernelsDir(), set.dirName())
	k := loadReady(final)
	if k == nil {
		k, err = buildInto(final, o.Logf, func(tmp string) (*Kernel, error) {
			return staging{tmp: tmp, final: final, logf: o.Logf}.debian(ctx, name, set, apt)
		})
		if err != nil {
			return nil, err
		}
	}
	if set.dirName() != pin.dirName() {
		if err := writeFallback(o.kernelsDir(), pin, set); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// lock serialises use of the private apt state between processes.
func (a *aptRepo) lock(ctx context.Context) (func(), error) {
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create apt dir: %w", err)
	}
	return acquireLock(ctx, filepath.Join(a.dir, "lock"), "using "+a.dir, a.logf)
}

// staging is a kernel being laid out in tmp for its place final, with
// progress to logf.
type staging struct {
	tmp, final string
	logf       func(string, ...any)
}

// debian downloads and unpacks set into st.tmp, laid out for st.final.
func (st staging) debian(ctx context.Context, name string, set debianPin, apt *aptRepo) (*Kernel, error) {
	tmp, final, logf := st.tmp, st.final, st.logf
	debs := filepath.Join(tmp, "debs")
	if err := os.Mkdir(debs, 0o755); err != nil {
		return nil, fmt.Errorf("create download dir: %w", err)
	}
	logf("kernel: downloading %d packages (debian %s)", len(set.packages()), set.Version)
	start := time.Now()
	size, err := apt.download(ctx, set, debs)
	if err != nil {
		return nil, err
	}
	logf("kernel: downloaded %s in %s", humanSize(size), since(start))
	rel := set.release()
	buildRel := filepath.Join("usr/src", "linux-headers-"+rel)
	if err := st.unpackTree(ctx, debs, buildRel); err != nil {
		return nil, err
	}
	bzImage := filepath.Join("root", "boot", "vmlinuz-"+rel)
	var image string
	if set.arch() == ARM64 {
		image, err = st.arm64Image(filepath.Join(tmp, bzImage))
	} else {
		image, err = st.bootImage(ctx, filepath.Join(tmp, bzImage), filepath.Join(final, bzImage))
	}
	if err != nil {
		return nil, err
	}
	return &Kernel{
		Name:       name,
		Release:    rel,
		Image:      image,
		BzImage:    filepath.Join(final, bzImage),
		BuildDir:   filepath.Join(final, "root", buildRel),
		ModulesDir: filepath.Join(final, "root", "lib", "modules", rel),
		Source:     set.source(),
		Package:    set.imagePackage() + "=" + set.Version,
		Arch:       set.arch(),
	}, nil
}

// strictOffered returns a PinError when the archive no longer offers pin.
func strictOffered(ctx context.Context, apt *aptRepo, name string, pin debianPin) error {
	ok, err := apt.offered(ctx, pin)
	if err != nil || ok {
		return err
	}
	alt, err := apt.newest(ctx, pin)
	if err != nil {
		alt = pin
	}
	return debianPinError(name, pin, alt)
}

// unpackTree unpacks the .debs into <tmp>/root, makes the build tree work
// from <final>/root and removes the .debs.
func (st staging) unpackTree(ctx context.Context, debs, buildRel string) error {
	tmp, final, logf := st.tmp, st.final, st.logf
	logf("kernel: unpacking")
	start := time.Now()
	root := filepath.Join(tmp, "root")
	if err := unpackDebs(ctx, debs, root); err != nil {
		return err
	}
	if err := os.RemoveAll(debs); err != nil {
		return fmt.Errorf("remove downloaded packages: %w", err)
	}
	if err := rewriteHeadersMakefile(root, filepath.Join(final, "root"), buildRel); err != nil {
		return err
	}
	if err := fixSymlinks(root); err != nil {
		return err
	}
	need := []string{filepath.Join(buildRel, "scripts", "Makefile.build"), filepath.Join(buildRel, "Module.symvers")}
	if err := checkUnpacked(root, need...); err != nil {
		return err
	}
	logf("kernel: unpacked in %s", since(start))
	return nil
}

// bootImage extracts bzImage's vmlinux to <tmp>/vmlinux and returns the
// Image to record: <final>/vmlinux, or finalBzImage when the vmlinux has no
// PVH note.
func (st staging) bootImage(ctx context.Context, bzImage, finalBzImage string) (string, error) {
	tmp, final, logf := st.tmp, st.final, st.logf
	logf("kernel: extracting vmlinux")
	start := time.Now()
	out := filepath.Join(tmp, "vmlinux")
	err := extractVmlinux(ctx, bzImage, out)
	if errors.Is(err, ErrNoPVH) {
		logf("kernel: %s has no PVH entry note; booting the bzImage", bzImage)
		return finalBzImage, nil
	}
	if err != nil {
		return "", err
	}
	size := int64(0)
	if fi, err := os.Stat(out); err == nil {
		size = fi.Size()
	}
	logf("kernel: extracted vmlinux (%s) in %s", humanSize(size), since(start))
	return filepath.Join(final, "vmlinux"), nil
}

// checkCachePath rejects cache paths the build tools cannot handle.
func checkCachePath(dir string) error {
	if i := strings.IndexAny(dir, cachePathBadChars); i >= 0 {
		return fmt.Errorf("cache dir %q contains %q, which make and Kbuild cannot handle: set LKMLAB_CACHE to a plain path such as $HOME/.cache/lkmlab",
			dir, dir[i:i+1])
	}
	return nil
}

// fallbackPath is the file recording which kernel replaced a vanished pin.
func fallbackPath(kernels string, pin debianPin) string {
	return filepath.Join(kernels, pin.dirName()+".fallback")
}

// readFallback returns the cache dir name that replaced pin, or "".
func readFallback(kernels string, pin debianPin) string {
	data, err := os.ReadFile(fallbackPath(kernels, pin))
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(data))
	if name == "" || strings.ContainsRune(name, filepath.Separator) {
		return ""
	}
	return name
}

// writeFallback records that set replaced pin.
func writeFallback(kernels string, pin, set debianPin) error {
	if err := os.WriteFile(fallbackPath(kernels, pin), []byte(set.dirName()+"\n"), 0o644); err != nil {
		return fmt.Errorf("record fallback kernel: %w", err)
	}
	return nil
}
