package kernel

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// debianKeyring verifies the signatures of Debian's archive.
const debianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

// fallbackCandidates is how many of the newest ABIs are tried when the pin
// is gone.
const fallbackCandidates = 5

// aptRepo is a private apt configuration under <cache>/apt: its own
// sources, lists, package cache, preferences and an empty dpkg status. It is
// passed to apt through APT_CONFIG, which apt reads before anything else, and
// it points apt.conf.d away from /etc, so no system apt setting (sources,
// pins, hooks, proxies) applies and no root is needed.
type aptRepo struct {
	dir     string // <cache>/apt
	mirror  string // e.g. http://deb.debian.org
	keyring string // signed-by keyring
	logf    func(string, ...any)
}

// newAptRepo describes the private apt configuration for the options.
func newAptRepo(o Options) *aptRepo {
	return &aptRepo{
		dir:     filepath.Join(o.CacheDir, "apt"),
		mirror:  o.Mirror,
		keyring: debianKeyring,
		logf:    o.Logf,
	}
}

// prepare checks apt's prerequisites and writes the private configuration.
func (a *aptRepo) prepare() error {
	for _, tool := range []string{"apt-get", "apt-cache"} {
		if err := requireTool(tool, "apt"); err != nil {
			return err
		}
	}
	if !strings.HasPrefix(a.mirror, "http://") && !strings.HasPrefix(a.mirror, "https://") {
		return fmt.Errorf("mirror %q is not an http(s) URL: set LKMLAB_DEBIAN_MIRROR like %s", a.mirror, defaultMirror)
	}
	if _, err := os.Stat(a.keyring); err != nil {
		return fmt.Errorf("archive keyring %s is missing: run 'sudo apt-get install debian-archive-keyring'", a.keyring)
	}
	for _, sub := range []string{"lists/partial", "cache/archives/partial", "apt.conf.d", "preferences.d"} {
		if err := os.MkdirAll(filepath.Join(a.dir, sub), 0o755); err != nil {
			return fmt.Errorf("create apt dir: %w", err)
		}
	}
	files := map[string]string{
		"apt.conf":     aptConfig(a.dir),
		"sources.list": sourcesList(a.mirror, a.keyring, debianSuites()),
		"status":       "",
	}
	for name, content := range files {
		if err := writeIfChanged(filepath.Join(a.dir, name), content); err != nil {
			return err
		}
	}
	return nil
}

// aptConfig is the private apt.conf for an apt dir. Paths must not contain
// double quotes (checkCachePath ensures it).
func aptConfig(dir string) string {
	var b strings.Builder
	set := func(key, value string) { fmt.Fprintf(&b, "%s %q;\n", key, value) }
	set("Dir::Etc::main", filepath.Join(dir, "apt.conf"))
	set("Dir::Etc::parts", filepath.Join(dir, "apt.conf.d"))
	set("Dir::Etc::sourcelist", filepath.Join(dir, "sources.list"))
	set("Dir::Etc::sourceparts", "-")
	set("Dir::Etc::preferences", filepath.Join(dir, "preferences"))
	set("Dir::Etc::preferencesparts", filepath.Join(dir, "preferences.d"))
	set("Dir::State::lists", filepath.Join(dir, "lists"))
	set("Dir::State::status", filepath.Join(dir, "status"))
	set("Dir::State::extended_states", filepath.Join(dir, "extended_states"))
	set("Dir::Cache", filepath.Join(dir, "cache"))
	set("Dir::Cache::srcpkgcache", "")
	set("Debug::NoLocking", "true")
	// The host's architecture is apt's native one (linux-kbuild's
	// programs run here); every pin's architecture is listed too, so that
	// one update fetches what any pinned kernel needs.
	set("APT::Architecture", hostArch())
	b.WriteString("APT::Architectures {")
	for _, arch := range aptArchitectures() {
		fmt.Fprintf(&b, " %q;", arch)
	}
	b.WriteString(" };\n")
	set("APT::Sandbox::User", "root") // root's cache dir is not writable by _apt
	set("Acquire::Languages", "none")
	set("Acquire::GzipIndexes", "true")
	set("APT::Update::Error-Mode", "any") // fail on unreachable mirrors (apt >= 2.1.16; older apt ignores it)
	return b.String()
}

