package kernel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// kernelSource is the source a minimal kernel is built from.
type kernelSource struct {
	pin     sourcePin // what the profile asks for
	version string    // Debian version of pin.Package, e.g. "6.1.192-2"
	tarball string    // the installed tarball, or "" to download the package
}

// findSource returns the profile's pinned source: the installed tarball when it is
// that version, else the package from the pin's suite in Debian's archive.
// When the suite no longer offers the pin it falls back, as Debian kernels
// do, to the suite's newest version (recorded, so that later calls need no
// network), or fails under strict pins. mayUpdate allows apt-get update
// when the lists are missing or lack the pin; without it nothing goes to
// the network.
func findSource(ctx context.Context, o Options, p minimalProfile, mayUpdate bool) (kernelSource, error) {
	series := p.series
	pin, ok := sourcePins[series]
	if !ok {
		return kernelSource{}, fmt.Errorf("%s: no sourcePins[%q] in %s", p.name, series, pinFile)
	}
	installed := installedSource(ctx, o, pin)
	if installed == pin.Version {
		return kernelSource{pin: pin, version: installed, tarball: pin.tarball()}, nil
	}
	apt := newAptRepo(o)
	versions, err := apt.sourceVersions(ctx, pin, mayUpdate, o.kernelsDir())
	if err != nil {
		return kernelSource{}, fmt.Errorf("find %s: %w", pin.Package, err)
	}
	version := versions[0]
	if slices.Contains(versions, pin.Version) {
		version = pin.Version
	} else if o.Strict {
		return kernelSource{}, &PinError{Kernel: p.name, Pinned: pin.Package + " " + pin.Version,
			Newest: pin.Package + " " + version, Pin: fmt.Sprintf("sourcePins[%q]", series),
			Fix: fmt.Sprintf("Version %q and that tarball's sha256", version)}
	} else {
		o.Logf("kernel: WARNING: Debian %s no longer offers the pinned %s %s; building from the newest, %s. Update sourcePins[%q] in %s.",
			pin.Suite, pin.Package, pin.Version, version, series, pinFile)
	}
	src := kernelSource{pin: pin, version: version}
	if installed == version {
		src.tarball = pin.tarball()
	}
	return src, nil
}

// installedSource returns the version of the installed source package, or
// "" when its tarball is not installed.
func installedSource(ctx context.Context, o Options, pin sourcePin) string {
	if !exists(pin.tarball()) {
		return ""
	}
	out, err := run(ctx, command{argv: []string{"dpkg-query", "-W", "-f=${Version}", pin.Package}})
	if version := strings.TrimSpace(string(out)); err == nil && version != "" {
		return version
	}
	o.Logf("kernel: %s exists but dpkg does not know %s; using the package from Debian's archive", pin.tarball(), pin.Package)
	return ""
}

