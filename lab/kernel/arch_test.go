package kernel

import (
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
