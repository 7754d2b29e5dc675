package ko

import (
	"debug/elf"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A hand-written .modinfo section: entries padded with NULs as modpost
// aligns them, a repeated key, an entry without "=".
const handModInfo = "license=GPL\x00\x00\x00parm=addr:user address, hex\x00parmtype=addr:charp\x00" +
	"parmtype=pid:int\x00parm=ghost:described, never declared\x00garbage\x00depends=a,b-c\x00" +
	"alias=x\x00alias=y\x00vermagic=6.1.0-57-amd64 SMP preempt mod_unload modversions \x00"

func TestParseModInfo(t *testing.T) {
	info := parseModInfo([]byte(handModInfo))
	for key, want := range map[string][]string{
		"license": {"GPL"}, "alias": {"x", "y"}, "depends": {"a,b-c"},
		"parm": {"addr:user address, hex", "ghost:described, never declared"},
	} {
		if !reflect.DeepEqual(info[key], want) {
			t.Errorf("%s = %q, want %q", key, info[key], want)
		}
	}
	if _, ok := info["garbage"]; ok {
		t.Errorf("an entry without = became a key: %q", info)
	}
}

func TestParamsComeFromParmtype(t *testing.T) {
	for _, tc := range []struct {
		name string
		info string
		want []Param
	}{
		{"module_param alone (issue #10)", "parmtype=pid:int\x00", []Param{{Name: "pid", Type: "int"}}},
		{"with MODULE_PARM_DESC", "parm=pid:the pid\x00parmtype=pid:int\x00", []Param{{Name: "pid", Type: "int", Desc: "the pid"}}},
		{"description only: no parameter", "parm=pid:the pid\x00", nil},
		{"declaration order", handModInfo, []Param{{Name: "addr", Type: "charp", Desc: "user address, hex"}, {Name: "pid", Type: "int"}}},
		{"description with colons", "parm=a:x:y\x00parmtype=a:array of int\x00", []Param{{Name: "a", Type: "array of int", Desc: "x:y"}}},
	} {
		if got := params(parseModInfo([]byte(tc.info))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: params = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestOpenSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.ko")
	if err := os.WriteFile(text, []byte("not a module"), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable() // an ELF file that is no kernel module
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.ko"), "no such file"},
		{text, "not an ELF file"},
		{exe, "no .modinfo section"},
	} {
		_, err := Open(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "read module") {
			t.Errorf("Open(%s) = %v, want an error saying %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}

func TestCheckImports(t *testing.T) {
	for _, tc := range []struct {
		name    string
		imports []string
		policy  Policy
		want    []string // violating symbols
	}{
		{"default deny", []string{"__fentry__", "_printk", "filp_open", "kernel_write", "mmput"}, Policy{}, []string{"filp_open", "kernel_write"}},
		{"patterns", []string{"tty_write_room", "uart_write_wakeup", "stop_machine_cpuslocked", "panic"}, Policy{},
			[]string{"tty_write_room", "uart_write_wakeup", "stop_machine_cpuslocked"}},
		{"symbol lookup at run time", []string{"__symbol_get", "sprint_symbol", "register_kprobe"}, Policy{}, []string{"__symbol_get", "register_kprobe"}},
		{"allow list plus implicit", []string{"__fentry__", "__x86_return_thunk", "__x86_indirect_thunk_rax", "__asan_load8_noabort",
			"_printk", "param_ops_int", "kmalloc_trace"}, Policy{Allow: []string{"_printk"}}, []string{"kmalloc_trace"}},
		{"allow patterns", []string{"find_get_pid", "find_vpid", "get_task_mm"}, Policy{Allow: []string{"find_*"}}, []string{"get_task_mm"}},
		{"an exact allowed name lifts a deny", []string{"filp_open", "kernel_read"}, Policy{Allow: []string{"filp_open", "kernel_*"}}, []string{"kernel_read"}},
		{"explicit deny replaces the default", []string{"filp_open", "vmalloc"}, Policy{Deny: []string{"vmalloc"}}, []string{"vmalloc"}},
		{"default plus more", []string{"filp_open", "vmalloc", "vfree"}, Policy{Deny: []string{"default", "vmalloc"}}, []string{"filp_open", "vmalloc"}},
		{"empty deny denies nothing", []string{"filp_open"}, Policy{Deny: []string{}}, nil},
		{"static call names its function", []string{"__SCT__cond_resched"}, Policy{Deny: []string{"cond_resched"}}, []string{"__SCT__cond_resched"}},
	} {
		m := &Module{Imports: tc.imports}
		var got []string
		for _, v := range m.Check(tc.policy) {
			if v.Kind != KindImport || v.Where != "imports" || v.Why == "" {
				t.Errorf("%s: violation %+v: want kind import at imports with a reason", tc.name, v)
			}
			got = append(got, v.What)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: violations %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDefaultDenyReasons(t *testing.T) {
	for _, p := range DefaultDeny {
		if denyWhy[p] == "" {
			t.Errorf("DefaultDeny pattern %q has no reason", p)
		}
		if _, ok := matchAny(Implicit, []string{strings.TrimSuffix(p, "*")}); ok {
			t.Errorf("DefaultDeny pattern %q is also implicit", p)
		}
	}
	m := &Module{Imports: []string{"filp_open"}}
	if v := m.Check(Policy{}); len(v) != 1 || !strings.Contains(v[0].Why, "files") {
		t.Errorf("filp_open: %+v, want a reason about files", v)
	}
	if v := m.Check(Policy{Deny: []string{"filp_*"}}); len(v) != 1 || !strings.Contains(v[0].Why, "filp_*") {
		t.Errorf("custom pattern: %+v, want a reason naming the pattern", v)
	}
}

func TestPolicyYAML(t *testing.T) {
	for _, tc := range []struct {
		doc      string
		denyOpen bool // filp_open is denied
	}{
		{"{}", true},
		{"deny: []", false},
		{"deny: [default]", true},
		{"deny: [vmalloc]", false},
		{"allow: [filp_open]", false},
	} {
		var p Policy
		if err := yaml.Unmarshal([]byte(tc.doc), &p); err != nil {
			t.Fatal(err)
		}
		m := &Module{Imports: []string{"filp_open"}}
		if got := len(m.Check(p)) > 0; got != tc.denyOpen {
			t.Errorf("policy %s: filp_open denied = %v, want %v", tc.doc, got, tc.denyOpen)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Policy{Deny: []string{"ok_*"}, Allow: []string{"[a-z]*"}}).Validate(); err != nil {
		t.Error(err)
	}
	for _, p := range []Policy{{Deny: []string{"["}}, {Allow: []string{"x\\"}}} {
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "path.Match") {
			t.Errorf("Validate(%+v) = %v, want a pattern error", p, err)
		}
	}
}

func TestUses(t *testing.T) {
	m := &Module{Imports: []string{"_printk", "init_timer_key", "mod_timer", "queue_work_on", "cancel_work_sync", "kthread_create_on_node", "wake_up_process"}}
	u := m.Uses()
	want := Uses{
		Timers:  Use{Start: []string{"init_timer_key", "mod_timer"}},
		Work:    Use{Start: []string{"queue_work_on"}, Stop: []string{"cancel_work_sync"}},
		Threads: Use{Start: []string{"kthread_create_on_node"}},
	}
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("Uses = %+v, want %+v", u, want)
	}
	if !u.Timers.Unstopped() || u.Work.Unstopped() || !u.Threads.Unstopped() {
		t.Errorf("Unstopped: timers %v work %v threads %v, want true false true", u.Timers.Unstopped(), u.Work.Unstopped(), u.Threads.Unstopped())
	}
	if (Uses{}).Timers.Unstopped() {
		t.Error("nothing started, yet unstopped")
	}
}

func TestSectionBytesStayInTheFile(t *testing.T) {
	m := &Module{raw: []byte("0123456789")}
	for _, tc := range []struct {
		sec  elf.SectionHeader
		want string
		err  bool
	}{
		{elf.SectionHeader{Name: ".text", Type: elf.SHT_PROGBITS, Offset: 2, FileSize: 3, Size: 3}, "234", false},
		// Compressed: Size is what it inflates to; the kernel copies
		// the FileSize bytes as they are.
		{elf.SectionHeader{Name: ".text", Type: elf.SHT_PROGBITS, Flags: elf.SHF_COMPRESSED, Offset: 0, FileSize: 4, Size: 100}, "0123", false},
		{elf.SectionHeader{Name: ".bss", Type: elf.SHT_NOBITS, Offset: 0, FileSize: 0, Size: 64}, "", false},
		{elf.SectionHeader{Name: ".text", Type: elf.SHT_PROGBITS, Offset: 8, FileSize: 3}, "", true},
		{elf.SectionHeader{Name: ".text", Type: elf.SHT_PROGBITS, Offset: 11, FileSize: ^uint64(0)}, "", true},
	} {
		b, err := m.bytes(&elf.Section{SectionHeader: tc.sec})
		if string(b) != tc.want || (err != nil) != tc.err {
			t.Errorf("bytes(%+v) = %q, %v; want %q, error %v", tc.sec, b, err, tc.want, tc.err)
		}
	}
}
