package kernel

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The config fragments the minimal kernels are built from, merged over
// tinyconfig in order.
var (
	//go:embed config/minimal.config
	minimalFragment []byte
	//go:embed config/debug.config
	debugFragment []byte
	//go:embed config/minimal-5.10.config
	minimal510Fragment []byte
)

// fragmentDir is where the fragments live in the repository; Source and
// errors name them by it.
const fragmentDir = "lab/kernel/config"

// minimalRecipe versions the build recipe: it is part of the cache key, so
// bumping it rebuilds every cached minimal kernel.
const minimalRecipe = "minimal-recipe-1"

// fragment is one config fragment: its file name under fragmentDir and its
// bytes.
type fragment struct {
	name string
	data []byte
}

// path is the fragment's path in the repository.
func (f fragment) path() string { return fragmentDir + "/" + f.name }

// minimalProfile is a kernel built from Debian's kernel source with
// tinyconfig plus fragments.
type minimalProfile struct {
	name      string // canonical name, recorded in Kernel.Name
	alias     string // another name Resolve accepts, or ""
	series    string // the source it is built from: sourcePins[series]
	duration  string // how long a build takes; the log says so before starting
	fragments []fragment
	// absent are symbols of the fragments that this source's Kconfig does
	// not have: they are not checked in the final .config (which must not
	// mention them), and a later fragment says what stands in for them.
	absent []string
	// bootBzImage boots the compressed image: measured, a KASAN kernel
	// entered at its PVH note dies before printing anything (under TCG,
	// QEMU 7.2), while its bzImage boots.
	bootBzImage bool
}

// minimalProfiles lists the kernels built from source, in the order Names
// shows them.
var minimalProfiles = []minimalProfile{
	// Measured: 3m13s and 4m46s with 2 cores, 1.5 GB in the cache (1.4 GB
	// of it the source tree).
	{name: "minimal-6.1", alias: "minimal", series: "6.1", duration: "about 5 minutes on 2 cores",
		fragments: []fragment{{"minimal.config", minimalFragment}}},
	// KASAN instruments every file, so this takes longer.
	{name: "minimal-debug", alias: "minimal-debug-6.1", series: "6.1", duration: "5 to 10 minutes on 2 cores",
		fragments:   []fragment{{"minimal.config", minimalFragment}, {"debug.config", debugFragment}},
		bootBzImage: true},
	// Debian 11's kernel source, for modules written against the 5.x API,
	// built with bookworm's gcc 12 as Debian's own 5.10 modules are here.
	// Measured: 14m1s with 2 cores shared with other work (load 4; 15
	// CPU-minutes), 1.0 GB in the cache (all but 51 MB of it the source).
	{name: "minimal-5.10", series: "5.10", duration: "about 15 minutes on 2 cores",
		fragments: []fragment{{"minimal.config", minimalFragment}, {"minimal-5.10.config", minimal510Fragment}},
		absent:    []string{"CONFIG_SPECULATION_MITIGATIONS", "CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT", "CONFIG_PVPANIC_MMIO"}},
}

// lookupMinimal returns the profile called name, by its name or alias.
func lookupMinimal(name string) (minimalProfile, bool) {
	for _, p := range minimalProfiles {
		if name == p.name || p.alias != "" && name == p.alias {
			return p, true
		}
	}
	return minimalProfile{}, false
}

// recipe names the fragments, e.g. "lab/kernel/config/minimal.config +
// lab/kernel/config/debug.config".
func (p minimalProfile) recipe() string {
	var paths []string
	for _, f := range p.fragments {
		paths = append(paths, f.path())
	}
	return strings.Join(paths, " + ")
}

// pin is the source the profile is built from.
func (p minimalProfile) pin() sourcePin { return sourcePins[p.series] }

// source is the one-line provenance stored in Kernel.Source.
func (p minimalProfile) source(version string) string {
	return "built from debian " + p.pin().Package + " " + version + ", " + p.recipe()
}

// about describes the profile for List.
func (p minimalProfile) about() string {
	var names []string
	for _, f := range p.fragments {
		names = append(names, f.name)
	}
	about := "built from debian " + p.pin().Package + " (" + p.pin().Suite + "): tinyconfig + " + strings.Join(names, " + ") +
		" (" + p.duration
	if p.alias != "" {
		about += "; alias " + p.alias
	}
	return about + ")"
}