// sourcesList is the private sources.list: each suite and, for a release
// (backports have none), its security suite.
func sourcesList(mirror, keyring string, suites []string) string {
	var b strings.Builder
	for _, suite := range suites {
		fmt.Fprintf(&b, "deb [signed-by=%s] %s/debian %s main\n", keyring, mirror, suite)
		if !strings.HasSuffix(suite, "-backports") {
			fmt.Fprintf(&b, "deb [signed-by=%s] %s/debian-security %s-security main\n", keyring, mirror, suite)
		}
	}
	return b.String()
}

// debianSuites lists the suites of all pins, Debian kernels and kernel
// sources, sorted, without duplicates.
func debianSuites() []string {
	var suites []string
	for _, pin := range debianPins {
		suites = append(suites, pin.Suite)
	}
	for _, pin := range sourcePins {
		suites = append(suites, pin.Suite)
	}
	slices.Sort(suites)
	return slices.Compact(suites)
}

// aptArchitectures is the host's architecture, then every other one a pin
// has, sorted.
func aptArchitectures() []string {
	archs := []string{hostArch()}
	for _, pin := range debianPins {
		if !slices.Contains(archs, pin.arch()) {
			archs = append(archs, pin.arch())
		}
	}
	slices.Sort(archs[1:])
	return archs
}

// writeIfChanged writes content to path unless it already holds it.
func writeIfChanged(path, content string) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == content {
		return nil
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// run runs an apt command under the private configuration.
func (a *aptRepo) run(ctx context.Context, dir string, argv ...string) ([]byte, error) {
	return run(ctx, command{
		argv: argv,
		dir:  dir,
		env:  []string{"APT_CONFIG=" + filepath.Join(a.dir, "apt.conf"), "LC_ALL=C"},
	})
}

// hasLists reports whether apt-get update has fetched package lists.
func (a *aptRepo) hasLists() bool {
	matches, _ := filepath.Glob(filepath.Join(a.dir, "lists", "*_Packages*"))
	return len(matches) > 0
}

// update fetches the package lists.
func (a *aptRepo) update(ctx context.Context) error {
	a.logf("kernel: updating Debian package lists (private apt state in %s)", a.dir)
	start := time.Now()
	_, err := a.run(ctx, "", "apt-get", "update", "-q")
	if err == nil && !a.hasLists() {
		err = errors.New("apt-get update fetched no package lists")
	}
	if err != nil {
		return fmt.Errorf("update package lists from %s (check network access, or set LKMLAB_DEBIAN_MIRROR): %w", a.mirror, err)
	}
	a.logf("kernel: updated package lists in %s", since(start))
	return nil
}

// madison returns, for each package the lists know, its versions newest
// first (apt keeps versions sorted that way).
func (a *aptRepo) madison(ctx context.Context, pkgs []string) (map[string][]string, error) {
	out, err := a.run(ctx, "", append([]string{"apt-cache", "madison"}, pkgs...)...)
	if err != nil {
		return nil, err
	}
	return parseMadison(out), nil
}

// parseMadison parses "name | version | source" lines.
func parseMadison(out []byte) map[string][]string { return parseMadisonIn(out, "") }

// parseMadisonIn is parseMadison keeping only the versions suite or its
// security suite offer ("" keeps all). The source field names the suite
// after the mirror: "http://deb.debian.org/debian-security
// bullseye-security/main amd64 Packages".
func parseMadisonIn(out []byte, suite string) map[string][]string {
	versions := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "|")
		if len(fields) < 3 {
			continue
		}
		name, version := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if suite != "" && !fromSuite(fields[2], suite) {
			continue
		}
		if !slices.Contains(versions[name], version) {
			versions[name] = append(versions[name], version)
		}
	}
	return versions
}

// fromSuite reports whether a madison source field is suite's or its
// security suite's.
func fromSuite(source, suite string) bool {
	words := strings.Fields(source)
	if len(words) < 2 {
		return false
	}
	dist, _, _ := strings.Cut(words[1], "/")
	return dist == suite || dist == suite+"-security"
}

// available reports whether all of pin's packages are offered at its version.
func (a *aptRepo) available(ctx context.Context, pin debianPin) (bool, error) {
	versions, err := a.madison(ctx, pin.packages())
	if err != nil {
		return false, err
	}
	return offersAll(versions, pin), nil
}

