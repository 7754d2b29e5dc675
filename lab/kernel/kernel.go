package kernel

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
)

// DefaultName is the kernel Resolve uses when asked for "".
const DefaultName = "debian-6.1"

// hostName asks for the kernel the machine is running.
const hostName = "host"

// defaultMirror is the Debian mirror used when neither Options.Mirror nor
// $LKMLAB_DEBIAN_MIRROR is set.
const defaultMirror = "http://deb.debian.org"

// Kernel is a resolved kernel: what boots, what builds its modules, and
// what names it in a report (kinfo.Kernel, which packages that only name
// a kernel import without this package's fetching and building).
type Kernel = kinfo.Kernel

// Options configure Resolve. The zero value works.
type Options struct {
	CacheDir string                           // default DefaultCacheDir()
	Mirror   string                           // Debian mirror URL, default $LKMLAB_DEBIAN_MIRROR or http://deb.debian.org
	Logf     func(format string, args ...any) // progress lines; nil means silent
	// Strict fails when a pinned package (pins.go) is gone from Debian's
	// archive, instead of following the newest of its series; also set by
	// LKMLAB_STRICT_KERNEL=1.
	Strict bool
}

// DefaultCacheDir returns $LKMLAB_CACHE, else $XDG_CACHE_HOME/lkmlab, else
// $HOME/.cache/lkmlab (kinfo.DefaultCacheDir).
func DefaultCacheDir() string { return kinfo.DefaultCacheDir() }

// Names returns the kernel names Resolve knows, default first, for --help:
// the Debian kernels, the minimal ones built from source, host. Resolve
// also accepts the aliases "minimal" and "minimal-debug-6.1", and a path: a
// built kernel tree or IMAGE:KDIR.
func Names() []string {
	names := []string{DefaultName}
	for _, name := range debianNames() {
		if name != DefaultName {
			names = append(names, name)
		}
	}
	for _, p := range minimalProfiles {
		names = append(names, p.name)
	}
	return append(names, hostName)
}

// debianNames lists the Debian kernels' names, the host's architecture
// first, then by name (which orders the versions too: 5.10, 6.1, 6.12).
func debianNames() []string {
	var names []string
	for name := range debianPins {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		ni, nj := debianPins[names[i]].arch() != hostArch(), debianPins[names[j]].arch() != hostArch()
		if ni != nj {
			return nj
		}
		return names[i] < names[j]
	})
	return names
}

// Resolve turns a kernel name into a bootable Kernel: "" or "debian-6.1"
// fetches (once, then from the cache) the pinned Debian kernel,
// "minimal-6.1", "minimal-debug" and "minimal-5.10" build (once, about 5
// minutes) a small kernel from Debian's kernel source, "host" uses the running kernel, and
// anything containing "/" or ":" is a path, either a built kernel tree or
// IMAGE:KDIR.
func Resolve(ctx context.Context, name string, opts Options) (*Kernel, error) {
	if name == "" {
		name = DefaultName
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if kind := KindOf(name); kind == Debian || kind == Minimal || kind == Host {
		if err := makeCacheDir(opts.kernelsDir()); err != nil {
			return nil, err
		}
	}
	k, err := resolveName(ctx, name, opts)
	if err != nil {
		return nil, err
	}
	identify(k)
	return k, nil
}

// resolveName dispatches on the kind of name.
func resolveName(ctx context.Context, name string, opts Options) (*Kernel, error) {
	if pin, ok := debianPins[name]; ok {
		return resolveDebian(ctx, name, pin, opts)
	}
	if p, ok := lookupMinimal(name); ok {
		return resolveMinimal(ctx, p, opts)
	}
	if name == hostName {
		return resolveHost(ctx, opts)
	}
	if isPathName(name) {
		return resolvePath(name)
	}
	return nil, unknownNameError(name)
}

// unknownNameError lists what Resolve accepts.
func unknownNameError(name string) error {
	var aliases []string
	for _, p := range minimalProfiles {
		aliases = append(aliases, p.alias)
	}
	return fmt.Errorf("unknown kernel %q: use one of %s (aliases %s), a built kernel tree (a path containing \"/\"), or IMAGE:KDIR",
		name, strings.Join(Names(), ", "), strings.Join(aliases, ", "))
}

// withDefaults fills in the zero fields and makes CacheDir absolute, since
// the cached build tree records absolute paths.
func (o Options) withDefaults() (Options, error) {
	if o.CacheDir == "" {
		o.CacheDir = DefaultCacheDir()
	}
	abs, err := filepath.Abs(o.CacheDir)
	if err != nil {
		return o, fmt.Errorf("resolve cache dir %s: %w", o.CacheDir, err)
	}
	o.CacheDir = abs
	if o.Mirror == "" {
		o.Mirror = os.Getenv("LKMLAB_DEBIAN_MIRROR")
	}
	if o.Mirror == "" {
		o.Mirror = defaultMirror
	}
	o.Mirror = strings.TrimRight(o.Mirror, "/")
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	o.Strict = o.Strict || strictFromEnv()
	return o, nil
}

// kernelsDir is where resolved kernels are cached.
func (o Options) kernelsDir() string { return filepath.Join(o.CacheDir, "kernels") }
