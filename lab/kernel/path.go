package kernel

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// releaseFile is where a configured kernel tree records its release.
const releaseFile = "include/config/kernel.release"

// treeBzImage is where an x86 kernel build leaves the bzImage.
const treeBzImage = "arch/x86/boot/bzImage"

// versionHeadSize is how much of an image is read to find its version
// string, which lives in the setup code at the start.
const versionHeadSize = 64 << 10

// isPathName reports whether a kernel name is a path rather than a known name.
func isPathName(name string) bool { return strings.ContainsAny(name, "/:") }

// resolvePath resolves a built kernel tree or IMAGE:KDIR.
func resolvePath(name string) (*Kernel, error) {
	k, err := pathKernel(name)
	if err != nil {
		return nil, fmt.Errorf("resolve kernel %s: %w", name, err)
	}
	return k, nil
}

// pathKernel does the work of resolvePath.
func pathKernel(name string) (*Kernel, error) {
	image, kdir, err := parsePathName(name)
	if err != nil {
		return nil, err
	}
	if image == "" {
		return resolveTree(name, kdir)
	}
	return resolveImageKDIR(name, image, kdir)
}

// parsePathName splits IMAGE:KDIR; a plain path (or an existing directory
// whose name has a colon) comes back as kdir with an empty image.
func parsePathName(name string) (image, kdir string, err error) {
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return "", name, nil
	}
	image, kdir, found := strings.Cut(name, ":")
	if !found {
		return "", name, nil
	}
	if image == "" || kdir == "" {
		return "", "", errors.New("want IMAGE:KDIR, e.g. /boot/vmlinuz-6.1.0-56-amd64:/lib/modules/6.1.0-56-amd64/build")
	}
	return image, kdir, nil
}

// resolveTree uses a built kernel tree: its vmlinux when that has a PVH
// note, else its bzImage.
func resolveTree(name, dir string) (*Kernel, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := checkKDIR(dir); err != nil {
		return nil, err
	}
	bzImage := filepath.Join(dir, treeBzImage)
	if !exists(bzImage) {
		return nil, fmt.Errorf("%s has no %s: run 'make bzImage modules_prepare' in it, or pass IMAGE:KDIR", dir, treeBzImage)
	}
	rel, err := readRelease(dir)
	if err != nil {
		return nil, err
	}
	image := bzImage
	if ok, _ := hasPVHNote(filepath.Join(dir, "vmlinux")); ok {
		image = filepath.Join(dir, "vmlinux")
	}
	return &Kernel{Name: name, Release: rel, Image: image, BzImage: bzImage, BuildDir: dir, Source: "kernel tree " + dir}, nil
}

// resolveImageKDIR uses an explicit image and build tree.
func resolveImageKDIR(name, image, kdir string) (*Kernel, error) {
	image, err := filepath.Abs(image)
	if err != nil {
		return nil, err
	}
	if kdir, err = filepath.Abs(kdir); err != nil {
		return nil, err
	}
	if err := checkKDIR(kdir); err != nil {
		return nil, err
	}
	head, err := readHead(image, versionHeadSize)
	if err != nil {
		return nil, fmt.Errorf("read kernel image: %w", err)
	}
	rel, err := bzImageRelease(head)
	if err != nil {
		rel, err = readRelease(kdir)
	}
	if err != nil {
		return nil, err
	}
	return &Kernel{Name: name, Release: rel, Image: image, BzImage: image, BuildDir: kdir,
		Source: "image " + image + " with build tree " + kdir}, nil
}

// checkKDIR checks that dir looks like a kernel build tree.
func checkKDIR(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return fmt.Errorf("%s is not a directory: pass a built kernel tree or IMAGE:KDIR", dir)
	}
	if !exists(filepath.Join(dir, "Makefile")) {
		return fmt.Errorf("%s has no Makefile, so it is not a kernel build tree: pass a built kernel tree or IMAGE:KDIR", dir)
	}
	return nil
}

// readRelease reads a tree's include/config/kernel.release.
func readRelease(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, releaseFile))
	rel := strings.TrimSpace(string(data))
	if err != nil || rel == "" {
		return "", fmt.Errorf("%s has no %s: run 'make' in it first", dir, releaseFile)
	}
	return rel, nil
}

// readHead returns up to n bytes from the start of path.
func readHead(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}
