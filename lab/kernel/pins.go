package kernel

// pinFile is where the pins live, named in the warning printed when a pin is
// gone from Debian's archive.
const pinFile = "lab/kernel/pins.go"

// debianPins lists the Debian kernels Resolve knows, by name. Debian's archive
// drops superseded kernel ABIs; when a pinned one is gone Resolve falls back to
// the newest ABI of the same series and warns that this table needs updating.
var debianPins = map[string]debianPin{
	"debian-6.1": {
		Suite:   "bookworm",
		Series:  "6.1",
		ABI:     "6.1.0-56",
		Version: "6.1.192-2",
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
}

// debianPin names one exact set of Debian kernel packages.
type debianPin struct {
	Suite   string // Debian release carrying it, e.g. "bookworm"
	Series  string // upstream series, naming linux-kbuild-<Series>
	ABI     string // e.g. "6.1.0-56"
	Version string // Debian package version shared by all four packages
	Flavour string // e.g. "amd64"
}

// release is the kernel's uname -r, e.g. "6.1.0-56-amd64".
func (p debianPin) release() string { return p.ABI + "-" + p.Flavour }

// imagePackage is the package holding the bootable image.
func (p debianPin) imagePackage() string { return "linux-image-" + p.release() }

// packages lists the four packages that make a bootable kernel plus build tree.
func (p debianPin) packages() []string {
	return []string{
		p.imagePackage(),
		"linux-headers-" + p.release(),
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
