package kernel

import (
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseMadison(t *testing.T) {
	out := []byte(`linux-image-6.1.0-56-amd64 |  6.1.192-2 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
linux-kbuild-6.1 |  6.1.192-2 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
linux-kbuild-6.1 |  6.1.176-1 | http://deb.debian.org/debian bookworm/main amd64 Packages
linux-kbuild-6.1 |  6.1.176-1 | http://mirror.example/debian bookworm/main amd64 Packages
N: Unable to locate package nosuch
`)
	want := map[string][]string{
		"linux-image-6.1.0-56-amd64": {"6.1.192-2"},
		"linux-kbuild-6.1":           {"6.1.192-2", "6.1.176-1"},
	}
	if got := parseMadison(out); !reflect.DeepEqual(got, want) {
		t.Fatalf("parseMadison = %v, want %v", got, want)
	}
}

func TestOffersAll(t *testing.T) {
	pin := debianPins[DefaultName]
	all := map[string][]string{}
	for _, pkg := range pin.packages() {
		all[pkg] = []string{"9.9-9", pin.Version}
	}
	if !offersAll(all, pin) {
		t.Fatal("offersAll = false with every package offered")
	}
	delete(all, "linux-kbuild-"+pin.Series)
	if offersAll(all, pin) {
		t.Fatal("offersAll = true without linux-kbuild")
	}
}

func TestAbiNumbers(t *testing.T) {
	out := []byte("linux-image-6.1.0-9-amd64\nlinux-image-6.1.0-56-amd64-dbg\nlinux-image-6.1.0-56-amd64\n" +
		"linux-image-6.1.0-55-cloud-amd64\nlinux-image-6.1.0-55-amd64-unsigned\nlinux-image-6.1.0-55-amd64\nlinux-image-6.10.0-1-amd64\n")
	want := []int{56, 55, 9}
	if got := abiNumbers(out, "6.1.0", "amd64"); !reflect.DeepEqual(got, want) {
		t.Fatalf("abiNumbers = %v, want %v", got, want)
	}
}

func TestPinPackages(t *testing.T) {
	want := []string{"linux-image-6.1.0-56-amd64", "linux-headers-6.1.0-56-amd64", "linux-headers-6.1.0-56-common", "linux-kbuild-6.1"}
	pin := debianPin{Suite: "bookworm", Series: "6.1", ABI: "6.1.0-56", Version: "6.1.192-2", Flavour: "amd64"}
	if got := pin.packages(); !reflect.DeepEqual(got, want) {
		t.Fatalf("packages = %v, want %v", got, want)
	}
	if got := pin.source(); got != "debian linux-image-6.1.0-56-amd64 6.1.192-2" {
		t.Fatalf("source = %q", got)
	}
}

func TestSourcesList(t *testing.T) {
	got := sourcesList("http://deb.debian.org", debianKeyring, []string{"bookworm"})
	want := "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main\n" +
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main\n"
	if got != want {
		t.Fatalf("sourcesList =\n%s\nwant\n%s", got, want)
	}
}

func TestAptConfigIsPrivate(t *testing.T) {
	conf := aptConfig("/c/apt")
	for _, want := range []string{
		`Dir::Etc::parts "/c/apt/apt.conf.d";`,
		`Dir::Etc::sourcelist "/c/apt/sources.list";`,
		`Dir::Etc::sourceparts "-";`,
		`Dir::State::lists "/c/apt/lists";`,
		`Dir::State::status "/c/apt/status";`,
		`Dir::Cache "/c/apt/cache";`,
		`Debug::NoLocking "true";`,
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("apt.conf lacks %s", want)
		}
	}
	if strings.Contains(conf, "/etc/") || strings.Contains(conf, "/var/") {
		t.Errorf("apt.conf refers to system paths:\n%s", conf)
	}
}

func TestAptPrepareErrors(t *testing.T) {
	if _, err := exec.LookPath("apt-cache"); err != nil {
		t.Skip("apt not installed")
	}
	tests := []struct {
		name    string
		mirror  string
		keyring string
		wantErr string
	}{
		{"missing keyring", defaultMirror, "/nonexistent/debian-archive-keyring.gpg", "apt-get install debian-archive-keyring"},
		{"bad mirror", "deb.debian.org", debianKeyring, "LKMLAB_DEBIAN_MIRROR"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &aptRepo{dir: filepath.Join(t.TempDir(), "apt"), mirror: tc.mirror, keyring: tc.keyring, logf: t.Logf}
			err := a.prepare()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestPinPackagesForeignArch(t *testing.T) {
	pin := debianPins["debian-6.1-arm64"]
	want := []string{"linux-image-6.1.0-57-arm64:arm64", "linux-headers-6.1.0-57-arm64:arm64", "linux-headers-6.1.0-57-common", "linux-kbuild-6.1"}
	if hostArch() != AMD64 {
		t.Skipf("the arm64 pin is native on a %s host", hostArch())
	}
	if got := pin.packages(); !reflect.DeepEqual(got, want) {
		t.Fatalf("packages = %v, want %v (kbuild's programs run on the host)", got, want)
	}
	if conf := aptConfig("/c/apt"); !strings.Contains(conf, `APT::Architectures { "amd64"; "arm64"; };`) {
		t.Fatalf("apt.conf does not list arm64 beside the host's architecture:\n%s", conf)
	}
}