// sourceVersions returns the versions of pin.Package that pin.Suite offers,
// newest first. It updates the lists (when mayUpdate) only when they are
// missing, or lack the pin and no earlier update found it gone: the
// version that replaced it is recorded in <kernels>/<package>.fallback,
// so a cached minimal kernel resolves without the network.
func (a *aptRepo) sourceVersions(ctx context.Context, pin sourcePin, mayUpdate bool, kernels string) ([]string, error) {
	if !mayUpdate {
		if !a.hasLists() {
			return nil, errors.New("no package lists yet")
		}
		return a.versions(ctx, pin.Package, pin.Suite)
	}
	unlock, err := a.lockPrepared(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if a.hasLists() {
		vs, err := a.versions(ctx, pin.Package, pin.Suite)
		fallback := readSourceFallback(kernels, pin)
		if err == nil && (slices.Contains(vs, pin.Version) || fallback != "" && slices.Contains(vs, fallback)) {
			return vs, nil
		}
	}
	if err := a.update(ctx); err != nil {
		return nil, err
	}
	vs, err := a.versions(ctx, pin.Package, pin.Suite)
	if err == nil && !slices.Contains(vs, pin.Version) {
		writeSourceFallback(kernels, pin, vs[0])
	}
	return vs, err
}

// versions returns every version of pkg that suite (or its security
// suite) offers, newest first.
func (a *aptRepo) versions(ctx context.Context, pkg, suite string) ([]string, error) {
	out, err := a.run(ctx, "", "apt-cache", "madison", pkg)
	if err != nil {
		return nil, err
	}
	versions := parseMadisonIn(out, suite)
	if len(versions[pkg]) == 0 {
		return nil, fmt.Errorf("the package lists from %s offer no %s in %s", a.mirror, pkg, suite)
	}
	return versions[pkg], nil
}

// sourceFallbackPath records which version replaced a vanished source pin.
func sourceFallbackPath(kernels string, pin sourcePin) string {
	return filepath.Join(kernels, pin.Package+".fallback")
}

func readSourceFallback(kernels string, pin sourcePin) string {
	b, err := os.ReadFile(sourceFallbackPath(kernels, pin))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// writeSourceFallback records version; a failure costs only a later
// apt-get update, so it is not an error.
func writeSourceFallback(kernels string, pin sourcePin, version string) {
	if os.MkdirAll(kernels, 0o755) == nil {
		os.WriteFile(sourceFallbackPath(kernels, pin), []byte(version+"\n"), 0o644)
	}
}

// lockPrepared takes the apt lock and writes the private configuration.
func (a *aptRepo) lockPrepared(ctx context.Context) (func(), error) {
	unlock, err := a.lock(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.prepare(); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// downloadSource fetches pkg at version into dir and returns the .deb's
// path.
func (a *aptRepo) downloadSource(ctx context.Context, pkg, version, dir string) (string, error) {
	unlock, err := a.lockPrepared(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := a.run(ctx, dir, "apt-get", "download", "-q", pkg+"="+version); err != nil {
		return "", err
	}
	debs, err := filepath.Glob(filepath.Join(dir, "*.deb"))
	if err != nil || len(debs) != 1 {
		return "", fmt.Errorf("apt-get download left %d .deb files in %s, want 1", len(debs), dir)
	}
	return debs[0], nil
}

// tarball returns the source tarball: the installed one, or one taken out
// of the package downloaded into <dir>/deb (which unpack removes).
func (b *minimalBuild) tarball(ctx context.Context) (string, error) {
	path, err := b.fetchTarball(ctx)
	if err != nil {
		return "", err
	}
	if err := verifySource(b.src.pin, b.src.version, path, b.o.Logf); err != nil {
		return "", err
	}
	return path, nil
}

// verifySource checks the tarball of the pinned version against the pin's
// sha256; a fallback version has no pinned sum, which the log says.
func verifySource(pin sourcePin, version, tarball string, logf func(string, ...any)) error {
	if version != pin.Version {
		logf("kernel: %s %s is not the pinned %s: its tarball is not checked against a pinned sha256", pin.Package, version, pin.Version)
		return nil
	}
	sum, err := fileSHA256(tarball)
	if err != nil {
		return fmt.Errorf("verify %s: %w", tarball, err)
	}
	if sum != pin.TarballSHA256 {
		return fmt.Errorf("verify %s: sha256 %s, but %s pins %s %s to %s: the file is damaged or not Debian's (reinstall %s, or remove it to download the package)",
			tarball, sum, pinFile, pin.Package, version, pin.TarballSHA256, pin.Package)
	}
	return nil
}

// fetchTarball returns the installed tarball or one taken out of the
// downloaded package.
func (b *minimalBuild) fetchTarball(ctx context.Context) (string, error) {
	if b.src.tarball != "" {
		return b.src.tarball, nil
	}
	if err := requireTool("dpkg-deb", "dpkg"); err != nil {
		return "", err
	}
	debDir := filepath.Join(b.dir, "deb")
	if err := os.Mkdir(debDir, 0o755); err != nil {
		return "", fmt.Errorf("create download dir: %w", err)
	}
	pin := b.src.pin
	b.o.Logf("kernel: %s is not installed; downloading %s %s (%s) from %s", pin.tarball(), pin.Package, b.src.version, pin.Suite, b.o.Mirror)
	start := time.Now()
	deb, err := newAptRepo(b.o).downloadSource(ctx, pin.Package, b.src.version, debDir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(deb); err == nil {
		b.o.Logf("kernel: downloaded %s in %s", humanSize(fi.Size()), since(start))
	}
	root := filepath.Join(debDir, "root")
	if _, err := run(ctx, command{argv: []string{"dpkg-deb", "-x", deb, root}}); err != nil {
		return "", fmt.Errorf("unpack %s: %w", filepath.Base(deb), err)
	}
	if err := os.Remove(deb); err != nil {
		return "", fmt.Errorf("remove downloaded package: %w", err)
	}
	tarball := filepath.Join(root, strings.TrimPrefix(pin.tarball(), "/"))
	if !exists(tarball) {
		return "", fmt.Errorf("%s holds no %s: the Debian package changed layout", filepath.Base(deb), pin.tarball())
	}
	return tarball, nil
}

// gccVersion returns `gcc -dumpfullversion`, the compiler make will use.
func gccVersion(ctx context.Context) (string, error) {
	if err := requireTool("gcc", "gcc"); err != nil {
		return "", err
	}
	out, err := run(ctx, command{argv: []string{"gcc", "-dumpfullversion"}})
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// fileSHA256 returns the hex sha256 of a file's contents.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
