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

// sourcePackage is the Debian package carrying the kernel source tarball.
const sourcePackage = "linux-source-6.1"

// sourceTarball is where sourcePackage installs the tarball; the package
// holds it at the same path.
const sourceTarball = "/usr/src/" + sourcePackage + ".tar.xz"

// kernelSource is the source a minimal kernel is built from.
type kernelSource struct {
	version string // Debian version of sourcePackage, e.g. "6.1.192-2"
	tarball string // the installed tarball, or "" to download the package
}

// findSource returns the installed source package, else the newest one the
// private apt lists offer. mayUpdate allows apt-get update when the lists
// are missing or lack the package; without it nothing goes to the network.
func findSource(ctx context.Context, o Options, mayUpdate bool) (kernelSource, error) {
	if exists(sourceTarball) {
		out, err := run(ctx, command{argv: []string{"dpkg-query", "-W", "-f=${Version}", sourcePackage}})
		if version := strings.TrimSpace(string(out)); err == nil && version != "" {
			return kernelSource{version: version, tarball: sourceTarball}, nil
		}
		o.Logf("kernel: %s exists but dpkg does not know %s; using the package from Debian's archive", sourceTarball, sourcePackage)
	}
	apt := newAptRepo(o)
	version, err := apt.sourceVersion(ctx, mayUpdate)
	if err != nil {
		return kernelSource{}, fmt.Errorf("find %s: %w", sourcePackage, err)
	}
	return kernelSource{version: version}, nil
}

// sourceVersion returns the newest version of sourcePackage in the lists.
func (a *aptRepo) sourceVersion(ctx context.Context, mayUpdate bool) (string, error) {
	if !mayUpdate {
		if !a.hasLists() {
			return "", errors.New("no package lists yet")
		}
		return a.newestVersion(ctx, sourcePackage)
	}
	unlock, err := a.lockPrepared(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	updated := false
	if !a.hasLists() {
		if err := a.update(ctx); err != nil {
			return "", err
		}
		updated = true
	}
	version, err := a.newestVersion(ctx, sourcePackage)
	if err == nil || updated {
		return version, err
	}
	if err := a.update(ctx); err != nil {
		return "", err
	}
	return a.newestVersion(ctx, sourcePackage)
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

// newestVersion returns the newest version of pkg the lists offer.
func (a *aptRepo) newestVersion(ctx context.Context, pkg string) (string, error) {
	versions, err := a.madison(ctx, []string{pkg})
	if err != nil {
		return "", err
	}
	if len(versions[pkg]) == 0 {
		return "", fmt.Errorf("the package lists from %s offer no %s", a.mirror, pkg)
	}
	return versions[pkg][0], nil
}

// downloadSource fetches sourcePackage at version into dir and returns the
// .deb's path.
func (a *aptRepo) downloadSource(ctx context.Context, version, dir string) (string, error) {
	unlock, err := a.lockPrepared(ctx)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := a.run(ctx, dir, "apt-get", "download", "-q", sourcePackage+"="+version); err != nil {
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
	b.o.Logf("kernel: %s is not installed; downloading %s %s from %s", sourceTarball, sourcePackage, b.src.version, b.o.Mirror)
	start := time.Now()
	deb, err := newAptRepo(b.o).downloadSource(ctx, b.src.version, debDir)
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
	tarball := filepath.Join(root, strings.TrimPrefix(sourceTarball, "/"))
	if !exists(tarball) {
		return "", fmt.Errorf("%s holds no %s: the Debian package changed layout", filepath.Base(deb), sourceTarball)
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