// cacheKey is 12 hex digits of a hash over everything that makes a build
// differ: the profile, its fragments, the source version, the compiler and
// the recipe. The source package is the profile's (its name is hashed);
// the absent symbols are hashed only when there are some, so that adding
// them kept the keys of the profiles without any.
func (p minimalProfile) cacheKey(version, gcc string) string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	field(minimalRecipe)
	field(p.name)
	for _, f := range p.fragments {
		field(f.name)
		field(string(f.data))
	}
	if len(p.absent) > 0 {
		field("absent " + strings.Join(p.absent, " "))
	}
	field(version)
	field(gcc)
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// dirName is the cache folder name for a key under <cache>/kernels.
func (p minimalProfile) dirName(key string) string { return p.name + "-" + key }

// ownsDir reports whether name is a cache folder of this profile.
func (p minimalProfile) ownsDir(name string) bool {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(p.name) + `-[0-9a-f]{12}$`).MatchString(name)
}

// resolveMinimal returns the cached minimal kernel, building it first when
// it is not cached.
func resolveMinimal(ctx context.Context, p minimalProfile, o Options) (*Kernel, error) {
	k, err := ensureMinimal(ctx, p, o)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", p.name, err)
	}
	if p.bootBzImage {
		k.Image = k.BzImage
	}
	return k, nil
}

// ensureMinimal finds the cache folder for the current inputs and, under the
// profile's lock, builds it unless it is ready.
func ensureMinimal(ctx context.Context, p minimalProfile, o Options) (*Kernel, error) {
	if err := checkCachePath(o.CacheDir); err != nil {
		return nil, err
	}
	src, err := findSource(ctx, o, p, true)
	if err != nil {
		return nil, err
	}
	gcc, err := gccVersion(ctx)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.kernelsDir(), p.dirName(p.cacheKey(src.version, gcc)))
	if k := loadReady(dir); k != nil {
		return k, nil
	}
	if err := checkBuildTools(haveTool); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.kernelsDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	unlock, err := acquireLock(ctx, filepath.Join(o.kernelsDir(), p.name+".lock"), "building "+p.name, o.Logf)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if k := loadReady(dir); k != nil {
		return k, nil
	}
	k, err := buildMinimalIn(ctx, &minimalBuild{profile: p, src: src, dir: dir, o: o})
	if err != nil {
		return nil, err
	}
	removeOlderBuilds(o.kernelsDir(), p, filepath.Base(dir), o.Logf)
	return k, nil
}

// buildMinimalIn builds in dir itself, since the build tree records its
// absolute path: a folder without a ready marker is unfinished, so it is
// removed first, and a failed build leaves only its log. The caller holds
// the profile's lock.
func buildMinimalIn(ctx context.Context, b *minimalBuild) (*Kernel, error) {
	dir, o := b.dir, b.o
	if exists(dir) {
		o.Logf("kernel: removing %s, left unfinished by an earlier run", dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove unfinished %s: %w", dir, err)
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create build dir: %w", err)
	}
	k, err := b.run(ctx)
	if err == nil {
		err = writeReady(dir, k)
	}
	if err != nil {
		b.discard()
		return nil, err
	}
	return k, nil
}

// removeOlderBuilds deletes the profile's other cache folders once keep is
// ready: they were built from older fragments, sources or compilers.
func removeOlderBuilds(kernels string, p minimalProfile, keep string, logf func(string, ...any)) {
	entries, err := os.ReadDir(kernels)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == keep || !p.ownsDir(e.Name()) {
			continue
		}
		dir := filepath.Join(kernels, e.Name())
		logf("kernel: removing %s, an older build of %s", dir, p.name)
		if err := os.RemoveAll(dir); err != nil {
			logf("kernel: cannot remove %s: %v", dir, err)
		}
	}
}

// minimalEntry describes a profile for List: its folder for the current
// inputs when they can be found without the network and without building.
func minimalEntry(ctx context.Context, p minimalProfile, o Options) Entry {
	e := Entry{Name: p.name, About: p.about(), Dir: o.kernelsDir()}
	src, err := findSource(ctx, o, p, false)
	if err != nil {
		return e
	}
	gcc, err := gccVersion(ctx)
	if err != nil {
		return e
	}
	e.Dir = filepath.Join(o.kernelsDir(), p.dirName(p.cacheKey(src.version, gcc)))
	e.Cached = loadReady(e.Dir) != nil
	return e
}
