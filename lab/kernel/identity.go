package kernel

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// ntGNUBuildID is the ELF note type of a GNU build-id.
const ntGNUBuildID = 3

// ErrNoBuildID means an ELF file carries no GNU build-id note.
var ErrNoBuildID = errors.New("no GNU build-id note")

// ReadBuildID returns the GNU build-id of an ELF file, such as a vmlinux,
// in hex: the linker's hash of the kernel it built, which names one build
// exactly. The kernel keeps it in its .notes section, other files in
// .note.gnu.build-id; every note segment and section is searched.
func ReadBuildID(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("read build-id: %w", err)
	}
	defer f.Close()
	var blocks []io.Reader
	for _, p := range f.Progs {
		if p.Type == elf.PT_NOTE {
			blocks = append(blocks, p.Open())
		}
	}
	for _, s := range f.Sections {
		if s.Type == elf.SHT_NOTE {
			blocks = append(blocks, s.Open())
		}
	}
	for _, r := range blocks {
		data, err := io.ReadAll(r)
		if err != nil {
			return "", fmt.Errorf("read build-id of %s: %w", path, err)
		}
		if id, ok := findBuildID(data, f.ByteOrder); ok {
			return hex.EncodeToString(id), nil
		}
	}
	return "", fmt.Errorf("read build-id of %s: %w", path, ErrNoBuildID)
}

// findBuildID walks ELF notes (namesz, descsz, type, name, desc; name and
// desc padded to 4 bytes, see notesHavePVH) for the GNU build-id.
func findBuildID(data []byte, order binary.ByteOrder) ([]byte, bool) {
	for len(data) >= 12 {
		namesz, descsz, typ := order.Uint32(data), order.Uint32(data[4:]), order.Uint32(data[8:])
		data = data[12:]
		nameLen, descLen := align4(uint64(namesz)), align4(uint64(descsz))
		if nameLen+descLen > uint64(len(data)) {
			return nil, false
		}
		name := bytes.TrimRight(data[:namesz], "\x00")
		desc := data[nameLen : nameLen+uint64(descsz)]
		if typ == ntGNUBuildID && string(name) == "GNU" && len(desc) > 0 {
			return desc, true
		}
		data = data[nameLen+descLen:]
	}
	return nil, false
}

// identify fills in what a report records of k (Package, BuildID, Arch) where the
// cache entry predates them or the kernel came from a path.
func identify(k *Kernel) {
	if k.BuildID == "" {
		k.BuildID = buildIDOf(k)
	}
	if k.Package == "" {
		k.Package = packageFromSource(k)
	}
	if k.Arch == "" {
		k.Arch = archOf(k)
	}
}

// buildIDOf reads the build-id of k's vmlinux: the image when it is one (a
// Debian kernel's extracted vmlinux), else the build tree's (a kernel built
// here). "" when neither has one.
func buildIDOf(k *Kernel) string {
	for _, p := range []string{k.Image, filepath.Join(k.BuildDir, "vmlinux")} {
		if !exists(p) {
			continue
		}
		if id, err := ReadBuildID(p); err == nil {
			return id
		}
	}
	return ""
}

// Source lines of cache entries written before Package was recorded: see
// debianPin.source and minimalProfile.source.
var (
	debianSourceRe  = regexp.MustCompile(`^debian (linux-image-\S+) (\S+)$`)
	minimalSourceRe = regexp.MustCompile(`^built from debian (linux-source-\S+) (\S+),`)
)

// packageFromSource derives Package from an older entry's Source line: a
// Debian kernel's image package, or a minimal kernel's source package and
// cache folder (whose name hashes the fragments, source and compiler).
func packageFromSource(k *Kernel) string {
	if m := debianSourceRe.FindStringSubmatch(k.Source); m != nil {
		return m[1] + "=" + m[2]
	}
	if m := minimalSourceRe.FindStringSubmatch(k.Source); m != nil {
		return minimalPackage(m[1], m[2], filepath.Base(filepath.Dir(k.BuildDir)))
	}
	return ""
}

// minimalPackage is Package for a minimal kernel: its source package and
// the cache folder its build lives in.
func minimalPackage(pkg, version, dir string) string {
	return pkg + "=" + version + " " + strings.TrimSpace(dir)
}
