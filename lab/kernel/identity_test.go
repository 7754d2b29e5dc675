package kernel

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBuildID(t *testing.T) {
	dir := t.TempDir()
	withID := writeFile(t, dir, "gnu", makeELF(t, "GNU", ntGNUBuildID))
	// makeELF's note carries the 4-byte descriptor 0x1000000, little endian.
	if id, err := ReadBuildID(withID); err != nil || id != "00000001" {
		t.Errorf("ReadBuildID = %q, %v; want 00000001", id, err)
	}
	pvhOnly := writeFile(t, dir, "pvh", pvhELF(t))
	if _, err := ReadBuildID(pvhOnly); !errors.Is(err, ErrNoBuildID) {
		t.Errorf("ReadBuildID of an ELF without a build-id: %v, want ErrNoBuildID", err)
	}
	if _, err := ReadBuildID(writeFile(t, dir, "text", []byte("not ELF"))); err == nil {
		t.Error("ReadBuildID of a text file: no error")
	}
}

func TestFindBuildID(t *testing.T) {
	note := func(name string, typ uint32, desc []byte) []byte {
		var b []byte
		le := binary.LittleEndian
		b = le.AppendUint32(b, uint32(len(name)+1))
		b = le.AppendUint32(b, uint32(len(desc)))
		b = le.AppendUint32(b, typ)
		b = append(b, name...)
		for b = append(b, 0); len(b)%4 != 0; b = append(b, 0) {
		}
		b = append(b, desc...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	id := []byte{0xc2, 0xa2, 0xcd, 0xb2, 0x63}
	tests := []struct {
		name string
		data []byte
		want string // "" means not found
	}{
		{"alone", note("GNU", ntGNUBuildID, id), "c2a2cdb263"},
		{"after Xen notes", append(note("Xen", 18, []byte{1, 2, 3, 4}), note("GNU", ntGNUBuildID, id)...), "c2a2cdb263"},
		{"other GNU note", note("GNU", 1, id), ""},
		{"truncated", note("GNU", ntGNUBuildID, id)[:14], ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := findBuildID(tt.data, binary.LittleEndian)
			if tt.want == "" {
				if ok {
					t.Fatalf("found %x, want nothing", got)
				}
				return
			}
			if !ok || strings.ToLower(string(hexOf(got))) != tt.want {
				t.Fatalf("got %x, %v; want %s", got, ok, tt.want)
			}
		})
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	var s []byte
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}

func TestPackageFromSource(t *testing.T) {
	tests := []struct {
		name string
		k    Kernel
		want string
	}{
		{"debian", Kernel{Source: "debian linux-image-6.1.0-57-amd64 6.1.192-3"}, "linux-image-6.1.0-57-amd64=6.1.192-3"},
		{"minimal", Kernel{Source: "built from debian linux-source-6.1 6.1.192-3, lab/kernel/config/minimal.config",
			BuildDir: "/c/kernels/minimal-6.1-db0875f0cf57/out"}, "linux-source-6.1=6.1.192-3 minimal-6.1-db0875f0cf57"},
		{"host", Kernel{Source: "host /boot/vmlinuz-6.1.0-1-amd64"}, ""},
		{"tree", Kernel{Source: "kernel tree /src/linux"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := packageFromSource(&tt.k); got != tt.want {
				t.Errorf("packageFromSource = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStrictRefusesFallback(t *testing.T) {
	pin := debianPins[DefaultName]
	alt := pin
	alt.ABI = pin.ABI + "0" // an ABI past the pin
	for _, how := range []string{"option", "env"} {
		t.Run(how, func(t *testing.T) {
			o := mustDefaults(t)
			if how == "option" {
				o.Strict = true
			} else {
				t.Setenv(StrictEnv, "1")
			}
			k := fakeReady(t, o, alt.dirName())
			k.Release = alt.release()
			if err := writeReady(filepath.Join(o.kernelsDir(), alt.dirName()), k); err != nil {
				t.Fatal(err)
			}
			if err := writeFallback(o.kernelsDir(), pin, alt); err != nil {
				t.Fatal(err)
			}
			_, err := Resolve(context.Background(), DefaultName, o)
			var pe *PinError
			if !errors.As(err, &pe) {
				t.Fatalf("Resolve = %v, want a *PinError", err)
			}
			for _, want := range []string{pinFile, `debianPins["debian-6.1"]`, alt.ABI, pin.imagePackage()} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
		})
	}
}

func TestListShowsTheFallbackInUse(t *testing.T) {
	o := mustDefaults(t)
	pin := debianPins[DefaultName]
	alt := pin
	alt.ABI, alt.Version = pin.ABI+"0", pin.Version+"+x"
	k := fakeReady(t, o, alt.dirName())
	k.Release, k.Source = alt.release(), alt.source()
	if err := writeReady(filepath.Join(o.kernelsDir(), alt.dirName()), k); err != nil {
		t.Fatal(err)
	}
	if err := writeFallback(o.kernelsDir(), pin, alt); err != nil {
		t.Fatal(err)
	}
	es, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	e := es[0]
	if e.Name != DefaultName || !e.Cached || e.Release != alt.release() || e.Package != alt.imagePackage()+"="+alt.Version ||
		e.Replaces != pin.imagePackage()+" "+pin.Version || filepath.Base(e.Dir) != alt.dirName() {
		t.Fatalf("List()[0] = %+v, want the fallback %s in use, replacing the pin", e, alt.dirName())
	}
}

func TestVerifySource(t *testing.T) {
	dir := t.TempDir()
	tarball := writeFile(t, dir, "linux-source.tar.xz", []byte("the source"))
	sum, err := fileSHA256(tarball)
	if err != nil {
		t.Fatal(err)
	}
	pin := sourcePin{Package: "linux-source-9.9", Suite: "bullseye", Version: "9.9-1", TarballSHA256: sum}
	var logs []string
	logf := func(f string, a ...any) { logs = append(logs, f) }
	if err := verifySource(pin, "9.9-1", tarball, logf); err != nil {
		t.Errorf("the pinned tarball: %v", err)
	}
	pin.TarballSHA256 = strings.Repeat("0", 64)
	if err := verifySource(pin, "9.9-1", tarball, logf); err == nil || !strings.Contains(err.Error(), pinFile) || !strings.Contains(err.Error(), pin.Package) {
		t.Errorf("a tarball that is not the pinned one: %v, want an error naming %s and %s", err, pinFile, pin.Package)
	}
	if err := verifySource(pin, "9.9-2", tarball, logf); err != nil || len(logs) != 1 {
		t.Errorf("a fallback version: %v, logs %q; want no error and one line saying it is not checked", err, logs)
	}
}
