package vm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseQEMUVersion(t *testing.T) {
	tests := []struct {
		name, out, want string
	}{
		// The first lines of qemu-system-x86_64 --version on Debian 12
		// and of an upstream build, typed in by hand.
		{"debian", "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n",
			"7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)"},
		{"upstream", "QEMU emulator version 9.2.0\nCopyright (c) 2003-2024 Fabrice Bellard\n", "9.2.0"},
		{"not qemu", "qemu-system-x86_64: unknown option\n", ""},
		{"empty version", "QEMU emulator version \n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseQEMUVersion(tt.out)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("parsed %q from output that holds no version", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestQEMUVersionAsksOnce runs a stand-in QEMU that counts its calls.
func TestQEMUVersionAsksOnce(t *testing.T) {
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	fake := filepath.Join(dir, "qemu-fake")
	script := "#!/bin/sh\necho x >> " + count + "\necho 'QEMU emulator version 1.2.3 (fake)'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		v, err := QEMUVersion(fake)
		if err != nil || v != "1.2.3 (fake)" {
			t.Fatalf("QEMUVersion = %q, %v", v, err)
		}
	}
	b, _ := os.ReadFile(count)
	if n := strings.Count(string(b), "x"); n != 1 {
		t.Errorf("QEMU was asked %d times, want once", n)
	}
	if _, err := QEMUVersion(filepath.Join(dir, "missing")); err == nil {
		t.Error("no error for a QEMU that does not exist")
	}
}
