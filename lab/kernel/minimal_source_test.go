package kernel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// madisonSources is hand-made apt-cache madison output, shaped like what
// the private apt configuration answered on this project's machine: 6.1 is
// also built for bullseye (~deb11u1), and bullseye-security has newer 5.10
// sources than bullseye's last point release.
const madisonSources = `linux-source-5.10 | 5.10.262-1 | http://deb.debian.org/debian-security bullseye-security/main amd64 Packages
linux-source-5.10 | 5.10.223-1 | http://deb.debian.org/debian bullseye/main amd64 Packages
linux-source-5.10 | 5.10.223-1 | http://deb.debian.org/debian bullseye/main arm64 Packages
linux-source-6.1 | 6.1.999-1~deb11u1 | http://deb.debian.org/debian-security bullseye-security/main amd64 Packages
linux-source-6.1 |  6.1.192-3 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
linux-source-6.1 |  6.1.176-1 | http://deb.debian.org/debian bookworm/main amd64 Packages
`

func TestParseMadisonIn(t *testing.T) {
	for _, tc := range []struct {
		suite string
		want  map[string][]string
	}{
		{"bullseye", map[string][]string{
			"linux-source-5.10": {"5.10.262-1", "5.10.223-1"},
			"linux-source-6.1":  {"6.1.999-1~deb11u1"},
		}},
		{"bookworm", map[string][]string{"linux-source-6.1": {"6.1.192-3", "6.1.176-1"}}},
		{"trixie", map[string][]string{}},
		{"", map[string][]string{
			"linux-source-5.10": {"5.10.262-1", "5.10.223-1"},
			"linux-source-6.1":  {"6.1.999-1~deb11u1", "6.1.192-3", "6.1.176-1"},
		}},
	} {
		if got := parseMadisonIn([]byte(madisonSources), tc.suite); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseMadisonIn(%q) = %v, want %v", tc.suite, got, tc.want)
		}
	}
}

// TestProfileSources checks what each profile is built from.
func TestProfileSources(t *testing.T) {
	for _, tc := range []struct{ profile, pkg, suite string }{
		{"minimal-6.1", "linux-source-6.1", "bookworm"},
		{"minimal-debug", "linux-source-6.1", "bookworm"},
		{"minimal-5.10", "linux-source-5.10", "bullseye"},
	} {
		p, ok := lookupMinimal(tc.profile)
		if !ok {
			t.Fatalf("no profile %s", tc.profile)
		}
		pin := p.pin()
		if pin.Package != tc.pkg || pin.Suite != tc.suite || pin.Version == "" ||
			!regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(pin.TarballSHA256) {
			t.Errorf("%s: pin %+v, want %s from %s with a version and a sha256", tc.profile, pin, tc.pkg, tc.suite)
		}
		if want := "/usr/src/" + tc.pkg + ".tar.xz"; pin.tarball() != want {
			t.Errorf("%s: tarball %s, want %s", tc.profile, pin.tarball(), want)
		}
		for _, s := range []string{tc.pkg, tc.suite} {
			if !strings.Contains(p.about(), s) {
				t.Errorf("%s: about %q does not name %s", tc.profile, p.about(), s)
			}
		}
		if !strings.HasPrefix(p.source(pin.Version), "built from debian "+tc.pkg+" "+pin.Version+", ") {
			t.Errorf("%s: source %q", tc.profile, p.source(pin.Version))
		}
	}
	for _, p := range minimalProfiles {
		if _, ok := sourcePins[p.series]; !ok {
			t.Errorf("%s: no sourcePins[%q]", p.name, p.series)
		}
	}
	for _, suite := range []string{"bookworm", "bullseye"} {
		if !slices.Contains(debianSuites(), suite) {
			t.Errorf("the private sources.list lacks %s: %v", suite, debianSuites())
		}
	}
}

// TestCacheKeysKept pins the keys of the 6.1 profiles' builds of 6.1.192-3
// with gcc 12.2.0, as they were before the source became a property of
// the profile: a change here rebuilds every cached minimal kernel.
func TestCacheKeysKept(t *testing.T) {
	for name, want := range map[string]string{"minimal-6.1": "db0875f0cf57", "minimal-debug": "c3dfe01fffc6"} {
		p, _ := lookupMinimal(name)
		if got := p.cacheKey("6.1.192-3", "12.2.0"); got != want {
			t.Errorf("%s: key %s, want %s", name, got, want)
		}
	}
	p, _ := lookupMinimal("minimal-5.10")
	fewer := p
	fewer.absent = p.absent[1:]
	if p.cacheKey("5.10.223-1", "12.2.0") == fewer.cacheKey("5.10.223-1", "12.2.0") {
		t.Error("the absent symbols do not change the key")
	}
}