// offersAll reports whether versions holds every package of pin at its version.
func offersAll(versions map[string][]string, pin debianPin) bool {
	for _, pkg := range pin.packages() {
		if !slices.Contains(versions[pkg], pin.Version) {
			return false
		}
	}
	return true
}

// selectPackages returns pin when the archive offers it, and otherwise the
// newest ABI of the same series, with a loud warning.
func (a *aptRepo) selectPackages(ctx context.Context, pin debianPin) (debianPin, error) {
	ok, err := a.offered(ctx, pin)
	if err != nil || ok {
		return pin, err
	}
	alt, err := a.newest(ctx, pin)
	if err != nil {
		return pin, fmt.Errorf("find a replacement for %s %s, which the archive no longer offers: %w",
			pin.imagePackage(), pin.Version, err)
	}
	a.logf("kernel: WARNING: Debian no longer offers the pinned %s %s; using the newest instead, %s %s. "+
		"Update the pin in %s to ABI %q, Version %q.",
		pin.imagePackage(), pin.Version, alt.imagePackage(), alt.Version, pinFile, alt.ABI, alt.Version)
	return alt, nil
}

// offered reports whether the archive offers pin, running apt-get update
// only when the lists are missing or lack it.
func (a *aptRepo) offered(ctx context.Context, pin debianPin) (bool, error) {
	if !a.hasLists() {
		if err := a.update(ctx); err != nil {
			return false, err
		}
		return a.available(ctx, pin)
	}
	ok, err := a.available(ctx, pin)
	if err != nil || ok {
		return ok, err
	}
	if err := a.update(ctx); err != nil {
		return false, err
	}
	return a.available(ctx, pin)
}

// newest finds the highest ABI of pin's series whose four packages the lists
// offer at one version.
func (a *aptRepo) newest(ctx context.Context, pin debianPin) (debianPin, error) {
	base, _, _ := cutLast(pin.ABI, "-")
	out, err := a.run(ctx, "", "apt-cache", "pkgnames", "linux-image-"+base+"-")
	if err != nil {
		return pin, err
	}
	abis := abiNumbers(out, base, pin.Flavour)
	for i, n := range abis {
		if i == fallbackCandidates {
			break
		}
		alt := pin
		alt.ABI = base + "-" + strconv.Itoa(n)
		versions, err := a.madison(ctx, alt.packages())
		if err != nil {
			return pin, err
		}
		if image := versions[alt.imagePackage()]; len(image) > 0 {
			alt.Version = image[0]
			if offersAll(versions, alt) {
				return alt, nil
			}
		}
	}
	return pin, fmt.Errorf("no linux-image-%s-N-%s with matching headers and kbuild in the package lists", base, pin.Flavour)
}

// abiNumbers extracts N from "linux-image-<base>-N-<flavour>" names, highest
// first.
func abiNumbers(pkgnames []byte, base, flavour string) []int {
	re := regexp.MustCompile(`^linux-image-` + regexp.QuoteMeta(base) + `-([0-9]+)-` + regexp.QuoteMeta(flavour) + `$`)
	var nums []int
	for _, line := range strings.Split(string(pkgnames), "\n") {
		if m := re.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				nums = append(nums, n)
			}
		}
	}
	slices.Sort(nums)
	slices.Reverse(nums)
	return nums
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// download fetches pin's packages into dir and returns their total size.
func (a *aptRepo) download(ctx context.Context, pin debianPin, dir string) (int64, error) {
	args := []string{"apt-get", "download", "-q"}
	for _, pkg := range pin.packages() {
		args = append(args, pkg+"="+pin.Version)
	}
	if _, err := a.run(ctx, dir, args...); err != nil {
		return 0, err
	}
	debs, err := filepath.Glob(filepath.Join(dir, "*.deb"))
	if err != nil || len(debs) != len(pin.packages()) {
		return 0, fmt.Errorf("apt-get download left %d .deb files in %s, want %d", len(debs), dir, len(pin.packages()))
	}
	var total int64
	for _, deb := range debs {
		if fi, err := os.Stat(deb); err == nil {
			total += fi.Size()
		}
	}
	return total, nil
}
