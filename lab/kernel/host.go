package kernel

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// osReleaseFile holds the running kernel's uname -r.
const osReleaseFile = "/proc/sys/kernel/osrelease"

// hostLayout is where a distribution installs a kernel's files.
type hostLayout struct {
	release    string
	image      string // bzImage
	buildDir   string
	modulesDir string
}

// hostPaths is the standard Debian/Ubuntu layout for release.
func hostPaths(release string) hostLayout {
	return hostLayout{
		release:    release,
		image:      "/boot/vmlinuz-" + release,
		buildDir:   "/lib/modules/" + release + "/build",
		modulesDir: "/lib/modules/" + release,
	}
}

// resolveHost returns the running kernel, extracting its vmlinux once.
func resolveHost(ctx context.Context, o Options) (*Kernel, error) {
	k, err := hostKernel(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("resolve host kernel: %w", err)
	}
	return k, nil
}

// hostKernel does the work of resolveHost.
func hostKernel(ctx context.Context, o Options) (*Kernel, error) {
	rel, err := runningRelease()
	if err != nil {
		return nil, err
	}
	return resolveHostLayout(ctx, hostPaths(rel), o)
}

// runningRelease returns uname -r.
func runningRelease() (string, error) {
	data, err := os.ReadFile(osReleaseFile)
	if err != nil {
		return "", fmt.Errorf("read kernel release: %w", err)
	}
	return strings.TrimSpace(string(data)), nil
}

// resolveHostLayout checks l's files and returns its Kernel, caching the
// extracted vmlinux in <cache>/kernels/host-<release>.
func resolveHostLayout(ctx context.Context, l hostLayout, o Options) (*Kernel, error) {
	if err := checkHostImage(l.image); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(l.buildDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("kernel headers for %s are missing (no %s): run 'sudo apt-get install linux-headers-%s', or use --kernel %s",
			l.release, l.buildDir, l.release, DefaultName)
	}
	final := filepath.Join(o.kernelsDir(), "host-"+strings.ReplaceAll(l.release, "/", "_"))
	if k := loadReadyNewer(final, l.image); k != nil {
		return k, nil
	}
	if err := os.MkdirAll(o.kernelsDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	unlock, err := acquireLock(ctx, final+".lock", "extracting the host kernel", o.Logf)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if k := loadReadyNewer(final, l.image); k != nil {
		return k, nil
	}
	return buildInto(final, o.Logf, func(tmp string) (*Kernel, error) {
		return buildHost(ctx, l, staging{tmp: tmp, final: final, logf: o.Logf})
	})
}

// buildHost extracts l's vmlinux into tmp and describes the kernel.
func buildHost(ctx context.Context, l hostLayout, st staging) (*Kernel, error) {
	image, err := st.bootImage(ctx, l.image, l.image)
	if err != nil {
		return nil, err
	}
	k := &Kernel{
		Name:     hostName,
		Release:  l.release,
		Image:    image,
		BzImage:  l.image,
		BuildDir: l.buildDir,
		Source:   "host " + l.image,
	}
	if fi, err := os.Stat(l.modulesDir); err == nil && fi.IsDir() {
		k.ModulesDir = l.modulesDir
	}
	return k, nil
}

// checkHostImage explains why the host's kernel image cannot be used.
func checkHostImage(image string) error {
	f, err := os.Open(image)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("kernel image %s is not readable by this user (Ubuntu installs it mode 0600): run 'sudo chmod 0644 %s', or use --kernel %s",
			image, image, DefaultName)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("kernel image %s does not exist (the running kernel is not installed here, e.g. in a container): use --kernel %s",
			image, DefaultName)
	}
	return fmt.Errorf("open kernel image: %w", err)
}

// loadReadyNewer is loadReady, but nil when src changed after the entry
// was made (a reinstalled kernel of the same release).
func loadReadyNewer(dir, src string) *Kernel {
	k := loadReady(dir)
	if k == nil {
		return nil
	}
	ready, err1 := os.Stat(filepath.Join(dir, readyFile))
	image, err2 := os.Stat(src)
	if err1 != nil || err2 != nil || image.ModTime().After(ready.ModTime()) {
		return nil
	}
	return k
}