// TestAbsentSymbols checks that minimal-5.10 leaves out the lines its
// Kconfig lacks, and only those, and that its fragment stands in for them.
func TestAbsentSymbols(t *testing.T) {
	p, _ := lookupMinimal("minimal-5.10")
	want, err := p.wantedConfig()
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := parseConfig(minimalFragment)
	for _, sym := range p.absent {
		if _, ok := shared[sym]; !ok {
			t.Errorf("%s is listed absent but no fragment sets it", sym)
		}
		if _, ok := want[sym]; ok {
			t.Errorf("%s is still checked", sym)
		}
	}
	for sym, value := range map[string]string{"CONFIG_CPU_MITIGATIONS": "n", "CONFIG_DEBUG_INFO": "y", "CONFIG_PVPANIC": "y", "CONFIG_PVH": "y"} {
		if want[sym] != value {
			t.Errorf("%s = %q, want %s", sym, want[sym], value)
		}
	}
	if len(want) != len(shared)-len(p.absent)+2 {
		t.Errorf("checks %d symbols, want minimal.config's %d less %d absent plus 2", len(want), len(shared), len(p.absent))
	}
	m61, _ := lookupMinimal("minimal-6.1")
	if w, _ := m61.wantedConfig(); w["CONFIG_SPECULATION_MITIGATIONS"] != "n" {
		t.Error("minimal-6.1 no longer checks CONFIG_SPECULATION_MITIGATIONS")
	}
}

func TestVerifyAbsent(t *testing.T) {
	absent := []string{"CONFIG_GONE", "CONFIG_ALSO_GONE"}
	if err := verifyAbsent(absent, []byte("CONFIG_A=y\n# CONFIG_B is not set\n"), "p"); err != nil {
		t.Fatal(err)
	}
	for _, final := range []string{"CONFIG_GONE=y\n", "# CONFIG_GONE is not set\n"} {
		err := verifyAbsent(absent, []byte(final), "p")
		if err == nil || !strings.Contains(err.Error(), "CONFIG_GONE") || strings.Contains(err.Error(), "ALSO") {
			t.Errorf("final %q: err = %v, want one naming CONFIG_GONE only", final, err)
		}
	}
}

// fakeMadison puts an apt-cache on PATH that prints out, and gives o
// package lists, so findSource runs without apt's state or the network;
// the mirror refuses every connection.
func fakeMadison(t *testing.T, o *Options, out string) {
	t.Helper()
	bin := t.TempDir()
	data := writeFile(t, bin, "madison.txt", []byte(out))
	writeFile(t, bin, "apt-cache", []byte(fmt.Sprintf("#!/bin/sh\ncat %s\n", data)))
	if err := os.Chmod(filepath.Join(bin, "apt-cache"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	writeFile(t, filepath.Join(o.CacheDir, "apt", "lists"), "deb.debian.org_debian_dists_bullseye_main_binary-amd64_Packages", nil)
	o.Mirror = "http://127.0.0.1:1"
}

// setSourcePin replaces a source pin for one test.
func setSourcePin(t *testing.T, series string, pin sourcePin) {
	saved := sourcePins[series]
	t.Cleanup(func() { sourcePins[series] = saved })
	sourcePins[series] = pin
}

func TestFindSourceFromSuite(t *testing.T) {
	for _, p := range minimalProfiles {
		if exists(p.pin().tarball()) {
			t.Skipf("%s is installed here, so findSource takes it", p.pin().tarball())
		}
	}
	m510, _ := lookupMinimal("minimal-5.10")
	m61, _ := lookupMinimal("minimal-6.1")
	gone510, gone61 := m510.pin(), m61.pin()
	gone510.Version, gone61.Version = "5.10.1-1", "6.1.1-1"
	for _, tc := range []struct {
		name    string
		profile minimalProfile
		gone    *sourcePin // replaces the profile's pin
		strict  bool
		want    string // version, or "" for a PinError
		warns   bool
	}{
		{name: "5.10 pinned", profile: m510, want: "5.10.223-1"},
		{name: "6.1 pinned", profile: m61, want: "6.1.192-3"},
		{name: "5.10 gone: newest of bullseye", profile: m510, gone: &gone510, want: "5.10.262-1", warns: true},
		{name: "6.1 gone: newest of bookworm, not bullseye's", profile: m61, gone: &gone61, want: "6.1.192-3", warns: true},
		{name: "5.10 gone, strict", profile: m510, gone: &gone510, strict: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := mustDefaults(t)
			fakeMadison(t, &o, madisonSources)
			o.Strict = tc.strict
			var warnings []string
			o.Logf = func(f string, a ...any) {
				if line := fmt.Sprintf(f, a...); strings.Contains(line, "WARNING") {
					warnings = append(warnings, line)
				}
			}
			if tc.gone != nil {
				setSourcePin(t, tc.profile.series, *tc.gone)
			}
			src, err := findSource(context.Background(), o, tc.profile, false)
			if tc.want == "" {
				var pe *PinError
				if !errors.As(err, &pe) || pe.Kernel != tc.profile.name || pe.Pin != fmt.Sprintf("sourcePins[%q]", tc.profile.series) ||
					pe.Newest != tc.profile.pin().Package+" 5.10.262-1" {
					t.Fatalf("err = %#v, want a PinError for %s naming the newest", err, tc.profile.name)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.version != tc.want || src.pin != tc.profile.pin() || src.tarball != "" {
				t.Errorf("source = %+v, want %s %s to download", src, tc.profile.pin().Package, tc.want)
			}
			if tc.warns != (len(warnings) == 1) || tc.warns && !strings.Contains(warnings[0], "sourcePins[") {
				t.Errorf("warnings %q, want one naming the pin: %v", warnings, tc.warns)
			}
		})
	}
}
