package kernel

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Architectures a guest kernel can have, named as Go names them (GOARCH),
// which is also how the agent (lab/agentbin) and Debian name them.
const (
	AMD64 = "amd64"
	ARM64 = "arm64"
)

// hostArch is the machine lkmlab runs on, and so apt's native
// architecture.
func hostArch() string { return runtime.GOARCH }

// CrossCompile is the CROSS_COMPILE prefix that builds modules for arch on
// this host ("" when arch is the host's), e.g. "aarch64-linux-gnu-".
func CrossCompile(arch string) string {
	if arch == "" || arch == hostArch() {
		return ""
	}
	return map[string]string{AMD64: "x86_64-linux-gnu-", ARM64: "aarch64-linux-gnu-"}[arch]
}

// KbuildArch is the ARCH= a kernel build of arch takes ("x86", "arm64").
func KbuildArch(arch string) string {
	if arch == ARM64 {
		return "arm64"
	}
	return "x86"
}

// ForArch names the kernel called name built for arch: "debian-6.1" and
// "arm64" give "debian-6.1-arm64". A name that already carries an
// architecture, or an amd64 request, is returned as it is.
func ForArch(name, arch string) string {
	if name == "" {
		name = DefaultName
	}
	if arch == "" || arch == AMD64 || strings.HasSuffix(name, "-"+arch) {
		return name
	}
	return name + "-" + arch
}

// archOf tells the architecture of a kernel whose cache entry does not
// record it (entries written before Arch existed, path and host kernels),
// from the build tree's configuration; amd64 when it does not say.
func archOf(k *Kernel) string {
	for _, rel := range []string{"include/config/auto.conf", ".config"} {
		f, err := os.Open(filepath.Join(k.BuildDir, rel))
		if err != nil {
			continue
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			switch strings.TrimSpace(sc.Text()) {
			case "CONFIG_ARM64=y":
				return ARM64
			case "CONFIG_X86_64=y":
				return AMD64
			}
		}
	}
	return AMD64
}
