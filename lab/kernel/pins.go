package kernel

// pinFile is where the pins live, named in the warning printed when a pin is
// gone from Debian's archive.
const pinFile = "lab/kernel/pins.go"

// debianPins lists the Debian kernels Resolve knows, by name. Debian's archive
// drops superseded kernel ABIs; when a pinned one is gone Resolve falls back to
// the newest ABI of the same series (a fresh machine must keep working), warns
// that this table needs updating, and records the package in Kernel.Package;
// with Options.Strict (LKMLAB_STRICT_KERNEL=1) it fails instead.
var debianPins = map[string]debianPin{
	// 6.1.192-2 (ABI 6.1.0-56) lost its linux-kbuild-6.1 to 6.1.192-3.
	"debian-6.1": {
		Suite:   "bookworm",
		Series:  "6.1",
		ABI:     "6.1.0-57",
		Version: "6.1.192-3",
		Flavour: "amd64",
	},
	// bookworm-backports: 6.12 built with bookworm's gcc 12. Its packages
	// name the ABI after the upstream version (6.12.95+deb12), and so is
	// linux-kbuild named.
	"debian-6.12": {
		Suite:   "bookworm-backports",
		Series:  "6.12.95+deb12",
		ABI:     "6.12.95+deb12",
		Version: "6.12.95-1~bpo12+1",
		Flavour: "amd64",
	},
	// bullseye: the kernel of Debian 11, for courses whose modules use the
	// 5.x API (mm->mmap and vm_next, task->state). 5.10.223-1 is
	// bullseye's last point release, so it stays in the main archive
	// (security updates come and go in bullseye-security).
	"debian-5.10": {
		Suite:   "bullseye",
		Series:  "5.10",
		ABI:     "5.10.0-32",
		Version: "5.10.223-1",
		Flavour: "amd64",
	},
	// The arm64 builds of the same kernels: image and headers for arm64,
	// the headers' common part (Architecture: all) and linux-kbuild for
	// the host, whose programs (modpost, fixdep) run at build time while
	// gcc-aarch64-linux-gnu cross-compiles.
	"debian-6.1-arm64": {
		Suite:   "bookworm",
		Series:  "6.1",
		ABI:     "6.1.0-57",
		Version: "6.1.192-3",
		Flavour: "arm64",
		Arch:    "arm64",
	},
	"debian-6.12-arm64": {
		Suite:   "bookworm-backports",
		Series:  "6.12.95+deb12",
		ABI:     "6.12.95+deb12",
		Version: "6.12.95-1~bpo12+1",
		Flavour: "arm64",
		Arch:    "arm64",
	},
}

// debianPin names one exact set of Debian kernel packages.
type debianPin struct {
	Suite   string // Debian release carrying it, e.g. "bookworm"
	Series  string // upstream series, naming linux-kbuild-<Series>
	ABI     string // e.g. "6.1.0-56"
	Version string // Debian package version shared by all four packages
	Flavour string // e.g. "amd64"
	// Arch is the guest's architecture as Go names it ("amd64", "arm64");
	// "" means amd64.
	Arch string
}

// arch is the pin's guest architecture, defaulting to amd64.
func (p debianPin) arch() string {
	if p.Arch == "" {
		return "amd64"
	}
	return p.Arch
}

// qualify names pkg for apt in the pin's architecture: a plain name for the
// host's own (apt's native architecture), pkg:arch for a foreign one.
func (p debianPin) qualify(pkg string) string {
	if p.arch() == hostArch() {
		return pkg
	}
	return pkg + ":" + p.arch()
}

// release is the kernel's uname -r, e.g. "6.1.0-56-amd64".
func (p debianPin) release() string { return p.ABI + "-" + p.Flavour }

// imagePackage is the package holding the bootable image.
func (p debianPin) imagePackage() string { return "linux-image-" + p.release() }

// packages lists the four packages that make a bootable kernel plus build
// tree, as apt names them: the image and the headers in the guest's
// architecture, the common headers (all architectures) and linux-kbuild in
// the host's, since its programs run on the host.
func (p debianPin) packages() []string {
	return []string{
		p.qualify(p.imagePackage()),
		p.qualify("linux-headers-" + p.release()),
		"linux-headers-" + p.ABI + "-common",
		"linux-kbuild-" + p.Series,
	}
}

// dirName is the cache directory name under <cache>/kernels.
func (p debianPin) dirName() string { return "debian-" + p.release() }

// source is the one-line provenance stored in Kernel.Source.
func (p debianPin) source() string {
	return "debian " + p.imagePackage() + " " + p.Version
}

// sourcePins are the kernel sources the minimal kernels are built from, by
// upstream series (minimalProfile.series): a Debian package, the suite it
// comes from, its version and the sha256 of the tarball it installs (the
// same file whether it comes installed under /usr/src or inside the
// downloaded .deb), checked before every build. Debian drops old versions
// from the security suites, so the same fallback as for debianPins applies.
var sourcePins = map[string]sourcePin{
	"6.1": {
		Package:       "linux-source-6.1",
		Suite:         "bookworm",
		Version:       "6.1.192-3",
		TarballSHA256: "cacdc3830989309d042083be3307969e55600ed7f908cf00df544c5ff50759a1",
	},
	// bullseye's last point release, as for debian-5.10, so it stays in
	// the main archive; bullseye-security has newer ones (5.10.262-1).
	"5.10": {
		Package:       "linux-source-5.10",
		Suite:         "bullseye",
		Version:       "5.10.223-1",
		TarballSHA256: "4aa4fbb62e2d957ed78841347492e736cc88f00689b57dac09959bda6d2b6f0e",
	},
}

// sourcePin names one exact kernel source tarball.
type sourcePin struct {
	Package       string // Debian package carrying the tarball, e.g. "linux-source-6.1"
	Suite         string // Debian release carrying it (with its security suite), e.g. "bookworm"
	Version       string // Debian version of Package
	TarballSHA256 string // of tarball()
}

// tarball is where Package installs the tarball; the package holds it at
// the same path.
func (p sourcePin) tarball() string { return "/usr/src/" + p.Package + ".tar.xz" }
