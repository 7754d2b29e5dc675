package debug

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/plan"
)

func TestScriptLoadsTheModuleWhereTheKernelPutIt(t *testing.T) {
	sc := script{Vmlinux: "/k/vmlinux", Stub: "/tmp/s/gdb.sock", Notify: "/tmp/s/notify.sock", Module: "hello_x",
		KO: "/c/hello-x.ko", Sections: []string{".text", ".init.text"}, Break: "hello_init", ArgReg: "rdi",
		Paths: map[string]string{"/tmp/build/hello": "/home/s/hello"}}
	text, err := sc.render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"file /k/vmlinux\ntarget remote /tmp/s/gdb.sock\n",
		"set substitute-path /tmp/build/hello /home/s/hello\n",
		`gdb.Breakpoint("*do_init_module", type=gdb.BP_HARDWARE_BREAKPOINT`,
		`(struct module *)$rdi`,
		`== "hello_x"`,
		`for name in [".text",".init.text"]:`,
		`gdb.Breakpoint("hello_init")`,
		`lkmlab_tell("armed")`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("script lacks %q:\n%s", want, text)
		}
	}
	sc.Vmlinux = "/my kernels/vmlinux"
	if _, err := sc.render(); err == nil || !strings.Contains(err.Error(), "blanks") {
		t.Errorf("a path gdb cannot take: %v", err)
	}
}

func TestDebuggable(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "vmlinux-debug")
	if err := os.WriteFile(self, elfWithSections(".debug_info"), 0o644); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "vmlinux-bare")
	os.WriteFile(bare, elfWithSections(".text"), 0o644)
	notELF := filepath.Join(dir, "vmlinux")
	os.WriteFile(notELF, []byte("not an ELF file"), 0o644)
	randomized := filepath.Join(dir, "kaslr")
	os.MkdirAll(randomized, 0o755)
	os.WriteFile(filepath.Join(randomized, ".config"), []byte("CONFIG_X=y\nCONFIG_RANDOMIZE_BASE=y\n"), 0o644)
	for _, tc := range []struct {
		name, vmlinux, build, err string
	}{
		{"debug info, not relocated", self, dir, ""},
		{"not an ELF file", notELF, dir, "read the kernel's symbols"},
		{"no debug info", bare, dir, "no debug info"},
		{"randomized at boot", self, randomized, "CONFIG_RANDOMIZE_BASE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := debuggable(tc.vmlinux, tc.build)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("debuggable = %v, want %q", err, tc.err)
			}
		})
	}
}

// elfWithSections is a hand-made ELF64 file holding only empty sections of
// these names (and its section name table).
func elfWithSections(names ...string) []byte {
	strtab := []byte{0}
	offs := []uint32{}
	for _, n := range append(names, ".shstrtab") {
		offs = append(offs, uint32(len(strtab)))
		strtab = append(append(strtab, n...), 0)
	}
	le := binary.LittleEndian
	shoff := uint64(64 + len(strtab))
	n := len(names) + 2 // the null section, names, .shstrtab
	b := make([]byte, shoff+uint64(64*n))
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], 1)  // ET_REL
	le.PutUint16(b[18:], 62) // EM_X86_64
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[40:], shoff)
	le.PutUint16(b[52:], 64)
	le.PutUint16(b[58:], 64)
	le.PutUint16(b[60:], uint16(n))
	le.PutUint16(b[62:], uint16(n-1))
	copy(b[64:], strtab)
	for i, off := range offs {
		sh := b[shoff+uint64(64*(i+1)):]
		le.PutUint32(sh[0:], off)
		le.PutUint32(sh[4:], 1) // SHT_PROGBITS
		if i == len(offs)-1 {
			le.PutUint32(sh[4:], 3) // SHT_STRTAB
			le.PutUint64(sh[24:], 64)
			le.PutUint64(sh[32:], uint64(len(strtab)))
		}
	}
	return b
}

func TestPickStopsInTheChosenInsmod(t *testing.T) {
	steps := []plan.Step{
		{Module: "a", Action: plan.Insmod}, {Module: "a", Action: plan.Rmmod},
		{Module: "b", Action: plan.Insmod}, {Module: "b", Action: plan.Rmmod}, {Module: "b", Action: plan.Insmod, Label: "probe"},
	}
	c := &check.Conn{Plan: &plan.Plan{Steps: steps}, Modules: []check.SessionModule{{Name: "a"}, {Name: "b"}}}
	for _, tc := range []struct {
		module string
		step   int
		want   string
		at     int
	}{
		{"", 0, "a", 0},
		{"b", 0, "b", 2},
		{"b", 2, "b", 4}, // b's third step: its probe
		{"b", 1, "b", 2}, // an rmmod: the module's first insmod
		{"b", 9, "b", 2}, // no such step: the first insmod
		{"c", 0, "", -1},
	} {
		s := &session{o: Options{Module: tc.module, Step: tc.step}}
		m, at, err := s.pick(c)
		if tc.at < 0 {
			if err == nil {
				t.Errorf("module %q: no error", tc.module)
			}
			continue
		}
		if err != nil || m.Name != tc.want || at != tc.at {
			t.Errorf("pick(%q, %d) = %s, %d, %v; want %s, %d", tc.module, tc.step, m.Name, at, err, tc.want, tc.at)
		}
	}
}

func TestFindGDBSaysWhatToInstall(t *testing.T) {
	if _, err := findGDB("no-such-gdb-here"); err == nil || !strings.Contains(err.Error(), "apt-get install gdb") {
		t.Fatalf("findGDB: %v", err)
	}
}
