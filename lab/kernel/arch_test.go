package kernel

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

func TestForArch(t *testing.T) {
	tests := []struct{ name, arch, want string }{
		{"debian-6.1", "arm64", "debian-6.1-arm64"},
		{"", "arm64", "debian-6.1-arm64"},
		{"debian-6.1-arm64", "arm64", "debian-6.1-arm64"},
		{"debian-6.12", "amd64", "debian-6.12"},
		{"debian-6.12", "", "debian-6.12"},
	}
	for _, tc := range tests {
		if got := ForArch(tc.name, tc.arch); got != tc.want {
			t.Errorf("ForArch(%q, %q) = %q, want %q", tc.name, tc.arch, got, tc.want)
		}
	}
}

func TestArchOf(t *testing.T) {
	tests := []struct{ conf, want string }{
		{"CONFIG_ARM64=y\nCONFIG_64BIT=y\n", ARM64},
		{"CONFIG_X86_64=y\n", AMD64},
		{"", AMD64},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		if tc.conf != "" {
			writeFile(t, filepath.Join(dir, "include", "config"), "auto.conf", []byte(tc.conf))
		}
		if got := archOf(&Kernel{BuildDir: dir}); got != tc.want {
			t.Errorf("archOf(%q) = %q, want %q", tc.conf, got, tc.want)
		}
	}
}

func TestEveryPinHasAKnownArch(t *testing.T) {
	for name, pin := range debianPins {
		if pin.arch() != AMD64 && pin.arch() != ARM64 {
			t.Errorf("%s: arch %q has no agent or QEMU", name, pin.arch())
		}
		if pin.arch() != AMD64 && ForArch(name, pin.arch()) != name {
			t.Errorf("%s: a %s kernel's name must end in -%s", name, pin.arch(), pin.arch())
		}
	}
}

// TestArm64Image: Debian's arm64 vmlinuz (an EFI-signed Image) is booted
// as shipped; a gzip-compressed Image is inflated once; anything else is
// refused.
func TestArm64Image(t *testing.T) {
	imgs, _ := filepath.Glob(filepath.Join(DefaultCacheDir(), "kernels", "debian-*-arm64", "root", "boot", "vmlinuz-*"))
	for _, img := range imgs {
		tmp := filepath.Dir(filepath.Dir(filepath.Dir(img))) // the kernel's cache folder
		got, err := staging{tmp: tmp, final: "/final", logf: t.Logf}.arm64Image(img)
		rel, _ := filepath.Rel(tmp, img)
		if err != nil || got != filepath.Join("/final", rel) {
			t.Errorf("%s: arm64Image = %q, %v; want the image as shipped", img, got, err)
		}
	}
	dir := t.TempDir()
	image := make([]byte, 4096) // hand-made: an Image header with its magic, nothing bootable
	copy(image[56:], arm64Magic)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(image)
	zw.Close()
	packed := writeFile(t, dir, "vmlinuz-gz", gz.Bytes())
	got, err := staging{tmp: dir, final: "/final", logf: t.Logf}.arm64Image(packed)
	if inflated, _ := os.ReadFile(filepath.Join(dir, "Image")); err != nil || got != "/final/Image" || !bytes.Equal(inflated, image) {
		t.Errorf("gzip Image: arm64Image = %q, %v; want it inflated to Image", got, err)
	}
	bad := writeFile(t, dir, "vmlinuz-bad", make([]byte, 128))
	if _, err := (staging{tmp: dir, final: "/final", logf: t.Logf}).arm64Image(bad); err == nil {
		t.Error("arm64Image took a file that is neither an Image nor gzip")
	}
}
